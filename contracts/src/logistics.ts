import { z } from 'zod';
import { defineEvent } from './events';

/**
 * Logistics: shipments of sub-orders (and, later, of goods coming back), each
 * with one or more parcels followed through a tracking provider. Carriers'
 * own codes are mapped to one normalised set of statuses by code, never by
 * the checkpoint's text; a parcel's status only moves forward.
 */

/** The carriers a shop can ship with; each tracking number is checked against its carrier's pattern. */
export const CarrierCode = z.enum(['SF', 'ZTO', 'YTO', 'STO', 'YUNDA', 'JD', 'EMS', 'DEPPON', 'JT']);
export type CarrierCode = z.infer<typeof CarrierCode>;

export interface CarrierInfo {
  code: CarrierCode;
  name: { 'zh-CN': string; en: string };
  /** what its tracking numbers look like (after spaces and dashes are taken out and letters upper-cased) */
  pattern: RegExp;
  example: string;
}

/**
 * No carrier publishes a regular expression: these are the prefixed forms
 * open-source validators agree on, loose where the carriers' plain-digit
 * numbers collide (docs/notes/logistics-research.md §5). One table, so a
 * correction is one line.
 */
export const Carriers: Readonly<Record<CarrierCode, CarrierInfo>> = {
  SF: { code: 'SF', name: { 'zh-CN': '顺丰速运', en: 'SF Express' }, pattern: /^SF\d{12,15}$/, example: 'SF1234567890123' },
  ZTO: { code: 'ZTO', name: { 'zh-CN': '中通快递', en: 'ZTO Express' }, pattern: /^7[3-8]\d{12}$/, example: '73123456789012' },
  YTO: { code: 'YTO', name: { 'zh-CN': '圆通速递', en: 'YTO Express' }, pattern: /^YT\d{13}$/, example: 'YT1234567890123' },
  STO: { code: 'STO', name: { 'zh-CN': '申通快递', en: 'STO Express' }, pattern: /^(77|88|268|368|468|568|668|768|868|968)\d{9,13}$/, example: '773123456789012' },
  YUNDA: { code: 'YUNDA', name: { 'zh-CN': '韵达快递', en: 'Yunda Express' }, pattern: /^(31|43|46)\d{11,13}$/, example: '4312345678901' },
  JD: { code: 'JD', name: { 'zh-CN': '京东物流', en: 'JD Logistics' }, pattern: /^JD[A-Z0-9]{2}\d{11}$/, example: 'JDVA12345678901' },
  EMS: { code: 'EMS', name: { 'zh-CN': '中国邮政 EMS', en: 'China Post EMS' }, pattern: /^(E[A-Z]\d{9}CN|[189]\d{12})$/, example: 'EA123456789CN' },
  DEPPON: { code: 'DEPPON', name: { 'zh-CN': '德邦快递', en: 'Deppon Express' }, pattern: /^DP[KL]\d{12}$/, example: 'DPK123456789012' },
  JT: { code: 'JT', name: { 'zh-CN': '极兔速递', en: 'J&T Express' }, pattern: /^JT\d{13}$/, example: 'JT1234567890123' },
};

/** A tracking number as carriers print it: spaces and dashes out, letters upper-cased. */
export const normaliseTrackingNumber = (s: string): string => s.replace(/[\s-]/g, '').toUpperCase();

export const CarrierView = z
  .object({
    code: CarrierCode,
    name: z.object({ 'zh-CN': z.string(), en: z.string() }).strict(),
    /** the tracking number's pattern, as a regular expression's source */
    pattern: z.string(),
    example: z.string(),
  })
  .strict();
export type CarrierView = z.infer<typeof CarrierView>;
export const CarrierList = z.object({ items: z.array(CarrierView) }).strict();
export type CarrierList = z.infer<typeof CarrierList>;

/**
 * The normalised statuses (AfterShip's and 17TRACK's set). Ranked:
 * pending < info_received < in_transit < {out_for_delivery, failed_attempt,
 * available_for_pickup} < delivered. `exception` (with a kind) and `expired`
 * are overlays without a rank.
 */
export const TrackingStatus = z.enum(['pending', 'info_received', 'in_transit', 'out_for_delivery', 'failed_attempt', 'available_for_pickup', 'delivered', 'exception', 'expired']);
export type TrackingStatus = z.infer<typeof TrackingStatus>;
/** What kind of exception: returned_to_sender, lost and cancelled end the parcel's journey. */
export const ExceptionKind = z.enum(['returning_to_sender', 'returned_to_sender', 'refused', 'address_issue', 'customs', 'damaged', 'lost', 'cancelled', 'delayed', 'other']);
export type ExceptionKind = z.infer<typeof ExceptionKind>;

/** Why goods travel: to the buyer, or back to the shop (after-sales). */
export const ShipmentPurpose = z.enum(['outbound', 'return']);
export type ShipmentPurpose = z.infer<typeof ShipmentPurpose>;

