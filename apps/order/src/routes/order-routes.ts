import { Router } from 'express';
import { CancelOrderRequest, CheckoutRequest, RefundDecisionRequest, RequestRefundRequest, ShipRequest, ShopOrderSummaryQuery, ShopOrdersQuery } from '@emporium/contracts';
import { authenticate, idempotent, parseWith, principalOf, requireRole, uuidParams, type KeySource } from '@emporium/kit';
import { decideRefund, requestRefund } from '../domain/refunds';
import { orderStats } from '../domain/stats';
import { buyerOrder, buyerOrders, cancelByBuyer, checkout, confirmReceipt, ship, shopOrder, shopOrderSummary, shopOrders } from '../domain/orders';
import type { OrderContext } from '../domain/order-context';

export function orderRoutes(ctx: OrderContext, keys: KeySource): Router {
  const router = Router();
  const signedIn = authenticate(keys);
  const once = idempotent({ db: ctx.db, logger: ctx.logger, caller: (req) => principalOf(req).userId });

  // buyers
  router.post('/checkout', signedIn, once, async (req, res) => {
    const order = await checkout(ctx, principalOf(req), parseWith(CheckoutRequest, req.body));
    res.status(202).location(`/api/v1/orders/${order.id}`).json(order);
  });
  router.get('/orders', signedIn, async (req, res) => {
    res.json({ items: await buyerOrders(ctx, principalOf(req)) });
  });
  router.get('/orders/:orderId', signedIn, async (req, res) => {
    const [orderId] = uuidParams(req, 'orderId');
    res.json(await buyerOrder(ctx, principalOf(req), orderId!));
  });
  router.post('/orders/:orderId/cancel', signedIn, once, async (req, res) => {
    const [orderId] = uuidParams(req, 'orderId');
    res.status(202).json(await cancelByBuyer(ctx, principalOf(req), orderId!, parseWith(CancelOrderRequest, req.body ?? {}).reason));
  });
  router.post('/orders/:orderId/sub-orders/:subOrderId/confirm-receipt', signedIn, once, async (req, res) => {
    const [orderId, subOrderId] = uuidParams(req, 'orderId', 'subOrderId');
    res.json(await confirmReceipt(ctx, principalOf(req), orderId!, subOrderId!));
  });

  router.post('/orders/:orderId/sub-orders/:subOrderId/refunds', signedIn, once, async (req, res) => {
    const [orderId, subOrderId] = uuidParams(req, 'orderId', 'subOrderId');
    res.status(201).json(await requestRefund(ctx, principalOf(req), orderId!, subOrderId!, parseWith(RequestRefundRequest, req.body)));
  });

  router.get('/admin/stats/orders', signedIn, requireRole('platform_admin'), async (_req, res) => {
    res.json(await orderStats(ctx));
  });

  // merchants, their shop's sub-orders only
  router.get('/shops/:shopId/orders', signedIn, async (req, res) => {
    const [shopId] = uuidParams(req, 'shopId');
    res.json({ items: await shopOrders(ctx, principalOf(req), shopId!, parseWith(ShopOrdersQuery, req.query, 'query').status) });
  });
  router.get('/shops/:shopId/order-summary', signedIn, async (req, res) => {
    const [shopId] = uuidParams(req, 'shopId');
    res.json(await shopOrderSummary(ctx, principalOf(req), shopId!, parseWith(ShopOrderSummaryQuery, req.query, 'query').timeZone));
  });
  router.get('/shops/:shopId/orders/:subOrderId', signedIn, async (req, res) => {
    const [shopId, subOrderId] = uuidParams(req, 'shopId', 'subOrderId');
    res.json(await shopOrder(ctx, principalOf(req), shopId!, subOrderId!));
  });
  router.post('/shops/:shopId/orders/:subOrderId/ship', signedIn, once, async (req, res) => {
    const [shopId, subOrderId] = uuidParams(req, 'shopId', 'subOrderId');
    res.json(await ship(ctx, principalOf(req), shopId!, subOrderId!, parseWith(ShipRequest, req.body)));
  });
  router.post('/shops/:shopId/orders/:subOrderId/refunds/:refundId/decision', signedIn, once, async (req, res) => {
    const [shopId, subOrderId, refundId] = uuidParams(req, 'shopId', 'subOrderId', 'refundId');
    res.json(await decideRefund(ctx, principalOf(req), shopId!, subOrderId!, refundId!, parseWith(RefundDecisionRequest, req.body)));
  });
  return router;
}
