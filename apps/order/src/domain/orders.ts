import { createHash, randomUUID } from 'node:crypto';
import { CancelReason, CartInternal, type GroupSeat, IdentityInternal, MarketingInternal, PaymentInternal, SubOrderStatus, type FieldError, type Quote, SubOrderTransitions, WorkflowNames, type CheckoutRequest, type Order, type ShopOrderSummary, type SubOrder, type SubOrderForShipment } from '@emporium/contracts';
import { companyOf, ConflictError, startOnce, InProgressError, RefusedError, uuidFromKey, hasRole, InvocationError, NotFoundError, requireShopStaff, NotApplicableError, ValidationError, type Principal, type Transaction, moneyOf } from '@emporium/kit';
import type { SubOrderRecord } from '../data/order-repository';
import { PaymentResultEvent, type CheckoutInput, type PaymentResult } from './checkout';
import type { OrderContext } from './order-context';
import { returnWindowDays } from './returns';

/**
 * Starts a checkout: prices the lines once here so a bad line is a 400 at
 * once, then schedules the checkout workflow (which prices again, as the
 * authority) and answers when the order exists, with its payment page when
 * the workflow has got that far.
 */
/**
 * `key`: the request's Idempotency-Key. The order's id comes from it (and the buyer), so the same
 * request sent again after a 503 (`in_progress`: its order was not there yet to answer with, and a
 * 5xx is never kept for the key) finds the checkout it started instead of starting another.
 */
export async function checkout(ctx: OrderContext, caller: Principal, input: CheckoutRequest, key?: string): Promise<Order> {
  const orderId = key ? uuidFromKey('checkout', caller.userId, key) : randomUUID();
  const earlier = await orderSnapshot(ctx, orderId);
  if (earlier) return earlier;
  if (!input.groupBuy) return startCheckout(ctx, caller, input, orderId);
  // a group buy takes its seat first: a full, ended or own group is refused before anything is made or charged
  const seat = await holdGroupSeat(ctx, caller, orderId, input.groupBuy);
  try {
    return await startCheckout(ctx, caller, input, orderId, seat);
  } catch (err) {
    // the checkout never started (refused, or its workflow not scheduled): the seat is free again at once;
    // a started checkout gives it up itself if it ends unpaid
    const started = await ctx.workflows().getWorkflowState(orderId, false).catch(() => undefined);
    if (!started) {
      await ctx.sidecar.call(MarketingInternal.releaseGroupSeat, { params: { orderId } }).catch((e: unknown) => ctx.logger.warn({ err: e, orderId }, 'group seat left to expire'));
    }
    throw err;
  }
}

async function holdGroupSeat(ctx: OrderContext, caller: Principal, orderId: string, g: NonNullable<CheckoutRequest['groupBuy']>): Promise<GroupSeat> {
  try {
    return await ctx.sidecar.call(MarketingInternal.holdGroupSeat, {
      body: { orderId, campaignId: g.campaignId, ...(g.groupId ? { groupId: g.groupId } : {}), buyerUserId: caller.userId, quantity: g.quantity, holdSeconds: ctx.paymentTimeoutSeconds + 120 },
    });
  } catch (err) {
    if (err instanceof InvocationError && (err.status === 404 || err.status === 409)) {
      const body = (err.body ?? {}) as { code?: string; detail?: string };
      // marketing's refusal (group_full, group_ended, own_group, over_limit, campaign_not_running) reaches the buyer as it came
      if (err.status === 409) throw new RefusedError(body.code ?? 'conflict', 'groupBuy.groupId', body.detail ?? 'the group cannot be joined');
      const field = g.groupId && !/campaign/.test(body.detail ?? '') ? 'groupBuy.groupId' : 'groupBuy.campaignId';
      throw new ValidationError([{ field, code: 'unknown', message: body.detail ?? 'no such group buy' }]);
    }
    throw err;
  }
}

