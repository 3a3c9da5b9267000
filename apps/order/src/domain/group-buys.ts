import { InventoryInternal, WorkflowNames } from '@emporium/contracts';
import { InvocationError, moneyOf, startOnce, uuidFromKey } from '@emporium/kit';
import type { SubOrderRecord } from '../data/order-repository';
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

/**
 * The group formed: each waiting sub-order's held stock is sold (inventory), then, in a short
 * transaction of its own, the sub-order still waiting is PAID. The calls run outside any
 * transaction (the handler subscribes with `subscribeCalling`): an inventory away for a while no
 * longer holds the pool's connections and the sub-orders' row locks while its calls wait.
 */
export async function groupFormed(ctx: OrderContext, groupId: string, orderIds: readonly string[]): Promise<number> {
  let n = 0;
  for (const s of await ctx.repo.ofGroup(orderIds, groupId)) {
    if (s.status !== 'AWAITING_GROUP') {
      await ensureRefundStarted(ctx, s);
      continue;
    }
    try {
      await ctx.sidecar.call(InventoryInternal.confirmReservations, { params: { orderId: s.orderId } });
    } catch (err) {
      // the held units ran out before the group formed (a hold shorter than the group): the member is refunded
      if (err instanceof InvocationError && err.status === 409) {
        ctx.logger.error({ orderId: s.orderId, groupId }, 'a formed group’s order lost its held stock: refunded');
        if (await refundWaiting(ctx, s, groupId, 'the group formed, but the units held for this order had run out')) n++;
        continue;
      }
      throw err;
    }
    const paid = await ctx.db.transaction(async (t) => {
      if (!(await ctx.repo.awaitingGroup([s.orderId], groupId, t)).length) return false;
      await ctx.repo.setSubOrder(s.id, 'PAID', t);
      await ctx.repo.timeline(s.id, 'PAID', 'the group formed', t);
      return true;
    });
    if (paid) n++;
  }
  return n;
}

/** The group failed: each waiting sub-order's stock goes back and it is refunded in full (outside any transaction, as `groupFormed`). */
export async function groupFailed(ctx: OrderContext, groupId: string, orderIds: readonly string[], reason: string): Promise<number> {
  let n = 0;
  for (const s of await ctx.repo.ofGroup(orderIds, groupId)) {
    if (s.status !== 'AWAITING_GROUP') {
      await ensureRefundStarted(ctx, s);
      continue;
    }
    await ctx.sidecar.call(InventoryInternal.releaseReservations, { params: { orderId: s.orderId }, body: { reason: `group buy: ${reason}` } }).catch((err: unknown) => {
      if (!(err instanceof InvocationError && err.status === 404)) throw err;
    });
    if (await refundWaiting(ctx, s, groupId, reason)) n++;
  }
  return n;
}

const groupRefundId = (subOrderId: string) => uuidFromKey('group-buy-refund', subOrderId);

/**
 * All of a waiting sub-order back to the buyer: an approved refund (by nobody: the platform), written
 * in a short transaction while the sub-order still waits, then its workflow. Should scheduling fail
 * after the commit, the event comes again and `ensureRefundStarted` schedules it (the refund's id is
 * the workflow's instance id, so it is never started twice).
 */
async function refundWaiting(ctx: OrderContext, s: SubOrderRecord, groupId: string, reason: string): Promise<boolean> {
  const note = `group buy: ${reason}`;
  const asked = await ctx.db.transaction(async (t) => {
    if (!(await ctx.repo.awaitingGroup([s.orderId], groupId, t)).length) return false;
    await ctx.repo.insertRefund({ id: groupRefundId(s.id), subOrderId: s.id, amount: Number(s.total), reason: note, priorStatus: 'AWAITING_GROUP', requestedBy: null, status: 'approved' }, t);
    await ctx.repo.setSubOrder(s.id, 'REFUND_REQUESTED', t);
    await ctx.repo.timeline(s.id, 'REFUND_REQUESTED', note, t);
    return true;
  });
  if (asked) await ensureRefundStarted(ctx, s);
  return asked;
}

/** A group refund asked for (its row written) whose workflow may not have been scheduled: scheduled unless it exists. */
async function ensureRefundStarted(ctx: OrderContext, s: SubOrderRecord): Promise<void> {
  const refundId = groupRefundId(s.id);
  const refund = await ctx.repo.refund(refundId);
  if (refund?.status !== 'approved') return; // not a group refund, or past its start
  if (await ctx.workflows().getWorkflowState(refundId, false).catch(() => undefined)) return;
  const order = (await ctx.repo.orderRow(s.orderId))!;
  const input: RefundInput = {
    refundId,
    orderId: s.orderId,
    subOrderId: s.id,
    amount: moneyOf(refund.amount, order.currency.trim()),
    reason: refund.reason,
    timeoutSeconds: ctx.refundTimeoutSeconds,
  };
  await startOnce(ctx.workflows(), WorkflowNames.refund, input, refundId);
}
