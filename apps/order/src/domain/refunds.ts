import { randomUUID } from 'node:crypto';
import { InventoryInternal, PaymentInternal, SubOrderTransitions, type AppliedCoupon, type PaymentRefund, WorkflowNames, type SubOrderRefund, type SubOrderStatus } from '@emporium/contracts';
import { callStep, ConflictError, startOnce, defineStep, defineWorkflow, failureReason, InvocationError, NotFoundError, RefusedError, requireShopStaff, type Principal, moneyOf } from '@emporium/kit';
import { refundView, type RefundRecord, type SubOrderRecord } from '../data/order-repository';
import type { CheckoutContext, OrderContext } from './order-context';
import { returnRefunded } from './returns';

/**
 * Refunds (DESIGN.md: "Refunds run as their own workflow"). The buyer asks
 * for all that is left of a sub-order or a part; the sub-order waits in
 * REFUND_REQUESTED; its shop approves or refuses. Approval starts the
 * `refund` workflow (instance id = refund id): payment gives the money back
 * the way it came, and the workflow waits for payment's result, then
 * finishes: REFUNDED when nothing is left, else back where it was.
 */
export const RefundResultEvent = 'refund-result';
export type RefundResult = { status: 'succeeded' } | { status: 'failed'; reason: string };

export interface RefundInput {
  refundId: string;
  orderId: string;
  subOrderId: string;
  amount: { amount: number; currency: string };
  reason: string;
  timeoutSeconds: number;
}

async function currencyOf(ctx: CheckoutContext, orderId: string): Promise<string> {
  return (await ctx.repo.orderRow(orderId))!.currency.trim();
}

/** What is left to refund of a sub-order: its total less refunds made or under way. */
function leftOf(sub: SubOrderRecord, refunds: RefundRecord[]): number {
  return Number(sub.total) - refunds.filter((r) => r.status === 'refunded' || r.status === 'approved' || r.status === 'requested').reduce((a, r) => a + Number(r.amount), 0);
}

/**
 * What `units` more units of a line give back, when `before` of its `quantity` were asked back already:
 * the line's net (what it cost less every discount apportioned to it) in proportion, counted
 * cumulatively and rounded down, so that all of a line's units give back exactly its net.
 */
export function unitsRefund(line: { quantity: number; net: number }, before: number, units: number): number {
  const upTo = (n: number) => Math.floor((line.net * n) / line.quantity);
  return upTo(before + units) - upTo(before);
}

/** The units of each line asked back by refunds still counting (asked, approved or made). */
function unitsAskedBack(refunds: RefundRecord[]): Map<string, number> {
  const asked = new Map<string, number>();
  for (const r of refunds) {
    if (r.status !== 'refunded' && r.status !== 'approved' && r.status !== 'requested') continue;
    for (const l of r.lines ?? []) asked.set(l.skuId, (asked.get(l.skuId) ?? 0) + l.quantity);
  }
  return asked;
}

/**
 * What units of a sub-order's lines give back: each line's units net of
 * their discounts, never more units than were bought and not yet asked back
 * (by refunds still counting), never more than is left of the sub-order.
 */
export function amountOfLines(
  lines: readonly { skuId: string; quantity: number; lineTotal: number; discount: number }[],
  refunds: RefundRecord[],
  sub: SubOrderRecord,
  wanted: readonly { skuId: string; quantity: number }[],
): number {
  const byId = new Map(lines.map((l) => [l.skuId, l]));
  const asked = unitsAskedBack(refunds);
  let amount = 0;
  wanted.forEach((want, i) => {
    const line = byId.get(want.skuId);
    if (!line) throw new RefusedError('not_in_sub_order', `lines.${i}.skuId`, 'the sub-order has no such line');
    const before = asked.get(want.skuId) ?? 0;
    if (before + want.quantity > line.quantity) throw new RefusedError('more_than_bought', `lines.${i}.quantity`, `at most ${line.quantity - before} more units of this line can be asked back`);
    amount += unitsRefund({ quantity: line.quantity, net: line.lineTotal - line.discount }, before, want.quantity);
  });
  const left = leftOf(sub, refunds);
  if (amount <= 0 || left <= 0) throw new ConflictError(`at most ${Math.max(left, 0)} of this sub-order can be refunded`, { field: 'lines', refundable: Math.max(left, 0) });
  return Math.min(amount, left);
}

