import { z } from 'zod';
import { defineEvent } from './events';
import { Price } from './catalog';
import { Quantity } from './inventory';
import { AddressInput } from './identity';
import { CarrierCode } from './logistics';

/**
 * After-sales (售后): returns that bring the goods back. The buyer asks to
 * return units of a delivered sub-order within its shop's return window
 * (also after it completed); the shop approves with an address to send them
 * to, or refuses with a reason; the buyer ships them back with a tracking
 * number logistics follows; the shop confirms receipt (the units it names go
 * back to stock, audited) or disputes it with a reason; receipt starts the
 * refund through the refund workflow.
 */
export const ReturnStatus = z.enum(['requested', 'approved', 'rejected', 'cancelled', 'shipped_back', 'delivered_to_shop', 'received', 'disputed', 'refunded', 'refund_failed']);
export type ReturnStatus = z.infer<typeof ReturnStatus>;
/** Statuses a return ends in; the others are open. */
export const ReturnEndStatuses: readonly ReturnStatus[] = ['rejected', 'cancelled', 'disputed', 'refunded', 'refund_failed'];

export const ReturnLine = z.object({ skuId: z.uuid(), quantity: Quantity }).strict();
export type ReturnLine = z.infer<typeof ReturnLine>;
const ReturnLines = z
  .array(ReturnLine)
  .min(1)
  .max(100)
  .refine((ls) => new Set(ls.map((l) => l.skuId)).size === ls.length, 'each SKU once');

export const ReturnAddress = AddressInput.omit({ isDefault: true });
export type ReturnAddress = z.infer<typeof ReturnAddress>;

export const ReturnTimelineEntry = z
  .object({
    status: ReturnStatus,
    at: z.iso.datetime(),
    /** who moved it: the buyer, the shop, the carrier (logistics) or the platform (the refund) */
    by: z.enum(['buyer', 'shop', 'carrier', 'platform']),
    note: z.string().nullable(),
  })
  .strict();

export const SubOrderReturn = z
  .object({
    id: z.uuid(),
    orderId: z.uuid(),
    subOrderId: z.uuid(),
    shopId: z.uuid(),
    status: ReturnStatus,
    reason: z.string(),
    /** the units going back */
    lines: z.array(ReturnLine),
    /** what they are refunded at: their net of every discount, as a refund by lines */
    amount: Price,
    /** where to send them (the shop's, on approval) */
    returnAddress: ReturnAddress.nullable(),
    /** the parcel going back, once the buyer sent it */
    shipment: z.object({ shipmentId: z.uuid(), carrier: CarrierCode, trackingNumber: z.string() }).strict().nullable(),
    /** the shop's reason for refusing or disputing */
    note: z.string().nullable(),
    /** units put back in stock on receipt (the rest: damaged, not resaleable) */
    restocked: z.array(ReturnLine).nullable(),
    /** the refund receipt started */
    refundId: z.uuid().nullable(),
    timeline: z.array(ReturnTimelineEntry),
    requestedAt: z.iso.datetime(),
  })
  .strict();
export type SubOrderReturn = z.infer<typeof SubOrderReturn>;
export const ReturnList = z.object({ items: z.array(SubOrderReturn) }).strict();

export const RequestReturnRequest = z.object({ reason: z.string().trim().min(3).max(500), lines: ReturnLines }).strict();
export type RequestReturnRequest = z.infer<typeof RequestReturnRequest>;
export const ReturnDecisionRequest = z.discriminatedUnion('decision', [
  z.object({ decision: z.literal('approve'), returnAddress: ReturnAddress }).strict(),
  z.object({ decision: z.literal('reject'), reason: z.string().trim().min(3).max(500) }).strict(),
]);
export type ReturnDecisionRequest = z.infer<typeof ReturnDecisionRequest>;
export const ReturnReceiptRequest = z.discriminatedUnion('decision', [
  z
    .object({
      decision: z.literal('received'),
      /** units that go back in stock; absent: every unit returned. Units left out stay out of stock (damaged) */
      restock: z
        .array(z.object({ skuId: z.uuid(), quantity: z.number().int().min(0).max(1_000_000) }).strict())
        .max(100)
        .refine((ls) => new Set(ls.map((l) => l.skuId)).size === ls.length, 'each SKU once')
        .optional(),
    })
    .strict(),
  z.object({ decision: z.literal('dispute'), reason: z.string().trim().min(3).max(500) }).strict(),
]);
export type ReturnReceiptRequest = z.infer<typeof ReturnReceiptRequest>;
export const ShopReturnsQuery = z.object({ status: ReturnStatus.optional() }).strict();

/** A shop's after-sales policy: how long after delivery its buyers may ask to return goods (七天无理由退货: 7). */
export const AfterSalesPolicy = z.object({ shopId: z.uuid(), returnWindowDays: z.number().int().min(0).max(90) }).strict();
export type AfterSalesPolicy = z.infer<typeof AfterSalesPolicy>;
export const PutAfterSalesPolicy = z.object({ returnWindowDays: z.number().int().min(0).max(90) }).strict();

/** What logistics asks order before a buyer sends goods back. */
export const ReturnForShipment = z
  .object({
    returnId: z.uuid(),
    orderId: z.uuid(),
    subOrderId: z.uuid(),
    shopId: z.uuid(),
    buyerUserId: z.uuid(),
    status: ReturnStatus,
  })
  .strict();
export type ReturnForShipment = z.infer<typeof ReturnForShipment>;
export const ReturnParcelRequest = z.object({ carrier: CarrierCode, trackingNumber: z.string().trim().min(4).max(40) }).strict();

/** inventory takes returned units back into stock, once per return (`reference`), the reason audited. */
export const RestockRequest = z
  .object({
    shopId: z.uuid(),
    orderId: z.uuid(),
    lines: z.array(ReturnLine).min(1).max(100),
    reason: z.string().min(3).max(200),
  })
  .strict();
export type RestockRequest = z.infer<typeof RestockRequest>;
export const RestockResult = z.object({ reference: z.string(), lines: z.array(ReturnLine), restockedAt: z.iso.datetime() }).strict();

export const AfterSalesEvents = [
  defineEvent('return.status-changed', 1, 'A return moved: asked, approved or refused, sent back, delivered to the shop, received or disputed, refunded', {
    returnId: z.uuid(),
    orderId: z.uuid(),
    subOrderId: z.uuid(),
    shopId: z.uuid(),
    buyerUserId: z.uuid(),
    status: ReturnStatus,
    amount: Price,
    /** the buyer's reason when asked, the shop's when refused or disputed */
    note: z.string().nullable(),
  }),
] as const;