async function startCheckout(ctx: OrderContext, caller: Principal, input: CheckoutRequest, orderId: string, seat?: GroupSeat): Promise<Order> {
  const companyId = companyOf(caller);
  const companyRole = companyId ? (hasRole(caller, 'company_admin', { companyId }) ? ('admin' as const) : ('buyer' as const)) : null;
  const buyer = { userId: caller.userId, companyId };
  let lines: CheckoutInput['lines'] | undefined = seat ? [{ skuId: seat.skuId, quantity: input.groupBuy!.quantity, groupBuyCampaignId: seat.campaignId }] : input.lines;
  if (!lines) {
    const stored = await ctx.sidecar.call(CartInternal.getStoredCart, { params: { userId: caller.userId } });
    lines = stored.lines.filter((l) => l.selected).map((l) => ({ skuId: l.skuId, quantity: l.quantity }));
    if (lines.length === 0) throw new ValidationError([{ field: 'lines', code: 'empty', message: 'nothing to order: pass lines, or select lines in the cart' }]);
  }
  let quote: Quote;
  try {
    quote = await ctx.sidecar.call(MarketingInternal.quoteForBuyer, { body: { lines, buyer, ...(input.couponIds?.length ? { couponIds: input.couponIds } : {}), ...(input.points ? { points: input.points } : {}) } });
  } catch (err) {
    if (err instanceof InvocationError && err.status === 400) {
      const body = err.body as { errors?: FieldError[] };
      throw new ValidationError(body.errors ?? [{ field: 'lines', code: 'invalid', message: 'a line cannot be ordered' }], 'A line cannot be ordered');
    }
    const refused = err instanceof InvocationError && err.status === 422 ? (err.body as { code?: string; detail?: string; errors?: FieldError[] }) : undefined;
    // marketing refused a coupon or the points the buyer asked for: its code, reason and field (`couponIds.N`, `points`) reach the buyer as they were
    if (refused?.code === 'coupon_not_applicable' || refused?.code === 'points_not_applicable') throw new NotApplicableError(refused.code, refused.detail ?? 'a discount cannot be used on this order', refused.errors);
    throw err;
  }
  // wallet and invoice: refused at once when the money is not there, rather than as a cancelled order
  if (input.paymentMethod !== 'card') {
    const verdict = await ctx.sidecar.call(PaymentInternal.checkPaymentEligibility, {
      body: { buyerUserId: buyer.userId, companyId, companyRole, method: input.paymentMethod, amount: quote.total },
    });
    if (!verdict.ok) throw new ValidationError([{ field: 'paymentMethod', code: 'not_payable', message: verdict.reason ?? `cannot pay by ${input.paymentMethod}` }], 'The order cannot be paid this way');
  }
  // the address as it is now, checked to be the caller's
  let shippingAddress: Order['shippingAddress'] = null;
  if (input.addressId) {
    try {
      const { id: _id, isDefault: _d, createdAt: _c, ...copy } = await ctx.sidecar.call(IdentityInternal.addressForOrder, { params: { userId: buyer.userId, addressId: input.addressId } });
      shippingAddress = copy;
    } catch (err) {
      if (err instanceof InvocationError && err.status === 404) throw new ValidationError([{ field: 'addressId', code: 'unknown', message: 'not one of your addresses' }]);
      throw err;
    }
  }
  const workflowInput: CheckoutInput = {
    orderId,
    buyer: { ...buyer, companyRole },
    lines,
    // the quote the buyer was just given is the one the order is made of: marketing is asked once,
    // and no activity of the workflow asks again (shape 2)
    quote,
    shape: 2,
    fromCart: !input.lines && !seat,
    method: input.paymentMethod,
    ...(seat ? { groupBuy: { campaignId: seat.campaignId, groupId: seat.groupId, quantity: input.groupBuy!.quantity, expiresAt: seat.expiresAt } } : {}),
    ...(input.returnUrl ? { returnUrl: input.returnUrl } : {}),
    paymentTimeoutSeconds: ctx.paymentTimeoutSeconds,
    shippingAddress,
  };
  return awaitOrder(ctx, orderId, async () => {
    // the same request again before its order row appeared: its workflow runs already, wait for it
    await startOnce(ctx.workflows(), WorkflowNames.checkout, workflowInput, orderId);
  });
}

/**
 * The answer to a checkout: the order once its row exists, after waiting for the payment page (or
 * the end: paid by wallet, refused) up to 3 s, woken by the row's change (LISTEN/NOTIFY) rather than
 * by reading it again and again (a lost notification costs 250 ms). `start` schedules the workflow,
 * after the watch began so no change is missed. No row after 5 s (a busy or recovering platform):
 * 503 `in_progress`, and the same request again finds the same order.
 */
async function awaitOrder(ctx: OrderContext, orderId: string, start?: () => Promise<unknown>): Promise<Order> {
  const changes = await ctx.orderChanges.watch(orderId);
  try {
    await start?.();
    const started = Date.now();
    for (;;) {
      const order = await orderSnapshot(ctx, orderId);
      const waited = Date.now() - started;
      if (order && (order.payment?.hostedUrl || order.status !== 'pending_payment' || waited >= 3000)) return order;
      if (waited >= 5000) break;
      await changes.next(250);
    }
  } finally {
    changes.close();
  }
  throw new InProgressError('the order is still being created: send the same request (same Idempotency-Key) again in a moment', 2);
}