export async function requestRefund(
  ctx: OrderContext,
  caller: Principal,
  orderId: string,
  subOrderId: string,
  input: { reason: string; amount?: { amount: number; currency: string } | undefined; lines?: { skuId: string; quantity: number }[] | undefined },
): Promise<SubOrderRefund> {
  const order = await ctx.repo.orderRow(orderId);
  if (order?.buyerUserId !== caller.userId) throw new NotFoundError('no such order');
  const currency = order.currency.trim();
  if (input.amount && input.amount.currency !== currency) throw new ConflictError(`the order was paid in ${currency}`, { field: 'amount.currency' });
  return ctx.db.transaction(async (t) => {
    const sub = await ctx.repo.subOrderRow(subOrderId, t, true);
    if (sub?.orderId !== orderId) throw new NotFoundError('no such sub-order');
    if (sub.status === 'AWAITING_GROUP') throw new ConflictError('the sub-order waits for its group: if the group does not form, all of it is refunded on its own', { status: sub.status });
    if (!SubOrderTransitions[sub.status].includes('REFUND_REQUESTED')) throw new ConflictError(`a ${sub.status} sub-order cannot be refunded`, { status: sub.status });
    const refunds = await ctx.repo.refunds(sub.id, t);
    const left = leftOf(sub, refunds);
    const amount = input.lines ? amountOfLines(await ctx.repo.lines(sub.id, t), refunds, sub, input.lines) : (input.amount?.amount ?? left);
    if (amount <= 0 || amount > left) throw new ConflictError(`at most ${left} of this sub-order can be refunded`, { field: 'amount', refundable: left });
    const id = randomUUID();
    await ctx.repo.insertRefund({ id, subOrderId: sub.id, amount, reason: input.reason, priorStatus: sub.status, requestedBy: caller.userId, lines: input.lines ?? null }, t);
    await ctx.repo.setSubOrder(sub.id, 'REFUND_REQUESTED', t);
    await ctx.repo.timeline(sub.id, 'REFUND_REQUESTED', input.reason, t);
    await ctx.events.stage(t, 'refund.requested', { orderId, subOrderId: sub.id, shopId: sub.shopId, refundId: id, buyerUserId: caller.userId, amount: moneyOf(amount, currency), reason: input.reason });
    return refundView((await ctx.repo.refund(id, t))!, currency);
  });
}

export async function decideRefund(
  ctx: OrderContext,
  caller: Principal,
  shopId: string,
  subOrderId: string,
  refundId: string,
  decision: { decision: 'approve' } | { decision: 'reject'; reason: string },
): Promise<SubOrderRefund> {
  requireShopStaff(caller, shopId);
  const decided = await ctx.db.transaction(async (t) => {
    const sub = await ctx.repo.subOrderRow(subOrderId, t, true);
    const refund = await ctx.repo.refund(refundId, t, true);
    if (sub?.shopId !== shopId || refund?.subOrderId !== sub.id) throw new NotFoundError('no such refund');
    if (refund.returnId) throw new RefusedError('decided_by_return', 'refundId', "this refund pays for a return: it goes out when the shop confirms the goods came back (POST /shops/:shopId/returns/:returnId/receipt)");
    if (refund.status !== 'requested') {
      const same = (decision.decision === 'approve' && refund.status !== 'rejected') || (decision.decision === 'reject' && refund.status === 'rejected');
      if (same) return { refund, sub, start: false };
      throw new ConflictError(`the refund was already ${refund.status}`);
    }
    if (decision.decision === 'reject') {
      await ctx.repo.setRefund(refund.id, 'rejected', decision.reason, t);
      await ctx.repo.setSubOrder(sub.id, refund.priorStatus, t);
      await ctx.repo.timeline(sub.id, refund.priorStatus, `refund refused: ${decision.reason}`, t);
    } else await ctx.repo.setRefund(refund.id, 'approved', null, t);
    const order = (await ctx.repo.orderRow(sub.orderId, t))!;
    await ctx.events.stage(t, 'refund.decided', {
      orderId: sub.orderId,
      subOrderId: sub.id,
      shopId,
      refundId: refund.id,
      buyerUserId: order.buyerUserId,
      amount: moneyOf(refund.amount, order.currency.trim()),
      decision: decision.decision === 'approve' ? 'approved' : 'rejected',
      reason: decision.decision === 'reject' ? decision.reason : null,
    });
    return { refund: (await ctx.repo.refund(refund.id, t))!, sub, start: decision.decision === 'approve' };
  });
  if (decided.refund.status === 'approved') await startRefund(ctx, decided.refund.id);
  return refundView(decided.refund, await currencyOf(ctx, decided.sub.orderId));
}

