import { InventoryInternal, WorkflowNames } from '@emporium/contracts';
import { InvocationError, moneyOf, uuidFromKey, type Transaction } from '@emporium/kit';
import type { RefundInput } from './refunds';
import type { OrderContext } from './order-context';

/**
 * A group buy's sub-orders wait in AWAITING_GROUP, paid, their stock held.
 * marketing's GroupBuy actor says how the group ended: formed, and the stock
 * is sold and the sub-orders are PAID (ready to ship); failed, and the stock
 * goes back and each sub-order is refunded in full through the refund
 * workflow, started by the platform (no shop decides it). Both act only on
 * sub-orders still waiting, so an event delivered twice changes nothing twice.
 */

export async function groupFormed(ctx: OrderContext, groupId: string, orderIds: readonly string[], t: Transaction): Promise<number> {
  const waiting = await ctx.repo.awaitingGroup(orderIds, groupId, t);
  for (const s of waiting) {
    try {
      await ctx.sidecar.call(InventoryInternal.confirmReservations, { params: { orderId: s.orderId } });
    } catch (err) {
      // the held units ran out before the group formed (a hold shorter than the group): the member is refunded
      if (err instanceof InvocationError && err.status === 409) {
        ctx.logger.error({ orderId: s.orderId, groupId }, 'a formed group’s order lost its held stock: refunded');
        await refundWaiting(ctx, s, 'the group formed, but the units held for this order had run out', t);
        continue;
      }
      throw err;
    }
    await ctx.repo.setSubOrder(s.id, 'PAID', t);
    await ctx.repo.timeline(s.id, 'PAID', 'the group formed', t);
  }
  return waiting.length;
}

export async function groupFailed(ctx: OrderContext, groupId: string, orderIds: readonly string[], reason: string, t: Transaction): Promise<number> {
  const waiting = await ctx.repo.awaitingGroup(orderIds, groupId, t);
  for (const s of waiting) {
    await ctx.sidecar.call(InventoryInternal.releaseReservations, { params: { orderId: s.orderId }, body: { reason: `group buy: ${reason}` } }).catch((err: unknown) => {
      if (!(err instanceof InvocationError && err.status === 404)) throw err;
    });
    await refundWaiting(ctx, s, reason, t);
  }
  return waiting.length;
}

/** All of a waiting sub-order back to the buyer: an approved refund (by nobody: the platform) and its workflow. */
async function refundWaiting(ctx: OrderContext, s: { id: string; orderId: string; total: string | number }, reason: string, t: Transaction): Promise<void> {
  const refundId = uuidFromKey('group-buy-refund', s.id);
  const note = `group buy: ${reason}`;
  await ctx.repo.insertRefund({ id: refundId, subOrderId: s.id, amount: Number(s.total), reason: note, priorStatus: 'AWAITING_GROUP', requestedBy: null, status: 'approved' }, t);
  await ctx.repo.setSubOrder(s.id, 'REFUND_REQUESTED', t);
  await ctx.repo.timeline(s.id, 'REFUND_REQUESTED', note, t);
  const order = (await ctx.repo.orderRow(s.orderId, t))!;
  const input: RefundInput = {
    refundId,
    orderId: s.orderId,
    subOrderId: s.id,
    amount: moneyOf(s.total, order.currency.trim()),
    reason: note,
    timeoutSeconds: ctx.refundTimeoutSeconds,
  };
  // scheduled before this transaction commits: its first step only asks payment (which knows nothing of these rows), and
  // its end reads them long after; delivered again after a failed commit, the instance id makes it the same workflow
  const state = await ctx.workflows().getWorkflowState(refundId, false).catch(() => undefined);
  if (!state) await ctx.workflows().scheduleNewWorkflow(WorkflowNames.refund, input, refundId);
}
