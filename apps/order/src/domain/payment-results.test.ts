import type { PaymentIntent } from '@emporium/contracts';
import { lateResults } from './payment-results';

const now = Date.parse('2026-12-03T12:00:00Z');
const payment = (orderId: string, status: PaymentIntent['status'], secondsAgo: number, failureReason: string | null = null): PaymentIntent => ({
  id: '00000000-0000-4000-8000-000000000001',
  orderId,
  buyerUserId: '00000000-0000-4000-8000-000000000002',
  method: 'card',
  amount: { amount: 4_700, currency: 'CNY' },
  status,
  hostedUrl: null,
  failureReason,
  createdAt: new Date(now - 600_000).toISOString(),
  updatedAt: new Date(now - secondsAgo * 1000).toISOString(),
});

describe("payment results asked for when their event is late", () => {
  it('when payments ended long enough ago, then their results are raised again; fresh, unpaid and cancelled ones are left alone', () => {
    const results = lateResults(
      [payment('paid', 'succeeded', 60), payment('declined', 'failed', 60, 'card declined'), payment('just-paid', 'succeeded', 2), payment('open', 'requires_payment', 600), payment('given-up', 'cancelled', 600)],
      now,
      10_000,
    );
    expect(results).toEqual([
      { orderId: 'paid', result: { status: 'succeeded' } },
      { orderId: 'declined', result: { status: 'failed', reason: 'card declined' } },
    ]);
  });
});