/** Starts the refund workflow of an approved refund (again after a crash between the commit and the schedule: the instance id makes it one workflow). */
export async function startRefund(ctx: OrderContext, refundId: string): Promise<void> {
  const state = await ctx.workflows().getWorkflowState(refundId, false).catch(() => undefined);
  // a state not readable (the scheduler away) is no proof it never started: a start that finds it running is fine
  if (!state) await scheduleRefund(ctx, refundId);
}

/** Schedules the refund workflow of an approved refund, for a caller that knows it has none (startOnce still makes a second start harmless). */
export async function scheduleRefund(ctx: OrderContext, refundId: string): Promise<void> {
  const refund = (await ctx.repo.refund(refundId))!;
  const sub = (await ctx.repo.subOrderRow(refund.subOrderId))!;
  const input: RefundInput = {
    refundId: refund.id,
    orderId: sub.orderId,
    subOrderId: sub.id,
    amount: moneyOf(refund.amount, await currencyOf(ctx, sub.orderId)),
    reason: refund.reason,
    timeoutSeconds: ctx.refundTimeoutSeconds,
  };
  await startOnce(ctx.workflows(), WorkflowNames.refund, input, input.refundId);
}

/** The end of a refund: refunded (the sub-order REFUNDED when nothing is left, else back where it was) or failed (back where it was). */
async function finish(ctx: CheckoutContext, input: RefundInput, result: RefundResult): Promise<void> {
  await ctx.db.transaction(async (t) => {
    const refund = (await ctx.repo.refund(input.refundId, t, true))!;
    if (refund.status !== 'approved') return;
    const sub = (await ctx.repo.subOrderRow(input.subOrderId, t, true))!;
    // a return's refund never moved the sub-order: it stays where it is (delivered, or completed meanwhile) unless all is refunded
    const back: SubOrderStatus = refund.returnId ? sub.status : refund.priorStatus;
    if (result.status === 'failed') {
      await ctx.repo.setRefund(refund.id, 'failed', result.reason, t);
      await ctx.repo.setSubOrder(sub.id, back, t);
      await ctx.repo.timeline(sub.id, back, `refund failed: ${result.reason}`, t);
      if (refund.returnId) await returnRefunded(ctx, refund.returnId, false, result.reason, t);
      return;
    }
    await ctx.repo.setRefund(refund.id, 'refunded', null, t);
    const refunded = (await ctx.repo.refunds(sub.id, t)).filter((r) => r.status === 'refunded').reduce((a, r) => a + Number(r.amount), 0);
    const full = refunded >= Number(sub.total);
    const to: SubOrderStatus = full ? 'REFUNDED' : back;
    if (refund.returnId) await returnRefunded(ctx, refund.returnId, true, null, t);
    await ctx.repo.setSubOrder(sub.id, to, t);
    await ctx.repo.timeline(sub.id, to, `refunded ${input.amount.currency} ${(input.amount.amount / 100).toFixed(2)}`, t);
    // the order's row lock, taken last: two sub-orders refunded at once see each other's end, so a platform coupon is judged once both are
    const order = full ? await ctx.repo.orderRow(sub.orderId, t, true) : undefined;
    const buyerUserId = (order ?? (await ctx.repo.orderRow(sub.orderId, t)))!.buyerUserId;
    const refundedCouponIds = order?.coupons.length ? couponsRefundedInFull(order.coupons, await ctx.repo.subOrderRows(sub.orderId, t)) : [];
    await ctx.events.stage(t, 'sub-order.refunded', {
      orderId: sub.orderId,
      subOrderId: sub.id,
      shopId: sub.shopId,
      refundId: refund.id,
      buyerUserId,
      amount: input.amount,
      full,
      ...(refundedCouponIds.length ? { refundedCouponIds } : {}),
    });
  });
}

/**
 * The units a refund made before its sub-order was shipped gives back to
 * stock: the lines it asked back, or (refunded in full without lines) every
 * unit not given back by an earlier refund of lines. A refund by amount, a
 * return (its units come back on receipt) or one after shipping: none.
 */
