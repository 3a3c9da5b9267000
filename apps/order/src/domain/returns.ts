import { randomUUID } from 'node:crypto';
import { InventoryInternal, type AfterSalesPolicy, type RequestReturnRequest, type ReturnDecisionRequest, type ReturnForShipment, type ReturnReceiptRequest, type ReturnStatus, type SubOrderReturn } from '@emporium/contracts';
import { ConflictError, InvocationError, moneyOf, NotFoundError, RefusedError, requireShopStaff, ValidationError, type Principal, type Transaction } from '@emporium/kit';
import { returnView, type ReturnRecord, type SubOrderRecord } from '../data/order-repository';
import { amountOfLines, startRefund } from './refunds';
import type { CheckoutContext, OrderContext } from './order-context';

/**
 * After-sales (docs/decisions/0022-after-sales.md): a return of goods. The
 * buyer asks within the sub-order's return window; the shop approves with an
 * address or refuses; the buyer sends the goods back through logistics
 * (`shipment.created`, then `shipment.delivered`, purpose return); the shop
 * confirms receipt (the units it names go back in stock, audited) or
 * disputes it; receipt approves the return's refund and starts the refund
 * workflow, whose end ends the return. Every step is written to the
 * return's timeline and published as `return.status-changed`.
 */

type By = 'buyer' | 'shop' | 'carrier' | 'platform';

/** The return window of a shop, in days: its own policy, else the platform's default. */
export async function returnWindowDays(ctx: OrderContext, shopId: string, t?: Transaction): Promise<number> {
  return (await ctx.repo.policy(shopId, t)) ?? ctx.returnWindowDays;
}

export async function afterSalesPolicy(ctx: OrderContext, shopId: string): Promise<AfterSalesPolicy> {
  return { shopId, returnWindowDays: await returnWindowDays(ctx, shopId) };
}

export async function putAfterSalesPolicy(ctx: OrderContext, caller: Principal, shopId: string, days: number): Promise<AfterSalesPolicy> {
  requireShopStaff(caller, shopId);
  await ctx.repo.putPolicy(shopId, days);
  return { shopId, returnWindowDays: days };
}

async function view(ctx: CheckoutContext, r: ReturnRecord, t: Transaction): Promise<SubOrderReturn> {
  const sub = (await ctx.repo.subOrderRow(r.subOrderId, t))!;
  const order = (await ctx.repo.orderRow(sub.orderId, t))!;
  return returnView(r, await ctx.repo.returnTimeline([r.id], t), sub, order.currency.trim());
}

/** Moves a return one step, writes it to the timeline, tells the other party, and wakes whoever waits on the order. */
async function step(ctx: CheckoutContext, r: ReturnRecord, sub: SubOrderRecord, to: ReturnStatus, by: By, note: string | null, t: Transaction, set: Parameters<CheckoutContext['repo']['moveReturn']>[5] = {}): Promise<ReturnRecord> {
  await ctx.repo.moveReturn(r.id, to, by, note, t, set);
  const order = (await ctx.repo.orderRow(sub.orderId, t))!;
  await ctx.events.stage(t, 'return.status-changed', {
    returnId: r.id,
    orderId: sub.orderId,
    subOrderId: sub.id,
    shopId: sub.shopId,
    buyerUserId: order.buyerUserId,
    status: to,
    amount: moneyOf(r.amount, order.currency.trim()),
    note,
  });
  await ctx.repo.changed(sub.orderId, t);
  return (await ctx.repo.returnRow(r.id, t))!;
}

