import { z } from 'zod';
import { defineEvent } from './events';
import { Price } from './catalog';
import { Quantity } from './inventory';
import { AppliedCoupon, AppliedReduction, PriceSource, QuoteMember, QuoteRequest } from './marketing';
import { PaymentMethod, PaymentStatus } from './payment';
import { Address } from './identity';
import { SubOrderReturn } from './after-sales';

/**
 * Orders: one parent order per checkout, one sub-order per shop. Sub-orders
 * follow an explicit state machine; anything else is refused with 409.
 */
export const SubOrderStatus = z.enum(['PENDING_PAYMENT', 'AWAITING_GROUP', 'PAID', 'SHIPPED', 'DELIVERED', 'COMPLETED', 'CANCELLED', 'REFUND_REQUESTED', 'REFUNDED']);
export type SubOrderStatus = z.infer<typeof SubOrderStatus>;

/** Every allowed move of a sub-order; the order service refuses the rest with 409. */
export const SubOrderTransitions: Readonly<Record<SubOrderStatus, readonly SubOrderStatus[]>> = {
  PENDING_PAYMENT: ['PAID', 'AWAITING_GROUP', 'CANCELLED'],
  // a group buy's paid sub-order waits for its group: PAID once it forms, refunded in full (by the platform, not the buyer) if it fails
  AWAITING_GROUP: ['PAID', 'REFUND_REQUESTED'],
  PAID: ['SHIPPED', 'REFUND_REQUESTED'],
  SHIPPED: ['DELIVERED', 'COMPLETED', 'REFUND_REQUESTED'],
  DELIVERED: ['COMPLETED', 'REFUND_REQUESTED', 'REFUNDED'],
  // a return after completion refunded in full
  COMPLETED: ['REFUNDED'],
  CANCELLED: [],
  // refunded in full; or back where it was (refused, or refunded in part)
  REFUND_REQUESTED: ['REFUNDED', 'AWAITING_GROUP', 'PAID', 'SHIPPED', 'DELIVERED'],
  REFUNDED: [],
};

export const OrderStatus = z.enum(['pending_payment', 'paid', 'cancelled']);
export type OrderStatus = z.infer<typeof OrderStatus>;

export const CheckoutRequest = z
  .object({
    paymentMethod: PaymentMethod,
    /** without lines, the selected lines of the caller's cart */
    lines: z
      .array(
        z
          .object({
            skuId: z.uuid(),
            quantity: Quantity,
            /** buys units the caller holds in this flash sale (POST /flash-sales/:id/holds first) */
            flashSaleId: z.uuid().optional(),
          })
          .strict(),
      )
      .min(1)
      .max(100)
      .refine((lines) => new Set(lines.map((l) => l.skuId)).size === lines.length, 'each SKU once')
      .optional(),
    /** where the payment page sends the shopper back */
    returnUrl: z.url().optional(),
    /** one of the caller's addresses (GET /me/addresses); the order keeps a copy */
    addressId: z.uuid().optional(),
    /** the caller's coupons to use (POST /me/coupons/for-selection suggests the best): held with the order, used when it is paid, usable again if it is not */
    couponIds: QuoteRequest.shape.couponIds,
    /** the caller's points to spend (the quote's `member.points.max` says how many can be): held with the order, given back if it is not paid, and in proportion when it is refunded */
    points: QuoteRequest.shape.points,
    /**
     * buy one SKU at a group-buy campaign's group price: open a new group, or join `groupId`. The seat is
     * taken before anything is charged (a full, ended or own group is a 409); the paid order waits in
     * AWAITING_GROUP until the group forms, and is refunded in full if it does not. Without `lines` and coupons.
     */
    groupBuy: z.object({ campaignId: z.uuid(), groupId: z.uuid().optional(), quantity: Quantity }).strict().optional(),
  })
  .strict()
  .refine((r) => !(r.groupBuy && r.lines), { message: 'a group buy is ordered on its own: no lines', path: ['lines'] })
  .refine((r) => !(r.groupBuy && r.couponIds?.length), { message: 'coupons do not apply to group buys', path: ['couponIds'] })
  .refine((r) => !(r.groupBuy && r.points), { message: 'points do not apply to group buys', path: ['points'] });
export type CheckoutRequest = z.infer<typeof CheckoutRequest>;

export const OrderLine = z
  .object({
    skuId: z.uuid(),
    productId: z.uuid(),
    quantity: Quantity,
    unitPrice: Price,
    lineTotal: Price,
    priceSource: PriceSource,
    /** what coupons took off this line (lineTotal - discount was paid for it) */
    discount: Price,
  })
  .strict();