async function restockRefunded(ctx: CheckoutContext, refundId: string): Promise<number> {
  const refund = await ctx.repo.refund(refundId);
  if (refund?.status !== 'refunded' || refund.returnId || refund.priorStatus !== 'PAID') return 0;
  const sub = (await ctx.repo.subOrderRow(refund.subOrderId))!;
  let lines = refund.lines ?? [];
  if (!refund.lines && sub.status === 'REFUNDED') {
    const earlier = unitsAskedBack((await ctx.repo.refunds(sub.id)).filter((r) => r.id !== refund.id && r.status === 'refunded'));
    lines = (await ctx.repo.lines(sub.id)).map((l) => ({ skuId: l.skuId, quantity: l.quantity - (earlier.get(l.skuId) ?? 0) })).filter((l) => l.quantity > 0);
  }
  if (!lines.length) return 0;
  await ctx.sidecar.call(InventoryInternal.restockSold, { params: { reference: `refund:${refund.id}` }, body: { shopId: sub.shopId, orderId: sub.orderId, lines, reason: `refunded before shipping (refund ${refund.id.slice(0, 8)})` } });
  return lines.reduce((a, l) => a + l.quantity, 0);
}

/**
 * The coupons of an order every sub-order of which is refunded in full: a shop's coupon took money off
 * its shop's sub-order, a platform coupon off every sub-order with a platform share.
 */
export function couponsRefundedInFull(coupons: readonly AppliedCoupon[], subs: readonly Pick<SubOrderRecord, 'shopId' | 'status' | 'platformDiscount'>[]): string[] {
  return coupons
    .filter((c) => {
      const touched = subs.filter((s) => (c.shopId ? s.shopId === c.shopId : Number(s.platformDiscount) > 0));
      return touched.length > 0 && touched.every((s) => s.status === 'REFUNDED');
    })
    .map((c) => c.couponId);
}

export function refundWorkflow(ctx: CheckoutContext) {
  const pay = defineStep<RefundInput, PaymentRefund['status']>({
    name: 'refund.give-back',
    async run(input) {
      try {
        const r = await ctx.sidecar.call(PaymentInternal.createRefund, {
          body: { refundId: input.refundId, orderId: input.orderId, subOrderId: input.subOrderId, amount: input.amount, reason: input.reason },
        });
        return r.status;
      } catch (err) {
        // refused for good (more than is left, nothing captured): the refund fails, the workflow ends
        if (err instanceof InvocationError && (err.status === 409 || err.status === 404)) return 'failed';
        throw err;
      }
    },
  });
  const end = defineStep<{ input: RefundInput; result: RefundResult }, { done: true }>({
    name: 'refund.finish',
    async run({ input, result }) {
      await finish(ctx, input, result);
      return { done: true };
    },
  });
  const restock = defineStep<RefundInput, { restocked: number }>({
    name: 'refund.restock',
    async run(input) {
      try {
        return { restocked: await restockRefunded(ctx, input.refundId) };
      } catch (err) {
        ctx.logger.warn({ err, refundId: input.refundId }, 'units of a refund before shipping not back in stock yet; tried again');
        throw err;
      }
    },
  });
   
  return defineWorkflow<RefundInput, RefundResult>(WorkflowNames.refund, [pay, end, restock], async function* (wf, input) {
    let result: RefundResult;
    try {
      const status = yield* callStep<PaymentRefund['status']>(wf, pay.name, input);
      if (status === 'succeeded') result = { status: 'succeeded' };
      else if (status === 'failed') result = { status: 'failed', reason: 'payment refused the refund' };
      else {
        const event = wf.waitForExternalEvent(RefundResultEvent);
        const timer = wf.createTimer(input.timeoutSeconds);
        const winner: unknown = yield wf.whenAny([event, timer]);
        result = winner === event ? (event.getResult() as RefundResult) : { status: 'failed', reason: 'no answer from the provider in time' };
      }
    } catch (err) {
      result = { status: 'failed', reason: failureReason(err) };
    }
    yield* callStep(wf, end.name, { input, result });
    // refunded before it was shipped: the units go back in stock (inventory does it once per refund); a while later if inventory is away
    if (result.status === 'succeeded') {
      for (let attempt = 1; attempt <= 6; attempt++) {
        try {
          yield wf.callActivity(restock.name, input);
          break;
        } catch {
          if (attempt < 6) yield wf.createTimer(2 ** attempt);
        }
      }
    }
    return result;
  });
}
