import { Router } from 'express';
import { CancelOrderRequest, CheckoutRequest, RefundDecisionRequest, RequestRefundRequest, ShipRequest, ShopOrderSummaryQuery, ShopOrdersQuery, OrderPublic } from '@emporium/contracts';
import { authenticate, idempotent, parseWith, principalOf, requireRole, uuidParams, type KeySource, serve } from '@emporium/kit';
import { decideRefund, requestRefund } from '../domain/refunds';
import { orderStats } from '../domain/stats';
import { buyerOrder, buyerOrders, cancelByBuyer, checkout, confirmReceipt, ship, shopOrder, shopOrderSummary, shopOrders } from '../domain/orders';
import type { OrderContext } from '../domain/order-context';

export function orderRoutes(ctx: OrderContext, keys: KeySource): Router {
  const router = Router();
  const signedIn = authenticate(keys);
  const once = idempotent({ db: ctx.db, logger: ctx.logger, caller: (req) => principalOf(req).userId });

  // buyers
  serve(router, OrderPublic.checkout, signedIn, once, async (req, res) => {
    const order = await checkout(ctx, principalOf(req), parseWith(CheckoutRequest, req.body));
    res.status(202).location(`/api/v1/orders/${order.id}`).json(order);
  });
  serve(router, OrderPublic.listOrders, signedIn, async (req, res) => {
    res.json({ items: await buyerOrders(ctx, principalOf(req)) });
  });
  serve(router, OrderPublic.getOrder, signedIn, async (req, res) => {
    const [orderId] = uuidParams(req, 'orderId');
    res.json(await buyerOrder(ctx, principalOf(req), orderId!));
  });
  serve(router, OrderPublic.cancelOrder, signedIn, once, async (req, res) => {
    const [orderId] = uuidParams(req, 'orderId');
    res.status(202).json(await cancelByBuyer(ctx, principalOf(req), orderId!, parseWith(CancelOrderRequest, req.body ?? {}).reason));
  });
  serve(router, OrderPublic.confirmReceipt, signedIn, once, async (req, res) => {
    const [orderId, subOrderId] = uuidParams(req, 'orderId', 'subOrderId');
    res.json(await confirmReceipt(ctx, principalOf(req), orderId!, subOrderId!));
  });

  serve(router, OrderPublic.requestRefund, signedIn, once, async (req, res) => {
    const [orderId, subOrderId] = uuidParams(req, 'orderId', 'subOrderId');
    res.status(201).json(await requestRefund(ctx, principalOf(req), orderId!, subOrderId!, parseWith(RequestRefundRequest, req.body)));
  });

  serve(router, OrderPublic.orderStats, signedIn, requireRole('platform_admin'), async (_req, res) => {
    res.json(await orderStats(ctx));
  });

  // merchants, their shop's sub-orders only
  serve(router, OrderPublic.listShopOrders, signedIn, async (req, res) => {
    const [shopId] = uuidParams(req, 'shopId');
    res.json({ items: await shopOrders(ctx, principalOf(req), shopId!, parseWith(ShopOrdersQuery, req.query, 'query').status) });
  });
  serve(router, OrderPublic.shopOrderSummary, signedIn, async (req, res) => {
    const [shopId] = uuidParams(req, 'shopId');
    res.json(await shopOrderSummary(ctx, principalOf(req), shopId!, parseWith(ShopOrderSummaryQuery, req.query, 'query').timeZone));
  });
  serve(router, OrderPublic.getShopOrder, signedIn, async (req, res) => {
    const [shopId, subOrderId] = uuidParams(req, 'shopId', 'subOrderId');
    res.json(await shopOrder(ctx, principalOf(req), shopId!, subOrderId!));
  });
  serve(router, OrderPublic.shipSubOrder, signedIn, once, async (req, res) => {
    const [shopId, subOrderId] = uuidParams(req, 'shopId', 'subOrderId');
    res.json(await ship(ctx, principalOf(req), shopId!, subOrderId!, parseWith(ShipRequest, req.body)));
  });
  serve(router, OrderPublic.decideRefund, signedIn, once, async (req, res) => {
    const [shopId, subOrderId, refundId] = uuidParams(req, 'shopId', 'subOrderId', 'refundId');
    res.json(await decideRefund(ctx, principalOf(req), shopId!, subOrderId!, refundId!, parseWith(RefundDecisionRequest, req.body)));
  });
  return router;
}
