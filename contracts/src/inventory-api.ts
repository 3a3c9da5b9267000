import { RestockRequest, RestockResult } from './after-sales';
import { defineOperations, type ApiOperation } from './operation';
import { listOf } from './list';
import { AdjustStockRequest, Availability, FlashAllocation, FlashAllocationRequest, FlashHold, FlashHoldRequest, FlashSaleAvailability, PutThresholdRequest, ReceiveStockRequest, ReleaseRequest, Reservations, ReserveRequest, Stock, StockDetail } from './inventory';

const app = 'inventory' as const;

/** inventory's public operations (through /api/v1). Availability takes the query of AvailabilityQuery. */
export const InventoryPublic = defineOperations({
  getAvailability: { operationId: 'getAvailability', method: 'get', path: '/stock', appId: app, access: 'anyone', callers: ['cart', 'search'], summary: 'Available units and stock level of SKUs (skuIds=a,b,…)', responses: { 200: { description: 'Availability', schema: listOf(Availability) } } },
  listShopStock: { operationId: 'listShopStock', method: 'get', path: '/shops/:shopId/stock', appId: app, summary: "Stock of the caller's shop, optionally of one product (productId=…)", responses: { 200: { description: 'Stock', schema: listOf(Stock) } } },
  getShopStock: { operationId: 'getShopStock', method: 'get', path: '/shops/:shopId/stock/:skuId', appId: app, summary: 'Stock of one SKU with its latest movements', responses: { 200: { description: 'Stock', schema: StockDetail } } },
  receiveStock: { operationId: 'receiveStock', method: 'post', path: '/shops/:shopId/stock/:skuId/receipts', appId: app, summary: 'Units arrived', request: ReceiveStockRequest, idempotent: true, responses: { 200: { description: 'Stock', schema: Stock } } },
  adjustStock: { operationId: 'adjustStock', method: 'post', path: '/shops/:shopId/stock/:skuId/adjustments', appId: app, summary: 'Correct available units, with the reason audited', request: AdjustStockRequest, idempotent: true,
    responses: { 200: { description: 'Stock', schema: Stock }, 409: { description: 'Fewer units available than the adjustment removes' } } },
  holdFlashSaleUnits: { operationId: 'holdFlashSaleUnits', method: 'post', path: '/flash-sales/:campaignId/holds', appId: app, summary: "Hold units of a running flash sale for the caller, within the campaign's per-user limit; check out before the hold expires",
    request: FlashHoldRequest, idempotent: true, responses: { 201: { description: 'Held', schema: FlashHold }, 409: { description: 'sold_out, limit_reached, not_started or ended (the code says which)' } } },
  getFlashSaleAvailability: { operationId: 'getFlashSaleAvailability', method: 'get', path: '/flash-sales/:campaignId/availability', appId: app, access: 'anyone', summary: "A flash sale's remaining, held and sold units",
    responses: { 200: { description: 'Availability', schema: FlashSaleAvailability } } },
  putLowStockThreshold: { operationId: 'putLowStockThreshold', method: 'put', path: '/shops/:shopId/stock/:skuId/threshold', appId: app, summary: 'Publish stock.low when available units fall to this many', request: PutThresholdRequest, responses: { 200: { description: 'Stock', schema: Stock } } },
});
export const InventoryOperations: readonly ApiOperation[] = Object.values(InventoryPublic);

/**
 * Operations other services call through their sidecars (never routed by the
 * gateway): order holds, confirms and releases units;
 * marketing allocates flash sales.
 */
export const InventoryInternal = defineOperations({
  allocateFlashSale: { operationId: 'allocateFlashSale', method: 'post', path: '/internal/flash-sales', appId: app, internal: true, callers: ['marketing'], summary: "Set a flash sale's units aside from the SKU's stock and open its FlashSaleStock actor (idempotent by campaign id)",
    request: FlashAllocationRequest, responses: { 200: { description: 'Allocated', schema: FlashAllocation }, 409: { description: 'Fewer units available than the campaign sells' } } },
  reserveStock: { operationId: 'reserveStock', method: 'post', path: '/internal/reservations', appId: app, internal: true, callers: ['order'], summary: "Hold units for an order's lines, all or none; the same order and lines again answer the same",
    request: ReserveRequest, responses: { 200: { description: 'Held', schema: Reservations }, 409: { description: 'Not enough units of some SKU' } } },
  getReservations: { operationId: 'getReservations', method: 'get', path: '/internal/reservations/:orderId', appId: app, internal: true, callers: ['order'], summary: "An order's reservations",
    responses: { 200: { description: 'Reservations', schema: Reservations } } },
  confirmReservations: { operationId: 'confirmReservations', method: 'post', path: '/internal/reservations/:orderId/confirm', appId: app, internal: true, callers: ['order'], summary: 'The order is paid: held units are sold',
    responses: { 200: { description: 'Confirmed', schema: Reservations }, 409: { description: 'Released or expired before confirmation' } } },
  releaseReservations: { operationId: 'releaseReservations', method: 'post', path: '/internal/reservations/:orderId/release', appId: app, internal: true, callers: ['order'], summary: 'The order is cancelled: held units go back', request: ReleaseRequest,
    responses: { 200: { description: 'Released', schema: Reservations } } },
  restockSold: { operationId: 'restockSold', method: 'post', path: '/internal/restocks/:reference', appId: app, internal: true, callers: ['order'],
    summary: "Sold units back in stock (goods returned, or refunded before they were shipped), each an audited movement; once per reference, the same again answers the same", request: RestockRequest,
    responses: { 200: { description: 'Restocked', schema: RestockResult }, 409: { description: 'More units than the order sold' } } },
});