export async function requestReturn(ctx: OrderContext, caller: Principal, orderId: string, subOrderId: string, input: RequestReturnRequest): Promise<SubOrderReturn> {
  const order = await ctx.repo.orderRow(orderId);
  if (order?.buyerUserId !== caller.userId) throw new NotFoundError('no such order');
  return ctx.db.transaction(async (t) => {
    const sub = await ctx.repo.subOrderRow(subOrderId, t, true);
    if (sub?.orderId !== orderId) throw new NotFoundError('no such sub-order');
    if (sub.status !== 'DELIVERED' && sub.status !== 'COMPLETED') throw new RefusedError('not_delivered', 'subOrderId', `a ${sub.status} sub-order has nothing to return: ask for a refund, or refuse the parcel`);
    if (!sub.returnableUntil || sub.returnableUntil.getTime() < Date.now()) throw new RefusedError('return_window_closed', 'subOrderId', sub.returnableUntil ? `returns closed on ${sub.returnableUntil.toISOString()}` : 'this shop takes no returns');
    const { rows } = await ctx.repo.returnsOf([sub.id], t);
    if (rows.some((r) => isOpen(r.status))) throw new RefusedError('return_open', 'subOrderId', 'a return of this sub-order is under way: finish or cancel it first');
    const amount = amountOfLines(await ctx.repo.lines(sub.id, t), await ctx.repo.refunds(sub.id, t), sub, input.lines);
    const id = randomUUID();
    const refundId = randomUUID();
    await ctx.repo.insertRefund({ id: refundId, subOrderId: sub.id, amount, reason: `return: ${input.reason}`, priorStatus: sub.status, requestedBy: caller.userId, lines: input.lines, returnId: id }, t);
    await ctx.repo.insertReturn({ id, subOrderId: sub.id, reason: input.reason, lines: input.lines, amount, refundId, requestedBy: caller.userId }, t);
    const created = await step(ctx, (await ctx.repo.returnRow(id, t))!, sub, 'requested', 'buyer', input.reason, t);
    return view(ctx, created, t);
  });
}

const OPEN: readonly ReturnStatus[] = ['requested', 'approved', 'shipped_back', 'delivered_to_shop', 'received'];
const isOpen = (s: ReturnStatus) => OPEN.includes(s);

/** A return of the caller's order, locked, with its sub-order; 404 for anyone else's. */
async function buyersReturn(ctx: OrderContext, caller: Principal, orderId: string, returnId: string, t: Transaction) {
  const r = await ctx.repo.returnRow(returnId, t, true);
  const sub = r ? await ctx.repo.subOrderRow(r.subOrderId, t) : undefined;
  const order = sub ? await ctx.repo.orderRow(sub.orderId, t) : undefined;
  if (!r || !sub || sub.orderId !== orderId || order?.buyerUserId !== caller.userId) throw new NotFoundError('no such return');
  return { r, sub };
}

async function shopsReturn(ctx: OrderContext, caller: Principal, shopId: string, returnId: string, t: Transaction) {
  requireShopStaff(caller, shopId);
  const r = await ctx.repo.returnRow(returnId, t, true);
  const sub = r ? await ctx.repo.subOrderRow(r.subOrderId, t) : undefined;
  if (!r || sub?.shopId !== shopId) throw new NotFoundError('no such return');
  return { r, sub };
}

export async function cancelReturn(ctx: OrderContext, caller: Principal, orderId: string, returnId: string): Promise<SubOrderReturn> {
  return ctx.db.transaction(async (t) => {
    const { r, sub } = await buyersReturn(ctx, caller, orderId, returnId, t);
    if (r.status === 'cancelled') return view(ctx, r, t);
    if (r.status !== 'requested' && r.status !== 'approved') throw new ConflictError(`a return ${r.status.replace(/_/g, ' ')} cannot be withdrawn`, { status: r.status });
    await ctx.repo.setRefund(r.refundId, 'rejected', 'the return was withdrawn', t);
    return view(ctx, await step(ctx, r, sub, 'cancelled', 'buyer', null, t), t);
  });
}

