import { defineOperations, type ApiOperation } from './operation';
import { DashboardSummary, OrderStats } from './dashboard';
import { listOf } from './list';
import { CancelOrderRequest, CheckoutRequest, Order, RefundDecisionRequest, RequestRefundRequest, ShopOrderSummary, SubOrder, SubOrderRefund } from './order';
import { SubOrderForShipment } from './logistics';

const app = 'order' as const;

/** order's public operations. */
export const OrderPublic = defineOperations({
  checkout: { operationId: 'checkout', method: 'post', path: '/checkout', appId: app, summary: "Order the given lines (or the cart's selected lines): one sub-order per shop, priced, stock held, payment created; follow the order for its payment page",
    request: CheckoutRequest, idempotent: true, responses: { 202: { description: 'Order started', schema: Order }, 400: { description: 'Nothing to order, or a bad line' }, 503: { description: 'Too many checkouts in progress (`overloaded`): nothing was started; send the same request again after Retry-After seconds' } } },
  listOrders: { operationId: 'listOrders', method: 'get', path: '/orders', appId: app, summary: "The caller's orders, newest first", responses: { 200: { description: 'Orders', schema: listOf(Order) } } },
  getOrder: { operationId: 'getOrder', method: 'get', path: '/orders/:orderId', appId: app,
    summary: "One of the caller's orders, with its payment page while unpaid. Answered with an ETag; sent with `If-None-Match` and `Prefer: wait=N` (N at most 10), the answer waits until the order changes, or N seconds and then 304: one request per change instead of polling",
    responses: { 200: { description: 'Order', schema: Order }, 304: { description: 'Unchanged since the ETag sent, after the wait asked for' } } },
  cancelOrder: { operationId: 'cancelOrder', method: 'post', path: '/orders/:orderId/cancel', appId: app, summary: 'Cancel before paying', request: CancelOrderRequest, idempotent: true, responses: { 202: { description: 'Cancelling', schema: Order }, 409: { description: 'Paid already' } } },
  confirmReceipt: { operationId: 'confirmReceipt', method: 'post', path: '/orders/:orderId/sub-orders/:subOrderId/confirm-receipt', appId: app, summary: 'The buyer has the goods', idempotent: true, responses: { 200: { description: 'Sub-order', schema: SubOrder }, 409: { description: 'Not shipped' } } },
  listShopOrders: { operationId: 'listShopOrders', method: 'get', path: '/shops/:shopId/orders', appId: app, summary: "The shop's sub-orders, newest first (`?status=` narrows them)", responses: { 200: { description: 'Sub-orders', schema: listOf(SubOrder) } } },
  shopOrderSummary: { operationId: 'shopOrderSummary', method: 'get', path: '/shops/:shopId/order-summary', appId: app, summary: "The shop's dashboard: today's sub-orders and sales (`?timeZone=` decides the day, UTC by default), and counts per status", responses: { 200: { description: 'Summary', schema: ShopOrderSummary } } },
  getShopOrder: { operationId: 'getShopOrder', method: 'get', path: '/shops/:shopId/orders/:subOrderId', appId: app, summary: "One of the shop's sub-orders", responses: { 200: { description: 'Sub-order', schema: SubOrder } } },
  requestRefund: { operationId: 'requestRefund', method: 'post', path: '/orders/:orderId/sub-orders/:subOrderId/refunds', appId: app, summary: 'Ask the shop for money back, all that is left or a part (paid, shipped or delivered sub-orders)',
    request: RequestRefundRequest, idempotent: true, responses: { 201: { description: 'Requested', schema: SubOrderRefund }, 409: { description: 'Not refundable in its state, or more than is left' } } },
  decideRefund: { operationId: 'decideRefund', method: 'post', path: '/shops/:shopId/orders/:subOrderId/refunds/:refundId/decision', appId: app, summary: "Approve a refund (the money goes back through the payment's way) or refuse it with a reason",
    request: RefundDecisionRequest, idempotent: true, responses: { 200: { description: 'Decided', schema: SubOrderRefund } } },
  orderStats: { operationId: 'orderStats', method: 'get', path: '/admin/stats/orders', appId: app, summary: "Orders per status, today's, and what paid orders came to (platform admin)", responses: { 200: { description: 'Counts', schema: OrderStats } } },
  dashboardSummary: { operationId: 'dashboardSummary', method: 'get', path: '/dashboard/summary', appId: 'web', summary: 'Users, companies, shops, products and orders in one answer (platform admin; web asks every service at once)', responses: { 200: { description: 'Summary', schema: DashboardSummary }, 403: { description: 'Not a platform admin' } } },
});
export const OrderOperations: readonly ApiOperation[] = Object.values(OrderPublic);

/** Operations other services call through order's sidecar. */
export const OrderInternal = defineOperations({
  subOrderForShipment: { operationId: 'subOrderForShipment', method: 'get', path: '/internal/shipping/sub-orders/:subOrderId', appId: app, internal: true, callers: ['logistics'],
    summary: 'Whose a sub-order is and where it stands, before its shop ships it', responses: { 200: { description: 'Sub-order', schema: SubOrderForShipment }, 404: { description: 'No such sub-order' } } },
});