/** An order as one moment saw it (one statement): a refund finishing meanwhile shows with its sub-order's new status, never half of it. */
function orderSnapshot(ctx: OrderContext, orderId: string): Promise<Order | undefined> {
  return ctx.repo.orderView(orderId);
}

export async function buyerOrder(ctx: OrderContext, caller: Principal, orderId: string): Promise<Order> {
  const order = await orderSnapshot(ctx, orderId);
  if (order?.buyerUserId !== caller.userId) throw new NotFoundError('no such order');
  return order;
}

/** A strong validator of what the buyer sees of an order: any change of it is a new ETag. */
export function orderEtag(order: Order): string {
  return `"${createHash('sha256').update(JSON.stringify(order)).digest('base64url').slice(0, 22)}"`;
}

/**
 * The buyer's order, waited for (a long poll): when the caller already has
 * the version `seen` (its ETag), the answer waits until the order changes or
 * `waitMs` passes, woken by the row's change (LISTEN/NOTIFY, on any replica;
 * read again every 5 s should a notification be lost). A client following
 * its payment sends one request per change instead of one every 100 ms.
 */
export async function buyerOrderAfter(ctx: OrderContext, caller: Principal, orderId: string, seen: string | undefined, waitMs: number): Promise<{ order: Order; etag: string }> {
  if (!seen || waitMs <= 0) {
    const order = await buyerOrder(ctx, caller, orderId);
    return { order, etag: orderEtag(order) };
  }
  const deadline = Date.now() + waitMs;
  // watching before the first read, so a change after that read is not missed and one read serves
  // both the first look and the wait (the order view is the heaviest query a checkout makes)
  const changes = await ctx.orderChanges.watch(orderId);
  try {
    for (;;) {
      const order = await buyerOrder(ctx, caller, orderId);
      const etag = orderEtag(order);
      const left = deadline - Date.now();
      if (etag !== seen || left <= 0) return { order, etag };
      await changes.next(Math.min(left, 5000));
    }
  } finally {
    changes.close();
  }
}

export async function buyerOrders(ctx: OrderContext, caller: Principal): Promise<Order[]> {
  const ids = await ctx.repo.ordersOf(caller.userId);
  return (await ctx.db.snapshot((t) => Promise.all(ids.map((id) => ctx.repo.orderView(id, t))))).filter((o): o is Order => o !== undefined);
}

/** The buyer cancels before paying: the payment is cancelled first (409 when it was paid), then the workflow unwinds. */
export async function cancelByBuyer(ctx: OrderContext, caller: Principal, orderId: string, reason: string = CancelReason.cancelledByBuyer): Promise<Order> {
  const order = await buyerOrder(ctx, caller, orderId);
  if (order.status === 'cancelled') return order;
  if (order.status !== 'pending_payment') throw new ConflictError('the order is paid; ask for a refund instead');
  if (order.payment) {
    try {
      await ctx.sidecar.call(PaymentInternal.cancelPayment, { params: { paymentId: order.payment.id }, body: { reason } });
    } catch (err) {
      if (err instanceof InvocationError && err.status === 409) throw new ConflictError('the payment went through; the order is being paid');
      throw err;
    }
  }
  const result: PaymentResult = { status: 'cancelled', reason };
  const changes = await ctx.orderChanges.watch(orderId);
  try {
    await ctx.workflows().raiseEvent(orderId, PaymentResultEvent, result);
    // the workflow unwinds (stock back, order cancelled): wait for it up to 5 s, woken by the row's change
    const started = Date.now();
    while (Date.now() - started < 5000) {
      const now = await buyerOrder(ctx, caller, orderId);
      if (now.status !== 'pending_payment') return now;
      await changes.next(250);
    }
  } finally {
    changes.close();
  }
  return buyerOrder(ctx, caller, orderId);
}

function ensureMove(row: SubOrderRecord, to: SubOrderStatus) {
  if (!SubOrderTransitions[row.status].includes(to)) throw new ConflictError(`a ${row.status} sub-order cannot become ${to}`, { status: row.status });
}

async function move(ctx: OrderContext, row: SubOrderRecord, to: SubOrderStatus, note: string | null): Promise<SubOrder> {
  return ctx.db.transaction(async (t) => {
    const locked = (await ctx.repo.subOrderRow(row.id, t, true))!;
    // a retried request replays its answer through its Idempotency-Key; a new one may only move forward
    ensureMove(locked, to);
    await moveIn(ctx, locked, to, note, t);
    return ctx.repo.subOrderView((await ctx.repo.subOrderRow(locked.id, t))!, t);
  });
}

