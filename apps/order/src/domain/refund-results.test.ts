import type { PaymentRefund } from '@emporium/contracts';
import { lateRefundResult } from './refund-results';

const now = Date.parse('2026-12-04T12:00:00Z');
const refund = (status: PaymentRefund['status'], secondsAgo: number, failureReason: string | null = null): PaymentRefund => ({
  id: '00000000-0000-4000-8000-000000000001',
  paymentId: '00000000-0000-4000-8000-000000000002',
  orderId: '00000000-0000-4000-8000-000000000003',
  subOrderId: '00000000-0000-4000-8000-000000000004',
  amount: { amount: 4_900, currency: 'CNY' },
  status,
  failureReason,
  createdAt: new Date(now - 600_000).toISOString(),
  updatedAt: new Date(now - secondsAgo * 1000).toISOString(),
});

describe('refund results asked for when their event is late', () => {
  it('when a refund ended at payment long enough ago, then its result is raised again', () => {
    expect(lateRefundResult(refund('succeeded', 60), now, 10_000)).toEqual({ status: 'succeeded' });
    expect(lateRefundResult(refund('failed', 60, 'card closed'), now, 10_000)).toEqual({ status: 'failed', reason: 'card closed' });
    expect(lateRefundResult(refund('failed', 60), now, 10_000)).toEqual({ status: 'failed', reason: 'the refund failed' });
  });

  it('when it ended a moment ago, is still pending, or payment never heard of it, then nothing is raised', () => {
    expect(lateRefundResult(refund('succeeded', 2), now, 10_000)).toBeUndefined();
    expect(lateRefundResult(refund('pending', 600), now, 10_000)).toBeUndefined();
    expect(lateRefundResult(undefined, now, 10_000)).toBeUndefined();
  });
});
