import { defineOperations, type ApiOperation } from './operation';
import { CarrierList, CreateShipmentRequest, Shipment, ShipmentList } from './logistics';
import { ReturnParcelRequest } from './after-sales';

const app = 'logistics' as const;

/**
 * logistics's public operations (the gateway routes them at /api/v1): the
 * carriers, a shop's ship form and its shipments, the buyer's tracking, and
 * the tracking provider's signed callbacks.
 */
export const LogisticsPublic = defineOperations({
  listCarriers: { operationId: 'listCarriers', method: 'get', path: '/carriers', appId: app, access: 'anyone', summary: 'The carriers a shop can ship with, with the pattern of their tracking numbers',
    responses: { 200: { description: 'Carriers', schema: CarrierList } } },
  createShipment: { operationId: 'createShipment', method: 'post', path: '/shops/:shopId/shipments', appId: app,
    summary: "Ship a paid sub-order of the shop: one or more parcels, each a carrier of the list and a tracking number of that carrier's pattern; the sub-order becomes SHIPPED a moment later and each parcel is followed until it is delivered",
    request: CreateShipmentRequest, idempotent: true,
    example: { subOrderId: '00000000-0000-4000-8000-000000000000', parcels: [{ carrier: 'SF', trackingNumber: 'SF1234567890123' }] },
    responses: { 201: { description: 'Shipment', schema: Shipment }, 404: { description: 'No such sub-order of the shop' }, 409: { description: 'Not paid, shipped already, or a tracking number another parcel on its way has' } } },
  listShopShipments: { operationId: 'listShopShipments', method: 'get', path: '/shops/:shopId/shipments', appId: app,
    summary: "The shop's shipments, newest first, with each parcel's tracking (`?subOrderId=` one sub-order's, `?stale=true` those with a parcel that has had no news for too long)",
    responses: { 200: { description: 'Shipments', schema: ShipmentList } } },
  getShopShipment: { operationId: 'getShopShipment', method: 'get', path: '/shops/:shopId/shipments/:shipmentId', appId: app, summary: "One of the shop's shipments with its tracking timeline",
    responses: { 200: { description: 'Shipment', schema: Shipment } } },
  listOrderShipments: { operationId: 'listOrderShipments', method: 'get', path: '/orders/:orderId/shipments', appId: app, summary: "The shipments of one of the caller's orders, with each parcel's tracking timeline",
    responses: { 200: { description: 'Shipments', schema: ShipmentList } } },
  createReturnShipment: { operationId: 'createReturnShipment', method: 'post', path: '/orders/:orderId/returns/:returnId/shipments', appId: app,
    summary: "Send the goods of an approved return back: a carrier of the list and its tracking number, followed like any parcel; the shop is told when it arrives",
    request: ReturnParcelRequest, idempotent: true, example: { carrier: 'SF', trackingNumber: 'SF1234567890123' },
    responses: { 201: { description: 'Shipment', schema: Shipment }, 404: { description: 'No such return of the caller' }, 409: { description: 'Not approved, or sent already' } } },
  trackingWebhook: { operationId: 'trackingWebhook', method: 'post', path: '/webhooks/tracking/:provider', appId: app, access: 'anyone',
    summary: "Checkpoints pushed by a tracking provider (`sim`: the carrier simulator), signed with HMAC (X-Carrier-Signature); each applied once, a parcel's status moving forward only",
    responses: { 200: { description: 'Taken' }, 400: { description: 'A body that is not a callback' }, 401: { description: 'Unsigned, or not signed with our key' }, 404: { description: 'No such provider' } } },
});
export const LogisticsOperations: readonly ApiOperation[] = Object.values<ApiOperation>(LogisticsPublic);

/** Operations other services call through their sidecars, each with `internal: true` and its `callers`. */
export const LogisticsInternal = defineOperations({});