/** Moves a locked sub-order (the move checked by the caller) and stages what its move tells others. */
async function moveIn(ctx: OrderContext, locked: SubOrderRecord, to: SubOrderStatus, note: string | null, t: Transaction): Promise<void> {
  await ctx.repo.setSubOrder(locked.id, to, t);
  await ctx.repo.timeline(locked.id, to, note, t);
  const ref = { orderId: locked.orderId, subOrderId: locked.id, shopId: locked.shopId };
  const order = (await ctx.repo.orderRow(locked.orderId, t))!;
  if (to === 'SHIPPED') {
    const shipped = (await ctx.repo.subOrderRow(locked.id, t))!;
    await ctx.events.stage(t, 'sub-order.shipped', { ...ref, carrier: shipped.carrier ?? '', trackingNumber: shipped.trackingNumber ?? '', buyerUserId: order.buyerUserId });
  }
  if (to === 'COMPLETED') {
    // completed without a delivery scan (confirmed by the buyer, or shipped before tracking): the window runs from now
    await ctx.repo.setReturnableUntil(locked.id, new Date(Date.now() + (await returnWindowDays(ctx, locked.shopId, t)) * 86_400_000), t);
    const refunded = (await ctx.repo.refunds(locked.id, t)).filter((r) => r.status === 'refunded').reduce((a, r) => a + Number(r.amount), 0);
    await ctx.events.stage(t, 'sub-order.completed', {
      ...ref,
      total: moneyOf(locked.total, order.currency),
      buyerUserId: order.buyerUserId,
      kept: moneyOf(Number(locked.total) - refunded, order.currency),
    });
  }
}

async function shopSubOrder(ctx: OrderContext, caller: Principal, shopId: string, subOrderId: string): Promise<SubOrderRecord> {
  requireShopStaff(caller, shopId);
  const row = await ctx.repo.subOrderRow(subOrderId);
  if (row?.shopId !== shopId) throw new NotFoundError('no such order');
  return row;
}

export async function shopOrders(ctx: OrderContext, caller: Principal, shopId: string, status?: SubOrderStatus): Promise<SubOrder[]> {
  requireShopStaff(caller, shopId);
  return ctx.db.snapshot(async (t) => Promise.all((await ctx.repo.subOrdersOfShop(shopId, status, t)).map((r) => ctx.repo.subOrderView(r, t))));
}

/** The shop's dashboard figures; "today" starts at midnight in the caller's time zone. */
export async function shopOrderSummary(ctx: OrderContext, caller: Principal, shopId: string, timeZone: string): Promise<ShopOrderSummary> {
  requireShopStaff(caller, shopId);
  const [today, counts] = await Promise.all([ctx.repo.shopToday(shopId, timeZone), ctx.repo.shopStatusCounts(shopId)]);
  const byStatus = Object.fromEntries(SubOrderStatus.options.map((s) => [s, 0])) as Record<SubOrderStatus, number>;
  for (const c of counts) byStatus[SubOrderStatus.parse(c.status)] = Number(c.n);
  return { shopId, timeZone, today: { orders: today.orders, paidOrders: today.paid, sales: today.sales }, byStatus, generatedAt: new Date().toISOString() };
}

export async function shopOrder(ctx: OrderContext, caller: Principal, shopId: string, subOrderId: string): Promise<SubOrder> {
  const row = await shopSubOrder(ctx, caller, shopId, subOrderId);
  return ctx.db.snapshot(async (t) => ctx.repo.subOrderView((await ctx.repo.subOrderRow(row.id, t))!, t));
}

/** What logistics asks before a shop ships a sub-order: whose it is and where it stands. */
export async function subOrderForShipment(ctx: OrderContext, subOrderId: string): Promise<SubOrderForShipment> {
  return ctx.db.snapshot(async (t) => {
    const row = await ctx.repo.subOrderRow(subOrderId, t);
    if (!row) throw new NotFoundError('no such sub-order');
    const order = (await ctx.repo.orderRow(row.orderId, t))!;
    return { subOrderId: row.id, orderId: row.orderId, shopId: row.shopId, buyerUserId: order.buyerUserId, status: row.status };
  });
}

/**
 * logistics made a shipment of a sub-order: PAID moves to SHIPPED with its
 * first parcel on the order. Heard once per shipment; a sub-order that
 * moved meanwhile (a refund asked while the shop was shipping) keeps its
 * status, the shipment is still noted on it and in its timeline.
 */
