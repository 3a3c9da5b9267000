import { z } from 'zod';
import { defineEvent } from './events';

/**
 * Inventory: stock per SKU and reservations. Invariant at every moment:
 * available + reserved + sold = received, none negative (the database refuses
 * anything else).
 */
export const Quantity = z.number().int().min(1).max(1_000_000);

export const StockLevel = z.enum(['in_stock', 'low', 'out_of_stock']);
export type StockLevel = z.infer<typeof StockLevel>;

export const Stock = z
  .object({
    skuId: z.uuid(),
    shopId: z.uuid(),
    productId: z.uuid(),
    received: z.number().int().min(0),
    available: z.number().int().min(0),
    reserved: z.number().int().min(0),
    sold: z.number().int().min(0),
    lowStockThreshold: z.number().int().min(0).nullable(),
    level: StockLevel,
    updatedAt: z.iso.datetime(),
  })
  .strict();
export type Stock = z.infer<typeof Stock>;

/** What shoppers and other services see of a SKU's stock. */
export const Availability = z.object({ skuId: z.uuid(), available: z.number().int().min(0), level: StockLevel }).strict();
export type Availability = z.infer<typeof Availability>;

export const AvailabilityQuery = z
  .object({ skuIds: z.string().transform((s, ctx) => {
    const ids = s.split(',').filter(Boolean);
    if (ids.length === 0 || ids.length > 200) ctx.addIssue({ code: 'custom', message: 'between 1 and 200 SKU ids, comma-separated' });
    for (const id of ids) if (!z.uuid().safeParse(id).success) ctx.addIssue({ code: 'custom', message: `${id} is not a UUID` });
    return ids;
  }) })
  .strict();

export const MovementKind = z.enum(['receive', 'adjust', 'reserve', 'confirm', 'release', 'expire', 'restock']);
export const StockMovement = z
  .object({
    id: z.uuid(),
    kind: MovementKind,
    /** change of available (receive, adjust, reserve, release, expire, restock: sold units back) or of sold (confirm) */
    quantity: z.number().int(),
    reason: z.string().nullable(),
    orderId: z.string().nullable(),
    actorUserId: z.uuid().nullable(),
    at: z.iso.datetime(),
  })
  .strict();

export const StockDetail = Stock.extend({ movements: z.array(StockMovement) }).strict();

export const ReceiveStockRequest = z
  .object({ quantity: Quantity, reason: z.string().trim().min(1).max(200).optional() })
  .strict();
export const AdjustStockRequest = z
  .object({
    /** positive adds units found, negative removes damaged or lost ones; never below what is reserved or sold */
    delta: z.number().int().min(-1_000_000).max(1_000_000).refine((n) => n !== 0, 'must not be zero'),
    reason: z.string().trim().min(3).max(200),
  })
  .strict();
export const PutThresholdRequest = z.object({ lowStockThreshold: z.number().int().min(0).max(1_000_000).nullable() }).strict();

/** order → inventory (service invocation only): hold units for an order's lines. */
export const ReserveRequest = z
  .object({
    orderId: z.string().min(1).max(100),
    lines: z
      .array(
        z
          .object({
            lineId: z.string().min(1).max(100),
            skuId: z.uuid(),
            quantity: Quantity,
            /** a flash-sale line takes the buyer's units held by the campaign's FlashSaleStock actor */
            flashSaleId: z.uuid().optional(),
          })
          .strict(),
      )
      .min(1)
      .max(100)
      .refine((lines) => new Set(lines.map((l) => l.lineId)).size === lines.length, 'line ids must be unique'),
    /** unconfirmed after this long, the units go back */
    /** a group buy's units stay held while its group fills (up to 7 days), so up to 8 days */
    holdSeconds: z.number().int().min(1).max(8 * 86_400).optional(),
    /** whose flash-sale holds the flash-sale lines take (required with such lines) */
    buyerUserId: z.uuid().optional(),
  })
  .strict()
  .refine((r) => r.buyerUserId !== undefined || r.lines.every((l) => l.flashSaleId === undefined), { message: 'flash-sale lines need the buyer', path: ['buyerUserId'] });
export type ReserveRequest = z.infer<typeof ReserveRequest>;

