import { createHmac } from 'node:crypto';
import { ValidationError, verifyWebhookSignature as verifySignature } from '@emporium/kit';
import { SimCodes, SimTrackingProvider } from './sim-provider';

const secret = 'a-webhook-secret-of-some-length';
const provider = new SimTrackingProvider('http://127.0.0.1:1', 'http://127.0.0.1:2/cb', () => Promise.resolve({ apiKey: 'k'.repeat(20), webhookSecret: secret }), 1000);
const callback = (code: string, description: string) => ({
  id: 'evt_1',
  type: 'tracking.checkpoint',
  trackingId: 'trk_1',
  reference: '5b0f1f0e-7a53-4f59-9a35-3d2b2f0a9c11',
  carrier: 'SF',
  trackingNumber: 'SF123456780001',
  checkpoint: { code, description, location: null, occurredAt: '2026-12-01T08:00:00.000Z' },
});

describe('the carrier simulator adapter', () => {
  it('when a checkpoint says "could not deliver", then its code makes it a failed attempt, never delivered', () => {
    const [c] = provider.checkpoints(callback('DELIVERY_ATTEMPTED', 'Could not deliver: delivered notice left, nobody at home'));
    expect(c).toMatchObject({ status: 'failed_attempt', exceptionKind: null, eventId: 'evt_1', reference: '5b0f1f0e-7a53-4f59-9a35-3d2b2f0a9c11' });
    expect(provider.checkpoints(callback('DELIVERED', 'Signed'))[0]!.status).toBe('delivered');
  });

  it('when a code no mapping knows comes, then it is read with no status', () => {
    expect(provider.checkpoints(callback('SORT_SCAN_X9', 'delivered to the sorting centre'))[0]).toMatchObject({ status: null, code: 'SORT_SCAN_X9' });
  });

  it('when return codes come, then they are exceptions of the return family', () => {
    expect(SimCodes.RETURNING).toEqual({ status: 'exception', exceptionKind: 'returning_to_sender' });
    expect(SimCodes.RETURNED).toEqual({ status: 'exception', exceptionKind: 'returned_to_sender' });
  });

  it('when the body is not a callback, then the field that is wrong is named', () => {
    const bad = { ...callback('DELIVERED', 'x'), checkpoint: { code: 'DELIVERED', description: 'x', location: null, occurredAt: 'yesterday' } };
    try {
      provider.checkpoints(bad);
      throw new Error('accepted');
    } catch (err) {
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).fields[0]!.field).toBe('checkpoint.occurredAt');
    }
  });

  it('when a callback is signed with the secret, then it verifies; altered, old or unsigned, it does not', async () => {
    const body = JSON.stringify(callback('DELIVERED', 'Signed'));
    const t = Math.floor(Date.now() / 1000);
    const header = `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
    expect(await provider.verify(Buffer.from(body), (n) => (n === 'x-carrier-signature' ? header : undefined))).toEqual({ ok: true });
    expect(verifySignature(secret, `${body} `, header)).toEqual({ ok: false, reason: 'signature does not match' });
    expect(verifySignature(secret, body, header, Date.now() + 600_000)).toEqual({ ok: false, reason: 'signature too old' });
    expect(verifySignature(secret, body, undefined)).toEqual({ ok: false, reason: 'no signature' });
    expect(verifySignature('another-secret-of-some-length', body, header).ok).toBe(false);
  });
});