export async function shipmentCreated(ctx: OrderContext, data: { shipmentId: string; subOrderId: string; parcels: readonly { carrier: string; trackingNumber: string }[] }, t: Transaction): Promise<void> {
  const row = await ctx.repo.subOrderRow(data.subOrderId, t, true);
  if (!row || row.shipmentId === data.shipmentId) return;
  const first = data.parcels[0]!;
  await ctx.repo.setShipped(row.id, { shipmentId: data.shipmentId, carrier: first.carrier, trackingNumber: first.trackingNumber }, t);
  const note = data.parcels.map((p) => `${p.carrier} ${p.trackingNumber}`).join(', ');
  if (row.status === 'PAID') return moveIn(ctx, row, 'SHIPPED', note, t);
  if (row.status === 'REFUND_REQUESTED') {
    // a refund asked before the goods left: refused, it goes back to SHIPPED
    await ctx.repo.setOpenRefundsPrior(row.id, 'SHIPPED', t);
    await ctx.repo.timeline(row.id, row.status, `shipped while a refund was asked: ${note}`, t);
    return;
  }
  ctx.logger.warn({ subOrderId: row.id, status: row.status, shipmentId: data.shipmentId }, 'a shipment for a sub-order that cannot be shipped: noted, status kept');
  await ctx.repo.timeline(row.id, row.status, `shipped: ${note}`, t);
}

/**
 * Every parcel of the sub-order's shipment was delivered: SHIPPED moves to
 * DELIVERED and the confirmation period starts (it completes on its own
 * when that is over, unless the buyer confirms or asks for money back).
 */
export async function shipmentDelivered(ctx: OrderContext, data: { shipmentId: string; subOrderId: string; deliveredAt: string }, t: Transaction): Promise<void> {
  const row = await ctx.repo.subOrderRow(data.subOrderId, t, true);
  if (!row || row.deliveredAt) return;
  const deliveredAt = new Date(data.deliveredAt);
  // the period runs from when we heard, never from a carrier's clock in the past
  const autoCompleteAt = new Date(Math.max(Date.now(), deliveredAt.getTime()) + ctx.autoConfirmSeconds * 1000);
  await ctx.repo.setDelivered(row.id, deliveredAt, autoCompleteAt, t);
  // the return window runs from delivery, as the shop's policy says today
  await ctx.repo.setReturnableUntil(row.id, new Date(Math.max(Date.now(), deliveredAt.getTime()) + (await returnWindowDays(ctx, row.shopId, t)) * 86_400_000), t);
  const order = (await ctx.repo.orderRow(row.orderId, t))!;
  const ref = { orderId: row.orderId, subOrderId: row.id, shopId: row.shopId, buyerUserId: order.buyerUserId };
  if (row.status === 'SHIPPED') {
    await ctx.repo.setSubOrder(row.id, 'DELIVERED', t);
    await ctx.repo.timeline(row.id, 'DELIVERED', null, t);
  } else if (row.status === 'REFUND_REQUESTED') {
    await ctx.repo.setOpenRefundsPrior(row.id, 'DELIVERED', t);
    await ctx.repo.timeline(row.id, row.status, 'delivered while a refund was asked', t);
  } else return;
  await ctx.events.stage(t, 'sub-order.delivered', { ...ref, deliveredAt: deliveredAt.toISOString(), autoCompleteAt: autoCompleteAt.toISOString() });
}

export async function confirmReceipt(ctx: OrderContext, caller: Principal, orderId: string, subOrderId: string): Promise<SubOrder> {
  await buyerOrder(ctx, caller, orderId);
  const row = await ctx.repo.subOrderRow(subOrderId);
  if (row?.orderId !== orderId) throw new NotFoundError('no such sub-order');
  return move(ctx, row, 'COMPLETED', 'confirmed by the buyer');
}

/** Delivered sub-orders the buyer has not confirmed when their confirmation period is over complete on their own. */
export async function autoConfirm(ctx: OrderContext, limit = 100): Promise<number> {
  const due = await ctx.db.transaction((t) => ctx.repo.dueForAutoConfirm(limit, t));
  let done = 0;
  for (const row of due) {
    // each checked again under its lock, which a return request takes too: one
    // asked since the list was read keeps the sub-order (and the shop's money) where it is
    const moved = await ctx.db
      .transaction(async (t) => {
        const locked = await ctx.repo.subOrderRow(row.id, t, true);
        if (!locked || !(await ctx.repo.stillDueForAutoConfirm(row.id, t))) return false;
        ensureMove(locked, 'COMPLETED');
        await moveIn(ctx, locked, 'COMPLETED', 'confirmed automatically', t);
        return true;
      })
      .catch((err: unknown) => {
        ctx.logger.warn({ err, subOrderId: row.id }, 'auto-confirm failed');
        return false;
      });
    if (moved) done++;
  }
  return done;
}