export const RefundStatus = z.enum(['requested', 'approved', 'refunded', 'rejected', 'failed']);
export const SubOrderRefund = z
  .object({
    id: z.uuid(),
    amount: Price,
    reason: z.string(),
    status: RefundStatus,
    /** the merchant's reason for refusing, or the payment's for failing */
    note: z.string().nullable(),
    requestedAt: z.iso.datetime(),
    decidedAt: z.iso.datetime().nullable(),
    refundedAt: z.iso.datetime().nullable(),
    /** the units asked back, when the refund was asked by lines (null: by amount) */
    lines: z.array(z.object({ skuId: z.uuid(), quantity: Quantity }).strict()).nullable(),
    /** the return it pays for: decided by the return's steps (the shop's receipt), never on its own */
    returnId: z.uuid().nullable(),
  })
  .strict();
export type SubOrderRefund = z.infer<typeof SubOrderRefund>;
export const RequestRefundRequest = z
  .object({
    reason: z.string().trim().min(3).max(500),
    /** part of the sub-order's total; all that is left to refund when absent (and no lines are named) */
    amount: Price.optional(),
    /**
     * units of the sub-order's lines to give back: the amount is what those units cost net of every
     * discount apportioned to them (full-reduction, coupons, level discount, points), rounded so that
     * all of a line's units give back its net exactly; shipping is not in it
     */
    lines: z
      .array(z.object({ skuId: z.uuid(), quantity: Quantity }).strict())
      .min(1)
      .max(100)
      .refine((ls) => new Set(ls.map((l) => l.skuId)).size === ls.length, 'each SKU once')
      .optional(),
  })
  .strict()
  .refine((r) => !(r.amount && r.lines), { message: 'ask by amount or by lines, not both', path: ['lines'] });
export const RefundDecisionRequest = z.discriminatedUnion('decision', [
  z.object({ decision: z.literal('approve') }).strict(),
  z.object({ decision: z.literal('reject'), reason: z.string().trim().min(3).max(500) }).strict(),
]);

export const TimelineEntry = z.object({ status: SubOrderStatus, at: z.iso.datetime(), note: z.string().nullable() }).strict();

export const SubOrder = z
  .object({
    id: z.uuid(),
    orderId: z.uuid(),
    shopId: z.uuid(),
    status: SubOrderStatus,
    lines: z.array(OrderLine),
    subtotal: Price,
    shipping: Price,
    /** coupons' discounts on this shop's lines (a platform coupon's share included) */
    discount: Price,
    /** subtotal + shipping - discount: what the buyer paid for this sub-order */
    total: Price,
    /** the part of discount the platform funds (paid to the shop from the platform's promotions account) */
    platformDiscount: Price,
    commissionBps: z.number().int(),
    /** its first parcel (logistics' shipment has them all: GET /orders/:orderId/shipments) */
    shipment: z.object({ carrier: z.string(), trackingNumber: z.string() }).strict().nullable(),
    /** when every parcel was delivered */
    deliveredAt: z.iso.datetime().nullable(),
    /** when it completes on its own unless the buyer confirms first (delivered ones; and those shipped before tracking existed) */
    autoCompleteAt: z.iso.datetime().nullable(),
    /** the group this sub-order's group buy took a seat in */
    groupBuy: z.object({ campaignId: z.uuid(), groupId: z.uuid() }).strict().nullable(),
    timeline: z.array(TimelineEntry),
    refunds: z.array(SubOrderRefund),
    /** returns of goods (after-sales), newest first */
    returns: z.array(SubOrderReturn),
    /** until when the buyer may ask to return goods (delivered or completed sub-orders; null: not yet, or not at all) */
    returnableUntil: z.iso.datetime().nullable(),
    /** refunded so far */
    refunded: Price,
    createdAt: z.iso.datetime(),
  })
  .strict();
export type SubOrder = z.infer<typeof SubOrder>;

export const Order = z
  .object({
    id: z.uuid(),
    buyerUserId: z.uuid(),
    status: OrderStatus,
    subtotal: Price,
    shipping: Price,
    discount: Price,
    /** subtotal + shipping - discount */
    total: Price,
    /** the shops' full-reduction activities applied, each with what it took off */
    reductions: z.array(AppliedReduction),
    /** the coupons the order holds (pending), used (paid) or held until it was cancelled, each with what it took off */
    coupons: z.array(AppliedCoupon),
    /** the buyer's membership as checkout applied it: the level discount, shipping the platform paid, the points spent (null: none) */
    member: QuoteMember.nullable(),
    payment: z.object({ id: z.uuid(), method: PaymentMethod, status: PaymentStatus.nullable(), hostedUrl: z.string().nullable() }).strict().nullable(),
    cancelReason: z.string().nullable(),
    /** where it goes, as the address was at checkout */
    shippingAddress: Address.omit({ id: true, isDefault: true, createdAt: true }).nullable(),
    subOrders: z.array(SubOrder),
    createdAt: z.iso.datetime(),
  })
  .strict();