export async function decideReturn(ctx: OrderContext, caller: Principal, shopId: string, returnId: string, decision: ReturnDecisionRequest): Promise<SubOrderReturn> {
  return ctx.db.transaction(async (t) => {
    const { r, sub } = await shopsReturn(ctx, caller, shopId, returnId, t);
    if (r.status !== 'requested') {
      // the same decision again (a retry) answers what it made; another is too late
      const same = decision.decision === 'approve' ? r.status !== 'rejected' && r.status !== 'cancelled' : r.status === 'rejected';
      if (same) return view(ctx, r, t);
      throw new ConflictError(`the return is ${r.status.replace(/_/g, ' ')} already`, { status: r.status });
    }
    if (decision.decision === 'reject') {
      await ctx.repo.setRefund(r.refundId, 'rejected', decision.reason, t);
      return view(ctx, await step(ctx, r, sub, 'rejected', 'shop', decision.reason, t, { note: decision.reason }), t);
    }
    return view(ctx, await step(ctx, r, sub, 'approved', 'shop', null, t, { returnAddress: decision.returnAddress }), t);
  });
}

/**
 * The goods came back. Received: the units named go back in stock first
 * (inventory, once per return), then the return's refund is approved and
 * its workflow started. Disputed: the refund is refused with the shop's
 * reason (the platform arbitrates outside the system for now).
 */
export async function receiveReturn(ctx: OrderContext, caller: Principal, shopId: string, returnId: string, receipt: ReturnReceiptRequest): Promise<SubOrderReturn> {
  const first = await ctx.db.transaction(async (t) => shopsReturn(ctx, caller, shopId, returnId, t));
  const waiting = first.r.status === 'shipped_back' || first.r.status === 'delivered_to_shop';
  if (!waiting) {
    const same = (receipt.decision === 'received' && ['received', 'refunded', 'refund_failed'].includes(first.r.status)) || (receipt.decision === 'dispute' && first.r.status === 'disputed');
    if (same) return ctx.db.transaction(async (t) => view(ctx, (await ctx.repo.returnRow(returnId, t))!, t));
    throw new ConflictError(first.r.status === 'approved' || first.r.status === 'requested' ? 'the goods have not been sent back yet' : `the return is ${first.r.status.replace(/_/g, ' ')} already`, { status: first.r.status });
  }
  let restock: { skuId: string; quantity: number }[] = [];
  if (receipt.decision === 'received') {
    restock = (receipt.restock ?? first.r.lines).filter((l) => l.quantity > 0);
    const returned = new Map(first.r.lines.map((l) => [l.skuId, l.quantity]));
    const wrong = (receipt.restock ?? []).flatMap((l, i) =>
      !returned.has(l.skuId) ? [{ field: `restock.${i}.skuId`, code: 'not_returned', message: 'not a line of this return' }] : l.quantity > returned.get(l.skuId)! ? [{ field: `restock.${i}.quantity`, code: 'too_many', message: `at most ${returned.get(l.skuId)} came back` }] : [],
    );
    if (wrong.length) throw new ValidationError(wrong);
    if (restock.length) {
      try {
        await ctx.sidecar.call(InventoryInternal.restockSold, { params: { reference: `return:${returnId}` }, body: { shopId, orderId: first.sub.orderId, lines: restock, reason: `returned goods (return ${returnId.slice(0, 8)})` } });
      } catch (err) {
        if (err instanceof InvocationError && err.status === 409) throw new RefusedError('restock_refused', 'restock', ((err.body ?? {}) as { detail?: string }).detail ?? 'inventory refused to take the units back');
        throw err;
      }
    }
  }
  const received = await ctx.db.transaction(async (t) => {
    const { r, sub } = await shopsReturn(ctx, caller, shopId, returnId, t);
    if (r.status !== 'shipped_back' && r.status !== 'delivered_to_shop') return { r, sub, start: false };
    if (receipt.decision === 'dispute') {
      await ctx.repo.setRefund(r.refundId, 'rejected', `disputed by the shop: ${receipt.reason}`, t);
      return { r: await step(ctx, r, sub, 'disputed', 'shop', receipt.reason, t, { note: receipt.reason }), sub, start: false };
    }
    await ctx.repo.setRefund(r.refundId, 'approved', null, t);
    const note = restock.length ? `back in stock: ${restock.map((l) => l.quantity).reduce((a, b) => a + b, 0)} units` : 'nothing back in stock';
    return { r: await step(ctx, r, sub, 'received', 'shop', note, t, { restocked: restock }), sub, start: true };
  });
  if (received.start) await startRefund(ctx, received.r.refundId);
  return ctx.db.transaction(async (t) => view(ctx, (await ctx.repo.returnRow(returnId, t))!, t));
}

