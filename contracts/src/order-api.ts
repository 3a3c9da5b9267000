import { defineOperations, type ApiOperation } from './operation';
import { DashboardSummary, OrderStats } from './dashboard';
import { listOf } from './list';
import { CancelOrderRequest, CheckoutRequest, Order, RefundDecisionRequest, RequestRefundRequest, ShopOrderSummary, SubOrder, SubOrderRefund } from './order';
import { OrderOwner, SubOrderForShipment } from './logistics';
import { AfterSalesPolicy, PutAfterSalesPolicy, RequestReturnRequest, ReturnDecisionRequest, ReturnForShipment, ReturnList, ReturnReceiptRequest, SubOrderReturn } from './after-sales';

const app = 'order' as const;

/** order's public operations. */
export const OrderPublic = defineOperations({
  checkout: { operationId: 'checkout', method: 'post', path: '/checkout', appId: app, summary: "Order the given lines (or the cart's selected lines): one sub-order per shop, priced, stock held, payment created; follow the order for its payment page",
    request: CheckoutRequest, idempotent: true, responses: { 202: { description: 'Order started', schema: Order }, 400: { description: 'Nothing to order, or a bad line' }, 503: { description: 'Too many checkouts in progress (`overloaded`: nothing was started), or the order is still being created (`in_progress`, on a busy or recovering platform): either way send the same request, with the same Idempotency-Key, again after Retry-After seconds; it answers with the order it started' } } },
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
  requestReturn: { operationId: 'requestReturn', method: 'post', path: '/orders/:orderId/sub-orders/:subOrderId/returns', appId: app,
    summary: "Ask the shop to take units of a delivered (or completed) sub-order back for a refund, within the shop's return window; one open return per sub-order",
    request: RequestReturnRequest, idempotent: true,
    example: { reason: 'the glaze is cracked', lines: [{ skuId: '00000000-0000-4000-8000-000000000000', quantity: 1 }] },
    responses: { 201: { description: 'Asked', schema: SubOrderReturn }, 409: { description: 'Not delivered, past the return window, a return already open, or more units than are left' } } },
  cancelReturn: { operationId: 'cancelReturn', method: 'post', path: '/orders/:orderId/returns/:returnId/cancel', appId: app, summary: 'Withdraw a return before the goods are sent back', idempotent: true,
    responses: { 200: { description: 'Cancelled', schema: SubOrderReturn }, 409: { description: 'Sent back already, or ended' } } },
  listShopReturns: { operationId: 'listShopReturns', method: 'get', path: '/shops/:shopId/returns', appId: app, summary: "The shop's returns, newest first (`?status=` narrows them)",
    responses: { 200: { description: 'Returns', schema: ReturnList } } },
  decideReturn: { operationId: 'decideReturn', method: 'post', path: '/shops/:shopId/returns/:returnId/decision', appId: app, summary: 'Approve a return with the address the goods go back to, or refuse it with a reason the buyer sees',
    request: ReturnDecisionRequest, idempotent: true,
    example: { decision: 'approve', returnAddress: { recipient: 'Returns desk', phone: '+8613800138000', province: '浙江省', city: '丽水市', district: '龙泉市', street: '剑川大道 1 号' } },
    responses: { 200: { description: 'Decided', schema: SubOrderReturn }, 409: { description: 'Decided already' } } },
  receiveReturn: { operationId: 'receiveReturn', method: 'post', path: '/shops/:shopId/returns/:returnId/receipt', appId: app,
    summary: 'The goods came back: the units named go back in stock (all when none are named) and the refund goes out; or dispute what came back with a reason',
    request: ReturnReceiptRequest, idempotent: true, example: { decision: 'received' },
    responses: { 200: { description: 'Received or disputed', schema: SubOrderReturn }, 409: { description: 'Not sent back yet, or ended' } } },
  getAfterSalesPolicy: { operationId: 'getAfterSalesPolicy', method: 'get', path: '/shops/:shopId/after-sales-policy', appId: app, access: 'anyone', summary: "How long after delivery a shop's buyers may ask to return goods",
    responses: { 200: { description: 'Policy', schema: AfterSalesPolicy } } },
  putAfterSalesPolicy: { operationId: 'putAfterSalesPolicy', method: 'put', path: '/shops/:shopId/after-sales-policy', appId: app, summary: "Set the shop's return window in days (0: no returns; sub-orders already delivered keep the window they had)",
    request: PutAfterSalesPolicy, responses: { 200: { description: 'Policy', schema: AfterSalesPolicy } } },
  orderStats: { operationId: 'orderStats', method: 'get', path: '/admin/stats/orders', appId: app, summary: "Orders per status, today's, and what paid orders came to (platform admin)", responses: { 200: { description: 'Counts', schema: OrderStats } } },
  dashboardSummary: { operationId: 'dashboardSummary', method: 'get', path: '/dashboard/summary', appId: 'web', summary: 'Users, companies, shops, products and orders in one answer (platform admin; web asks every service at once)', responses: { 200: { description: 'Summary', schema: DashboardSummary }, 403: { description: 'Not a platform admin' } } },
});
export const OrderOperations: readonly ApiOperation[] = Object.values(OrderPublic);

/** Operations other services call through order's sidecar. */
export const OrderInternal = defineOperations({
  subOrderForShipment: { operationId: 'subOrderForShipment', method: 'get', path: '/internal/shipping/sub-orders/:subOrderId', appId: app, internal: true, callers: ['logistics'],
    summary: 'Whose a sub-order is and where it stands, before its shop ships it', responses: { 200: { description: 'Sub-order', schema: SubOrderForShipment }, 404: { description: 'No such sub-order' } } },
  orderBuyer: { operationId: 'orderBuyer', method: 'get', path: '/internal/shipping/orders/:orderId', appId: app, internal: true, callers: ['logistics'],
    summary: 'Whose an order is (logistics answers for the shipments of an order that has none yet)', responses: { 200: { description: 'Owner', schema: OrderOwner }, 404: { description: 'No such order' } } },
  returnForShipment: { operationId: 'returnForShipment', method: 'get', path: '/internal/shipping/returns/:returnId', appId: app, internal: true, callers: ['logistics'],
    summary: 'Whose a return is and where it stands, before its buyer sends the goods back', responses: { 200: { description: 'Return', schema: ReturnForShipment }, 404: { description: 'No such return' } } },
});
