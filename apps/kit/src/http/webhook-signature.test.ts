import { createHmac } from 'node:crypto';
import { verifyWebhookSignature as verifySignature } from './webhook-signature';

const signed = (secret: string, body: string, at: number) => `t=${at},v1=${createHmac('sha256', secret).update(`${at}.${body}`).digest('hex')}`;

describe('webhook signature check', () => {
  const body = JSON.stringify({ id: 'evt_1', type: 'payment.succeeded' });
  const now = 1_700_000_100_000;
  const at = 1_700_000_000;
  it('takes what was signed with the same secret over the same bytes, recently', () => {
    expect(verifySignature('s3cret', body, signed('s3cret', body, at), now)).toEqual({ ok: true });
    expect(verifySignature('s3cret', Buffer.from(body), signed('s3cret', body, at), now)).toEqual({ ok: true });
  });
  it('refuses another secret, a changed body, an old signature and a malformed one', () => {
    expect(verifySignature('other', body, signed('s3cret', body, at), now)).toEqual({ ok: false, reason: 'signature does not match' });
    expect(verifySignature('s3cret', `${body} `, signed('s3cret', body, at), now)).toEqual({ ok: false, reason: 'signature does not match' });
    expect(verifySignature('s3cret', body, signed('s3cret', body, at - 600), now)).toEqual({ ok: false, reason: 'signature too old' });
    expect(verifySignature('s3cret', body, 't=1,v1=zz', now)).toEqual({ ok: false, reason: 'malformed signature' });
    expect(verifySignature('s3cret', body, undefined, now)).toEqual({ ok: false, reason: 'no signature' });
  });
});
