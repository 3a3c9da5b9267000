import { randomUUID } from 'node:crypto';
import { CancelReason, CartInternal, InventoryInternal, MarketingInternal, MembershipInternal, PaymentInternal, WorkflowNames, type PaymentIntent, type Quote, type Order, type PaymentMethod } from '@emporium/contracts';
import { callStep, defineStep, failureReason, defineWorkflow, InvocationError, Saga, moneyOf } from '@emporium/kit';
import type { CheckoutContext } from './order-context';

/**
 * The checkout saga (DESIGN.md "The order saga"), one workflow instance per
 * order, its instance id the order id. Every step is an activity with its
 * compensation beside it, and every side effect is idempotent by the order id
 * (reservations by order and line, the payment by order), so an activity that
 * runs again after a crash changes nothing twice.
 */

export interface CheckoutInput {
  orderId: string;
  buyer: { userId: string; companyId: string | null; companyRole?: 'admin' | 'buyer' | null };
  lines: { skuId: string; quantity: number; flashSaleId?: string | undefined; groupBuyCampaignId?: string | undefined }[];
  fromCart: boolean;
  method: PaymentMethod;
  returnUrl?: string;
  paymentTimeoutSeconds: number;
  /** a copy of the buyer's address (absent from checkouts started before addresses existed) */
  shippingAddress?: Order['shippingAddress'];
  /** the quote the checkout request was answered with (absent from checkouts started before: the quote step asks marketing) */
  quote?: Quote;
  /**
   * The workflow's shape this instance was started with: 2 takes the quote from the input without an
   * activity; absent (instances started before) runs the `checkout.quote` activity first, as their
   * history recorded it (a replay that skipped a recorded activity would fail as non-deterministic)
   */
  shape?: 2;
  /** a group buy: the seat checkout took before starting (the group ends at expiresAt) */
  groupBuy?: { campaignId: string; groupId: string; quantity: number; expiresAt: string };
}

export type CheckoutResult = { status: 'paid' } | { status: 'cancelled'; reason: string };

/** The event payment results reach the workflow by (raised by the payment.* subscriptions and by a buyer's cancel). */
export const PaymentResultEvent = 'payment-result';
export type PaymentResult = { status: 'succeeded' } | { status: 'failed' | 'cancelled'; reason: string };

interface Created {
  subOrders: {
    subOrderId: string;
    shopId: string;
    total: { amount: number; currency: string };
    commissionBps: number;
    lines: { skuId: string; quantity: number; flashSaleId: string | null }[];
    /** what the platform pays the shop on top of the buyer's money (platform coupons) */
    platformDiscount?: { amount: number; currency: string };
  }[];
  total: { amount: number; currency: string };
  /** the coupons the order holds (absent from checkouts started before coupons) */
  couponIds?: string[];
  /** the points the order spends, and each sub-order's part (absent: none) */
  points?: { points: number; parts: { subOrderId: string; points: number; total: { amount: number; currency: string } }[] };
}

const lineId = (subOrderId: string, skuId: string) => `${subOrderId}:${skuId}`;

