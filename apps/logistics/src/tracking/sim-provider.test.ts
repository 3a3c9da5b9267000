import { createHmac } from 'node:crypto';
import type { ExceptionKind, TrackingStatus } from '@emporium/contracts';
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
  /**
   * The mapping, written out by hand: the adapter's table is what is under
   * test, so it is not its own oracle. Its codes are checked against the
   * adapter's (a code added there without a row here fails).
   */
  const expected: Record<string, [TrackingStatus, ExceptionKind | null]> = {
    ORDER_RECEIVED: ['info_received', null],
    PICKED_UP: ['in_transit', null],
    DEPARTED: ['in_transit', null],
    ARRIVED: ['in_transit', null],
    RESUMED: ['in_transit', null],
    OUT_FOR_DELIVERY: ['out_for_delivery', null],
    DELIVERY_ATTEMPTED: ['failed_attempt', null],
    AT_PICKUP_POINT: ['available_for_pickup', null],
    DELIVERED: ['delivered', null],
    DELAYED: ['exception', 'delayed'],
    CUSTOMS_HOLD: ['exception', 'customs'],
    ADDRESS_PROBLEM: ['exception', 'address_issue'],
    REFUSED: ['exception', 'refused'],
    DAMAGED: ['exception', 'damaged'],
    LOST: ['exception', 'lost'],
    RETURNING: ['exception', 'returning_to_sender'],
    RETURNED: ['exception', 'returned_to_sender'],
    EXPIRED: ['expired', null],
  };

  it('when the mapping is read, then every code the adapter knows has its expected status here, and no other', () => {
    expect(Object.keys(expected).sort()).toEqual(Object.keys(SimCodes).sort());
  });

  // each code under words that say otherwise: only the code counts
  it.each(Object.keys(SimCodes).flatMap((code) => ['Delivered, signed by the recipient', 'Could not deliver: nobody at home'].map((words) => [code, words] as const)))(
    'when a checkpoint comes with code %s and the words "%s", then its status comes from the code alone',
    (code, words) => {
      const [c] = provider.checkpoints(callback(code, words));
      const [status, exceptionKind] = expected[code]!;
      expect(c).toMatchObject({ code, status, exceptionKind, description: words, eventId: 'evt_1', reference: '5b0f1f0e-7a53-4f59-9a35-3d2b2f0a9c11' });
    },
  );

  it.each(['SORT_SCAN_X9', 'delivered', 'Delivered', 'DELIVERED ', 'toString', '__proto__', 'constructor'])('when a code no mapping knows (%j) comes worded as delivered, then it is read with no status and no exception kind', (code) => {
    expect(provider.checkpoints(callback(code, 'Delivered, signed by the recipient'))[0]).toMatchObject({ code, status: null, exceptionKind: null });
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
