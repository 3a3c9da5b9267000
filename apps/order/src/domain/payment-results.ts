import { PaymentInternal, type PaymentIntent } from '@emporium/contracts';
import { PaymentResultEvent, type PaymentResult } from './checkout';
import type { OrderContext } from './order-context';
import type { ResultRaiser } from '../events/handlers';

/**
 * The results that payments have reached and that their orders may still be waiting for: a payment
 * that succeeded or failed at least `graceMs` ago (its event normally arrives within a second).
 * Cancelled payments are the order's own doing; the others have no result yet.
 */
export function lateResults(payments: readonly PaymentIntent[], now: number, graceMs: number): { orderId: string; result: PaymentResult }[] {
  return payments.flatMap((p): { orderId: string; result: PaymentResult }[] => {
    if (now - Date.parse(p.updatedAt) < graceMs) return [];
    if (p.status === 'succeeded') return [{ orderId: p.orderId, result: { status: 'succeeded' } }];
    if (p.status === 'failed') return [{ orderId: p.orderId, result: { status: 'failed', reason: p.failureReason ?? 'the payment failed' } }];
    return [];
  });
}

/**
 * 主动查询: an order still waiting for its payment's result after `olderThanSeconds` asks payment
 * what became of it (a batch of the orders asked longest ago, each at most every `everySeconds`),
 * and a result payment has reached is raised to the order's workflow again. The result event is
 * delivered at least once, yet the chaos suite saw an order stay pending with its payment captured
 * after order was killed mid-checkout; this way a lost result costs a delay, never a stuck order.
 */
export async function reconcilePaymentResults(ctx: OrderContext, raise: ResultRaiser, opts: { olderThanSeconds: number; everySeconds: number; graceMs: number }): Promise<number> {
  const waiting = await ctx.repo.takePaymentChecks(opts.olderThanSeconds, opts.everySeconds, 100);
  if (!waiting.length) return 0;
  const { items } = await ctx.sidecar.call(PaymentInternal.paymentStatuses, { body: { paymentIds: waiting.map((o) => o.paymentId) } });
  const ours = new Set(waiting.map((o) => o.id));
  let raised = 0;
  for (const late of lateResults(items, Date.now(), opts.graceMs)) {
    if (!ours.has(late.orderId)) continue;
    if (await raise(late.orderId, PaymentResultEvent, late.result)) {
      raised++;
      ctx.logger.warn({ orderId: late.orderId, result: late.result.status }, "a payment's result had not reached its order: raised again");
    }
  }
  return raised;
}