export function checkoutWorkflow(ctx: CheckoutContext) {
  const quote = defineStep<CheckoutInput, Quote>({
    name: 'checkout.quote',
    async run(input) {
      if (input.quote) return input.quote;
      const buyer = { userId: input.buyer.userId, companyId: input.buyer.companyId };
      return ctx.sidecar.call(MarketingInternal.quoteForBuyer, { body: { lines: input.lines, buyer } });
    },
  });

  const create = defineStep<{ input: CheckoutInput; quote: Quote }, Created>({
    name: 'checkout.create-orders',
    async run({ input, quote: q }) {
      const shopIds = q.shops.map((s) => s.shopId);
      const commissions = await ctx.repo.commissionOf(shopIds, ctx.defaultCommissionBps);
      await ctx.db.transaction(async (t) => {
        await ctx.repo.insert(
          {
            id: input.orderId,
            buyerUserId: input.buyer.userId,
            companyId: input.buyer.companyId,
            method: input.method,
            fromCart: input.fromCart,
            quote: q,
            subOrderIds: new Map(shopIds.map((s) => [s, randomUUID()])),
            commissions,
            shippingAddress: input.shippingAddress ?? null,
            groupBuy: input.groupBuy ? { campaignId: input.groupBuy.campaignId, groupId: input.groupBuy.groupId } : undefined,
          },
          t,
        );
      });
      // what was stored (by this run or an earlier one), not what this run generated
      const subs = await ctx.repo.subOrderRows(input.orderId);
      return {
        subOrders: subs.map((s) => ({
          subOrderId: s.id,
          shopId: s.shopId,
          total: moneyOf(s.total, q.currency),
          commissionBps: s.commissionBps,
          lines: q.shops.find((x) => x.shopId === s.shopId)!.lines.map((l) => ({ skuId: l.skuId, quantity: l.quantity, flashSaleId: l.flashSaleId })),
          platformDiscount: moneyOf(s.platformDiscount, q.currency),
        })),
        total: q.total,
        couponIds: q.coupons.map((c) => c.couponId),
        ...(q.member?.points.used
          ? {
              points: {
                points: q.member.points.used,
                parts: subs.map((s) => ({ subOrderId: s.id, points: q.shops.find((x) => x.shopId === s.shopId)!.pointsUsed ?? 0, total: moneyOf(s.total, q.currency) })),
              },
            }
          : {}),
      };
    },
  });

  /**
   * The buyer's coupons are held for this order (all or none): a coupon another order holds or used
   * cancels this one before any stock is held. Released when the order ends unpaid.
   */
  const holdCoupons = defineStep<{ input: CheckoutInput; created: Created }, { held: true }>({
    name: 'checkout.hold-coupons',
    async run({ input, created }) {
      try {
        await ctx.sidecar.call(MarketingInternal.reserveCoupons, { body: { orderId: input.orderId, buyerUserId: input.buyer.userId, couponIds: created.couponIds! } });
      } catch (err) {
        if (err instanceof InvocationError && err.status === 409) throw new Error('a coupon is used or held by another order', { cause: err });
        throw err;
      }
      return { held: true };
    },
    async compensate({ input }) {
      await ctx.sidecar.call(MarketingInternal.releaseCoupons, { params: { orderId: input.orderId }, body: { reason: 'order cancelled' } });
    },
  });

  /** The points the order spends, taken from the buyer's lots (the same order again holds nothing more); given back when it ends unpaid. */
  const holdPoints = defineStep<{ input: CheckoutInput; created: Created }, { held: true }>({
    name: 'checkout.hold-points',
    async run({ input, created }) {
      try {
        await ctx.sidecar.call(MembershipInternal.holdPoints, { body: { orderId: input.orderId, userId: input.buyer.userId, ...created.points! } });
      } catch (err) {
        if (err instanceof InvocationError && err.status === 409) throw new Error('fewer usable points than the order spends', { cause: err });
        throw err;
      }
      return { held: true };
    },
    async compensate({ input }) {
      await ctx.sidecar.call(MembershipInternal.releasePoints, { params: { orderId: input.orderId } });
    },
  });

  /** A group buy's seat, taken before the workflow started (again here: the same order answers the same); given up when the order ends unpaid. */
  const holdSeat = defineStep<{ input: CheckoutInput }, { held: true }>({
    name: 'checkout.hold-group-seat',
    async run({ input }) {
      const g = input.groupBuy!;
      try {
        await ctx.sidecar.call(MarketingInternal.holdGroupSeat, {
          body: { orderId: input.orderId, campaignId: g.campaignId, groupId: g.groupId, buyerUserId: input.buyer.userId, quantity: g.quantity, holdSeconds: input.paymentTimeoutSeconds + 120 },
        });
      } catch (err) {
        if (err instanceof InvocationError && (err.status === 409 || err.status === 404)) throw new Error(`the group buy's seat was refused (${(err.body as { code?: string } | null)?.code ?? err.status})`, { cause: err });
        throw err;
      }
      return { held: true };
    },
    async compensate({ input }) {
      await ctx.sidecar.call(MarketingInternal.releaseGroupSeat, { params: { orderId: input.orderId } });
    },
  });

  const reserve = defineStep<{ input: CheckoutInput; created: Created }, { reserved: true }>({
    name: 'checkout.reserve-stock',
    async run({ input, created }) {
      const lines = created.subOrders.flatMap((s) =>
        s.lines.map((l) => ({ lineId: lineId(s.subOrderId, l.skuId), skuId: l.skuId, quantity: l.quantity, ...(l.flashSaleId ? { flashSaleId: l.flashSaleId } : {}) })),
      );
      try {
        // a group buy's units stay held while its group fills: sold when it forms, back in stock if it fails
        const groupSeconds = input.groupBuy ? Math.max(0, Math.ceil((Date.parse(input.groupBuy.expiresAt) - Date.now()) / 1000)) : 0;
        await ctx.sidecar.call(InventoryInternal.reserveStock, {
          body: { orderId: input.orderId, lines, holdSeconds: input.paymentTimeoutSeconds + 300 + groupSeconds, buyerUserId: input.buyer.userId },
        });
      } catch (err) {
        if (err instanceof InvocationError && err.status === 409) {
          const flash = lines.some((l) => l.flashSaleId) && /flash/.test(JSON.stringify(err.body));
          throw new Error(flash ? 'no flash-sale units held for some lines' : 'not enough stock for some lines', { cause: err });
        }
        throw err;
      }
      return { reserved: true };
    },
    async compensate({ input }) {
      await ctx.sidecar.call(InventoryInternal.releaseReservations, { params: { orderId: input.orderId }, body: { reason: 'order cancelled' } }).catch((err: unknown) => {
        // nothing was held (the reserve call itself failed): nothing to release
        if (!(err instanceof InvocationError && err.status === 404)) throw err;
      });
    },
  });

  const pay = defineStep<{ input: CheckoutInput; created: Created }, PaymentIntent>({
    name: 'checkout.create-payment',
    async run({ input, created }) {
      const intent = await ctx.sidecar.call(PaymentInternal.createPayment, {
        body: {
          orderId: input.orderId,
          buyerUserId: input.buyer.userId,
          amount: created.total,
          method: input.method,
          companyId: input.buyer.companyId,
          companyRole: input.buyer.companyRole ?? null,
          splits: created.subOrders.map((s) => ({
            subOrderId: s.subOrderId,
            shopId: s.shopId,
            amount: s.total,
            commissionBps: s.commissionBps,
            ...(s.platformDiscount?.amount ? { platformDiscount: s.platformDiscount } : {}),
          })),
          description: `Emporium order ${input.orderId}`,
          ...(input.returnUrl ? { returnUrl: input.returnUrl } : {}),
        },
      });
      await ctx.repo.setOrder(input.orderId, { paymentId: intent.id, paymentStatus: intent.status, paymentUrl: intent.hostedUrl });
      return intent;
    },
    async compensate(_args, intent) {
      if (!intent) return; // run without undoOnFailure: only a created payment is undone
      try {
        await ctx.sidecar.call(PaymentInternal.cancelPayment, { params: { paymentId: intent.id }, body: { reason: 'order cancelled' } });
      } catch (err) {
        if (!(err instanceof InvocationError && err.status === 409)) throw err;
        // captured in a race with the cancellation (or after the stock hold ran out): all of it goes back
        await ctx.sidecar.call(PaymentInternal.refundPayment, { params: { paymentId: intent.id }, body: { reason: 'order cancelled after its payment was captured' } });
        ctx.logger.warn({ orderId: intent.orderId, paymentId: intent.id }, 'payment of a cancelled order was captured: refunded in full');
      }
    },
  });

  /** The end of a checkout that did not complete: the order and its sub-orders are cancelled with the reason. */
  const cancel = defineStep<{ orderId: string; reason: string }, { cancelled: true }>({
    name: 'checkout.cancel-order',
    async run({ orderId, reason }) {
      await cancelOrder(ctx, orderId, reason);
      return { cancelled: true };
    },
  });

  /**
   * After the timer: cancel the payment, unless it was captured meanwhile.
   * payment says which (`payment_captured`), so a paid order is confirmed
   * even when the payment's event is late or was lost on its way (a broker
   * that queued it for a subscriber that was down); while the provider is
   * still processing, only the result can end the wait.
   */
  const expire = defineStep<{ intent: PaymentIntent }, 'cancelled' | 'captured' | 'processing'>({
    name: 'checkout.expire-payment',
    async run({ intent }) {
      try {
        await ctx.sidecar.call(PaymentInternal.cancelPayment, { params: { paymentId: intent.id }, body: { reason: CancelReason.paymentTimedOut } });
        return 'cancelled';
      } catch (err) {
        if (err instanceof InvocationError && err.status === 409) return (err.body as { code?: unknown } | null)?.code === 'payment_captured' ? 'captured' : 'processing';
        throw err;
      }
    },
  });

  const confirm = defineStep<{ input: CheckoutInput; created: Created }, { paid: true }>({
    name: 'checkout.confirm',
    async run({ input, created }) {
      // a group buy's stock stays held until its group forms
      if (!input.groupBuy) await ctx.sidecar.call(InventoryInternal.confirmReservations, { params: { orderId: input.orderId } });
      const paidAs = input.groupBuy ? 'AWAITING_GROUP' : 'PAID';
      if (created.couponIds?.length) await ctx.sidecar.call(MarketingInternal.redeemCoupons, { params: { orderId: input.orderId } });
      await ctx.db.transaction(async (t) => {
        const order = (await ctx.repo.orderRow(input.orderId, t, true))!;
        if (order.status === 'paid') return;
        for (const s of await ctx.repo.subOrderRows(input.orderId, t, true)) {
          if (s.status !== 'PENDING_PAYMENT') continue;
          await ctx.repo.setSubOrder(s.id, paidAs, t);
          await ctx.repo.timeline(s.id, paidAs, null, t);
        }
        await ctx.repo.setOrder(input.orderId, { status: 'paid', paymentStatus: 'succeeded', paymentUrl: null }, t);
        const subOrders = [];
        for (const s of created.subOrders) {
          const lines = (await ctx.repo.lines(s.subOrderId, t)).map((l) => ({ productId: l.productId, skuId: l.skuId, quantity: l.quantity, paid: { amount: l.lineTotal - l.discount, currency: s.total.currency } }));
          subOrders.push({ subOrderId: s.subOrderId, shopId: s.shopId, total: s.total, lines });
        }
        await ctx.events.stage(t, 'order.paid', { orderId: input.orderId, buyerUserId: input.buyer.userId, total: created.total, subOrders });
      });
      // the seat becomes a member once the sub-order waits for the group: the group forming (or a payment too
      // late for it) comes back as an event that finds it there
      if (input.groupBuy) await ctx.sidecar.call(MarketingInternal.groupSeatPaid, { params: { orderId: input.orderId } });
      if (input.fromCart) {
        await ctx.sidecar
          .call(CartInternal.removeCartLines, { params: { userId: input.buyer.userId }, body: { skuIds: input.lines.map((l) => l.skuId) } })
          .catch((err: unknown) => ctx.logger.warn({ err, orderId: input.orderId }, 'ordered lines stay in the cart'));
      }
      return { paid: true };
    },
  });

  return defineWorkflow<CheckoutInput, CheckoutResult>(WorkflowNames.checkout, [quote, create, holdCoupons, holdPoints, holdSeat, reserve, pay, expire, confirm, cancel], async function* (wf, input) {
    const saga = new Saga(wf);
    let reason: string;
    try {
      const q = input.shape === 2 && input.quote ? input.quote : yield* saga.run(quote, input);
      // the steps' inputs without the quote: each activity's input is written to the workflow's
      // history and sent to the activity, and only create-orders reads the quote (passed beside)
      const { quote: _quote, ...slim } = input;
      const created = yield* saga.run(create, { input: slim, quote: q });
      // a hold whose answer was lost still holds: undone even when the step failed
      if (created.couponIds?.length) yield* saga.run(holdCoupons, { input: slim, created }, { undoOnFailure: true });
      if (created.points) yield* saga.run(holdPoints, { input: slim, created }, { undoOnFailure: true });
      if (input.groupBuy) yield* saga.run(holdSeat, { input: slim }, { undoOnFailure: true });
      yield* saga.run(reserve, { input: slim, created }, { undoOnFailure: true });
      const intent = yield* saga.run(pay, { input: slim, created });
      const result = wf.waitForExternalEvent(PaymentResultEvent);
      const timer = wf.createTimer(input.paymentTimeoutSeconds);
      const winner: unknown = yield wf.whenAny([result, timer]);
      let outcome: PaymentResult;
      if (winner === result) outcome = result.getResult() as PaymentResult;
      else {
        const expired = yield* callStep<'cancelled' | 'captured' | 'processing'>(wf, expire.name, { intent });
        outcome =
          expired === 'captured' ? { status: 'succeeded' } : expired === 'processing' ? ((yield wf.waitForExternalEvent(PaymentResultEvent)) as PaymentResult) : { status: 'cancelled', reason: CancelReason.paymentTimedOut };
      }
      if (outcome.status === 'succeeded') {
        yield* saga.run(confirm, { input: slim, created });
        return { status: 'paid' };
      }
      reason = outcome.reason;
    } catch (err) {
      reason = failureReason(err);
    }
    try {
      yield* saga.compensate();
    } catch (err) {
      // what could not be undone expires on its own (held stock) or is logged for a refund (a captured payment)
      reason = `${reason} (${failureReason(err)})`;
    }
    yield* callStep(wf, cancel.name, { orderId: input.orderId, reason });
    return { status: 'cancelled', reason };
  });
}

/** Cancels a pending order and its sub-orders (idempotent); staged order.cancelled once. */
export async function cancelOrder(ctx: CheckoutContext, orderId: string, reason: string): Promise<void> {
  await ctx.db.transaction(async (t) => {
    const order = await ctx.repo.orderRow(orderId, t, true);
    if (!order || order.status !== 'pending_payment') return;
    for (const s of await ctx.repo.subOrderRows(orderId, t, true)) {
      if (s.status !== 'PENDING_PAYMENT') continue;
      await ctx.repo.setSubOrder(s.id, 'CANCELLED', t);
      await ctx.repo.timeline(s.id, 'CANCELLED', reason, t);
    }
    await ctx.repo.setOrder(orderId, { status: 'cancelled', cancelReason: reason, paymentUrl: null }, t);
    await ctx.events.stage(t, 'order.cancelled', { orderId, buyerUserId: order.buyerUserId, reason });
  });
}