export type Order = z.infer<typeof Order>;

const validTimeZone = (tz: string) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

/** Which of a shop's sub-orders to list, and the day a dashboard counts as today. */
export const ShopOrdersQuery = z.object({ status: SubOrderStatus.optional() }).strict();
export const ShopOrderSummaryQuery = z
  .object({ timeZone: z.string().max(64).refine(validTimeZone, 'an IANA time zone, e.g. Asia/Shanghai').default('UTC') })
  .strict();

/** A shop's dashboard: today's sub-orders (in the asked time zone), what they sold, and how many wait per status. */
export const ShopOrderSummary = z
  .object({
    shopId: z.uuid(),
    timeZone: z.string(),
    today: z
      .object({
        orders: z.number().int().min(0).describe('Sub-orders placed today, any status'),
        paidOrders: z.number().int().min(0).describe('Of those, paid (not pending, not cancelled)'),
        sales: z.array(Price).describe('Paid totals less refunds, per currency'),
      })
      .strict(),
    byStatus: z.record(SubOrderStatus, z.number().int().min(0)),
    generatedAt: z.iso.datetime(),
  })
  .strict();
export type ShopOrderSummary = z.infer<typeof ShopOrderSummary>;

export const CancelOrderRequest = z.object({ reason: z.string().trim().min(1).max(200).optional() }).strict();

const SubOrderRef = { orderId: z.uuid(), subOrderId: z.uuid(), shopId: z.uuid() };
export const OrderEvents = [
  defineEvent('order.paid', 1, 'An order was paid: its sub-orders are PAID and their stock sold', {
    orderId: z.uuid(),
    buyerUserId: z.uuid(),
    total: Price,
    subOrders: z.array(
      z.object({
        subOrderId: z.uuid(),
        shopId: z.uuid(),
        total: Price,
        /** what was bought: units and what they cost after the discounts (absent from events of before search and analytics) */
        lines: z.array(z.object({ productId: z.uuid(), skuId: z.uuid(), quantity: z.number().int().min(1), paid: Price })).optional(),
      }),
    ),
  }),
  defineEvent('order.cancelled', 1, 'An order ended before payment; everything it held is released', { orderId: z.uuid(), buyerUserId: z.uuid(), reason: z.string() }),
  defineEvent('sub-order.shipped', 1, 'A merchant shipped its part of an order', {
    ...SubOrderRef,
    carrier: z.string(),
    trackingNumber: z.string(),
    /** whose it is (absent from events of before logistics) */
    buyerUserId: z.uuid().optional(),
  }),
  defineEvent('sub-order.delivered', 1, "A sub-order's goods reached the buyer (every parcel delivered); it completes on its own after the confirmation period", {
    ...SubOrderRef,
    buyerUserId: z.uuid(),
    deliveredAt: z.iso.datetime(),
    /** when it completes unless the buyer confirms or asks for a refund first */
    autoCompleteAt: z.iso.datetime(),
  }),
  defineEvent('sub-order.completed', 1, "A sub-order is complete: the shop's escrow is released", {
    ...SubOrderRef,
    total: Price,
    /** whose it is (absent from events of before membership) */
    buyerUserId: z.uuid().optional(),
    /** what the buyer paid and kept: the total less refunds made before it completed */
    kept: Price.optional(),
  }),
  defineEvent('refund.requested', 1, 'A buyer asked a shop for money back on a sub-order (all that is left of it, or a part)', {
    ...SubOrderRef,
    refundId: z.uuid(),
    buyerUserId: z.uuid(),
    amount: Price,
    reason: z.string(),
  }),
  defineEvent('refund.decided', 1, 'A shop approved a refund (the money goes back next) or refused it with a reason', {
    ...SubOrderRef,
    refundId: z.uuid(),
    buyerUserId: z.uuid(),
    amount: Price,
    decision: z.enum(['approved', 'rejected']),
    reason: z.string().nullable(),
  }),
  defineEvent('sub-order.refunded', 1, 'Money of a sub-order went back to the buyer, in full (REFUNDED) or in part', {
    ...SubOrderRef,
    /** whose it is (absent from events of before after-sales) */
    buyerUserId: z.uuid().optional(),
    refundId: z.uuid(),
    amount: Price,
    full: z.boolean(),
    /** the order's coupons every sub-order of which (its shop's, or for a platform coupon every one it took money off) is now refunded in full */
    refundedCouponIds: z.array(z.uuid()).optional(),
  }),
] as const;