export async function shopReturns(ctx: OrderContext, caller: Principal, shopId: string, status?: ReturnStatus): Promise<{ items: SubOrderReturn[] }> {
  requireShopStaff(caller, shopId);
  return ctx.db.snapshot(async (t) => {
    const rows = await ctx.repo.returnsOfShop(shopId, status, t);
    const timeline = await ctx.repo.returnTimeline(
      rows.map((r) => r.id),
      t,
    );
    const currencies = new Map<string, string>();
    const items: SubOrderReturn[] = [];
    for (const r of rows) {
      if (!currencies.has(r.orderId)) currencies.set(r.orderId, (await ctx.repo.orderRow(r.orderId, t))!.currency.trim());
      items.push(returnView(r, timeline, { orderId: r.orderId, shopId }, currencies.get(r.orderId)!));
    }
    return { items };
  });
}

/** What logistics asks before a buyer sends goods back. */
export async function returnForShipment(ctx: OrderContext, returnId: string): Promise<ReturnForShipment> {
  return ctx.db.snapshot(async (t) => {
    const r = await ctx.repo.returnRow(returnId, t);
    if (!r) throw new NotFoundError('no such return');
    const sub = (await ctx.repo.subOrderRow(r.subOrderId, t))!;
    const order = (await ctx.repo.orderRow(sub.orderId, t))!;
    return { returnId: r.id, orderId: sub.orderId, subOrderId: sub.id, shopId: sub.shopId, buyerUserId: order.buyerUserId, status: r.status };
  });
}

/** logistics followed the buyer's parcel: sent (shipment made), then delivered to the shop. Each heard once; a return that moved on meanwhile keeps its status. */
export async function returnShipped(ctx: OrderContext, data: { returnId?: string | undefined; shipmentId: string; parcels: readonly { carrier: string; trackingNumber: string }[] }, t: Transaction): Promise<void> {
  const r = data.returnId ? await ctx.repo.returnRow(data.returnId, t, true) : undefined;
  if (r?.status !== 'approved') return;
  const sub = (await ctx.repo.subOrderRow(r.subOrderId, t))!;
  const p = data.parcels[0]!;
  await step(ctx, r, sub, 'shipped_back', 'buyer', `${p.carrier} ${p.trackingNumber}`, t, { shipment: { shipmentId: data.shipmentId, carrier: p.carrier, trackingNumber: p.trackingNumber } });
}

export async function returnDelivered(ctx: OrderContext, data: { returnId?: string | undefined }, t: Transaction): Promise<void> {
  const r = data.returnId ? await ctx.repo.returnRow(data.returnId, t, true) : undefined;
  if (r?.status !== 'shipped_back') return;
  await step(ctx, r, (await ctx.repo.subOrderRow(r.subOrderId, t))!, 'delivered_to_shop', 'carrier', null, t);
}

/** The return's refund ended (refund workflow's finish, in its transaction). */
export async function returnRefunded(ctx: CheckoutContext, returnId: string, ok: boolean, reason: string | null, t: Transaction): Promise<void> {
  const r = await ctx.repo.returnRow(returnId, t, true);
  if (r?.status !== 'received') return;
  await step(ctx, r, (await ctx.repo.subOrderRow(r.subOrderId, t))!, ok ? 'refunded' : 'refund_failed', 'platform', reason, t);
}
