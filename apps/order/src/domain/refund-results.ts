import { PaymentInternal, type PaymentRefund } from '@emporium/contracts';
import { RefundResultEvent, scheduleRefund, type RefundResult } from './refunds';
import type { OrderContext } from './order-context';
import type { ResultRaiser } from '../events/handlers';

/**
 * The result a refund reached at payment that its workflow may still be waiting for: succeeded or
 * failed at least `graceMs` ago (its event normally arrives within a second); none while pending.
 */
export function lateRefundResult(refund: PaymentRefund | undefined, now: number, graceMs: number): RefundResult | undefined {
  if (!refund || now - Date.parse(refund.updatedAt) < graceMs) return undefined;
  if (refund.status === 'succeeded') return { status: 'succeeded' };
  if (refund.status === 'failed') return { status: 'failed', reason: refund.failureReason ?? 'the refund failed' };
  return undefined;
}

/**
 * 主动查询 for refunds, as for payments (payment-results.ts): an approved refund with no result
 * `olderThanSeconds` after its approval is looked after (a batch of those looked at longest ago, each
 * at most every `everySeconds`):
 * - its workflow never started (order stopped between the approval's commit and the start): it is
 *   started now; its give-back is idempotent by refund id, so money never goes back twice;
 * - payment has it succeeded or failed and the workflow still waits: the result is raised again. The
 *   chaos suite saw a `payment.refunded` lost on MQTT across order's sidecar restart (chaos/README.md)
 *   leave a refund approved, its money given back, for the day its timer runs.
 * Anything else (pending at payment, a give-back still being retried) is left to run.
 */
export async function reconcileRefundResults(
  ctx: OrderContext,
  raise: ResultRaiser,
  opts: { olderThanSeconds: number; everySeconds: number; graceMs: number },
): Promise<{ started: number; raised: number }> {
  const done = { started: 0, raised: 0 };
  const ids = await ctx.repo.takeRefundChecks(opts.olderThanSeconds, opts.everySeconds, 100);
  if (!ids.length) return done;
  const { items } = await ctx.sidecar.call(PaymentInternal.refundStatuses, { body: { refundIds: ids } });
  const atPayment = new Map(items.map((r) => [r.id, r]));
  const now = Date.now();
  for (const refundId of ids) {
    // a state not readable (the workflow engine away) proves nothing: looked at again next time
    const state = await ctx.workflows().getWorkflowState(refundId, false).then(
      (s) => s ?? null,
      () => undefined,
    );
    if (state === undefined) continue;
    if (state === null) {
      // the state was just read: scheduled without asking again
      await scheduleRefund(ctx, refundId);
      done.started++;
      ctx.logger.warn({ refundId }, 'an approved refund had no workflow: started');
      continue;
    }
    const late = lateRefundResult(atPayment.get(refundId), now, opts.graceMs);
    if (late && (await raise(refundId, RefundResultEvent, late))) {
      done.raised++;
      ctx.logger.warn({ refundId, result: late.status }, "a refund's result had not reached its workflow: raised again");
    }
  }
  return done;
}
