import { createHmac } from 'node:crypto';
import { sign } from './signature';

describe('webhook signatures', () => {
  it('are t=<seconds>,v1=<HMAC-SHA256 hex of "<t>.<body>">', () => {
    const body = JSON.stringify({ id: 'evt_1', type: 'payment.succeeded' });
    const header = sign('s3cret', body, 1_700_000_000);
    expect(header).toBe(`t=1700000000,v1=${createHmac('sha256', 's3cret').update(`1700000000.${body}`).digest('hex')}`);
    expect(sign('other', body, 1_700_000_000)).not.toBe(header);
  });
});