export const ReservationStatus = z.enum(['held', 'confirmed', 'released', 'expired']);
export const Reservation = z
  .object({
    orderId: z.string(),
    lineId: z.string(),
    skuId: z.uuid(),
    quantity: Quantity,
    status: ReservationStatus,
    expiresAt: z.iso.datetime(),
    flashSaleId: z.uuid().nullable(),
  })
  .strict();
export type Reservation = z.infer<typeof Reservation>;
export const Reservations = z.object({ orderId: z.string(), items: z.array(Reservation) }).strict();
export const ReleaseRequest = z.object({ reason: z.string().min(1).max(200) }).strict();

/**
 * Flash sales. marketing owns the campaign (price, window, limit); inventory
 * sets its units aside from the SKU's stock and hands them to the
 * `FlashSaleStock` actor (id `campaignId:skuId`), which holds them for
 * shoppers turn by turn. A hold lasts a few minutes; checkout turns it into
 * an order's reservation, payment into a sale.
 */
export const PerUserLimit = z.number().int().min(1).max(100);

/** marketing → inventory: set the campaign's units aside (idempotent by campaign id). */
export const FlashAllocationRequest = z
  .object({ campaignId: z.uuid(), skuId: z.uuid(), quantity: Quantity, perUserLimit: PerUserLimit, startsAt: z.iso.datetime(), endsAt: z.iso.datetime() })
  .strict();
export type FlashAllocationRequest = z.infer<typeof FlashAllocationRequest>;

export const FlashAllocationStatus = z.enum(['open', 'closed']);
export const FlashAllocation = z
  .object({
    campaignId: z.uuid(),
    skuId: z.uuid(),
    quantity: Quantity,
    /** units paid for so far */
    sold: z.number().int().min(0),
    /** unsold units given back to the SKU's stock when the sale closed */
    returned: z.number().int().min(0),
    status: FlashAllocationStatus,
  })
  .strict();
export type FlashAllocation = z.infer<typeof FlashAllocation>;

export const FlashHoldRequest = z.object({ quantity: z.number().int().min(1).max(100) }).strict();

/** A shopper's units held in a flash sale, to be checked out before `expiresAt`. */
export const FlashHold = z
  .object({
    campaignId: z.uuid(),
    skuId: z.uuid(),
    /** units this request held */
    quantity: Quantity,
    /** all the caller's units held and not yet checked out */
    holding: z.number().int().min(0),
    expiresAt: z.iso.datetime(),
  })
  .strict();
export type FlashHold = z.infer<typeof FlashHold>;

/** Why a hold was refused (409, in the problem's `code`). */
export const FlashRefusal = z.enum(['sold_out', 'limit_reached', 'not_started', 'ended']);
export type FlashRefusal = z.infer<typeof FlashRefusal>;

export const FlashSaleAvailability = z
  .object({
    campaignId: z.uuid(),
    skuId: z.uuid(),
    quantity: Quantity,
    /** units nobody holds; held units come back when their hold expires */
    remaining: z.number().int().min(0),
    held: z.number().int().min(0),
    sold: z.number().int().min(0),
    soldOut: z.boolean(),
    startsAt: z.iso.datetime(),
    endsAt: z.iso.datetime(),
  })
  .strict();
export type FlashSaleAvailability = z.infer<typeof FlashSaleAvailability>;

export const InventoryEvents = [
  defineEvent('stock.low', 1, "A SKU's available units fell to its merchant's threshold", {
    skuId: z.uuid(),
    shopId: z.uuid(),
    productId: z.uuid(),
    available: z.number().int().min(0),
    threshold: z.number().int().min(0),
  }),
  defineEvent('stock.availability-changed', 1, 'A SKU came into stock or ran out (available units crossed zero)', {
    skuId: z.uuid(),
    shopId: z.uuid(),
    productId: z.uuid(),
    inStock: z.boolean(),
    available: z.number().int().min(0),
    /** when the units changed: a later word about the SKU wins over an earlier one arriving late */
    changedAt: z.iso.datetime(),
  }),
  defineEvent('stock.reservation-expired', 1, 'Units held for an order went back unconfirmed', {
    orderId: z.string(),
    lineIds: z.array(z.string()),
  }),
] as const;