export const TrackingEvent = z
  .object({
    /** the carrier's own code, as it came */
    code: z.string(),
    /** what the code means, normalised (null: a code nobody maps; kept, never applied) */
    status: TrackingStatus.nullable(),
    exceptionKind: ExceptionKind.nullable(),
    /** the carrier's words, for display only */
    description: z.string(),
    location: z.string().nullable(),
    occurredAt: z.iso.datetime(),
    receivedAt: z.iso.datetime(),
    /** whether it moved the parcel's status (a late, lower or repeated checkpoint is history only) */
    applied: z.boolean(),
  })
  .strict();
export type TrackingEvent = z.infer<typeof TrackingEvent>;

export const Parcel = z
  .object({
    id: z.uuid(),
    carrier: CarrierCode,
    trackingNumber: z.string(),
    status: TrackingStatus,
    exceptionKind: ExceptionKind.nullable(),
    /** when the carrier last said anything */
    lastEventAt: z.iso.datetime().nullable(),
    /** set when no news came for too long (the shop is told); cleared by the next checkpoint */
    staleSince: z.iso.datetime().nullable(),
    deliveredAt: z.iso.datetime().nullable(),
    /** checkpoints, oldest first */
    events: z.array(TrackingEvent),
  })
  .strict();
export type Parcel = z.infer<typeof Parcel>;

export const Shipment = z
  .object({
    id: z.uuid(),
    purpose: ShipmentPurpose,
    orderId: z.uuid(),
    subOrderId: z.uuid(),
    shopId: z.uuid(),
    parcels: z.array(Parcel),
    /** the return whose goods it carries back (purpose return) */
    returnId: z.uuid().nullable(),
    createdAt: z.iso.datetime(),
    /** when its last parcel was delivered */
    deliveredAt: z.iso.datetime().nullable(),
  })
  .strict();
export type Shipment = z.infer<typeof Shipment>;
export const ShipmentList = z.object({ items: z.array(Shipment) }).strict();

export const ParcelInput = z
  .object({
    carrier: CarrierCode,
    trackingNumber: z.string().trim().min(4).max(40),
  })
  .strict();
export const CreateShipmentRequest = z
  .object({
    /** the shop's paid sub-order to ship */
    subOrderId: z.uuid(),
    parcels: z
      .array(ParcelInput)
      .min(1)
      .max(10)
      .refine((ps) => new Set(ps.map((p) => `${p.carrier}:${normaliseTrackingNumber(p.trackingNumber)}`)).size === ps.length, 'each parcel once'),
  })
  .strict();
export type CreateShipmentRequest = z.infer<typeof CreateShipmentRequest>;
export const ShopShipmentsQuery = z
  .object({
    subOrderId: z.uuid().optional(),
    /** only shipments with a parcel that has had no news for too long */
    stale: z.enum(['true', 'false']).optional(),
  })
  .strict();

/** What logistics asks order before a shop ships: whose the sub-order is and where it stands. */
export const SubOrderForShipment = z
  .object({
    subOrderId: z.uuid(),
    orderId: z.uuid(),
    shopId: z.uuid(),
    buyerUserId: z.uuid(),
    status: z.string(),
  })
  .strict();
export type SubOrderForShipment = z.infer<typeof SubOrderForShipment>;

export const OrderOwner = z.object({ orderId: z.uuid(), buyerUserId: z.uuid() }).strict();

const ShipmentRef = {
  shipmentId: z.uuid(),
  purpose: ShipmentPurpose,
  orderId: z.uuid(),
  subOrderId: z.uuid(),
  shopId: z.uuid(),
  buyerUserId: z.uuid(),
  /** the return whose goods it carries back (purpose return) */
  returnId: z.uuid().optional(),
};
const ParcelRef = { ...ShipmentRef, parcelId: z.uuid(), carrier: CarrierCode, trackingNumber: z.string() };
export const LogisticsEvents = [
  defineEvent('shipment.created', 1, 'A shop handed goods to carriers: one or more parcels, each followed from now on', {
    ...ShipmentRef,
    parcels: z.array(z.object({ parcelId: z.uuid(), carrier: CarrierCode, trackingNumber: z.string() })).min(1),
  }),
  defineEvent('parcel.status-changed', 1, "A parcel's normalised status moved (forward only; a repeated or late checkpoint moves nothing)", {
    ...ParcelRef,
    status: TrackingStatus,
    exceptionKind: ExceptionKind.nullable(),
    /** the status before */
    previous: TrackingStatus,
    /** the carrier's time of the checkpoint */
    at: z.iso.datetime(),
    /** how many failed attempts the parcel has had so far (for failed_attempt) */
    attempts: z.number().int().min(0),
  }),
  defineEvent('parcel.stale', 1, 'A parcel on its way has had no news from its carrier for too long', {
    ...ParcelRef,
    status: TrackingStatus,
    /** the carrier's last word, or when it was handed over when the carrier never said anything */
    since: z.iso.datetime(),
  }),
  defineEvent('shipment.delivered', 1, 'Every parcel of a shipment was delivered', { ...ShipmentRef, deliveredAt: z.iso.datetime() }),
] as const;
