import { Router, type RequestHandler } from 'express';
import { CancelOrderRequest, CheckoutRequest, RefundDecisionRequest, RequestRefundRequest, ShopOrderSummaryQuery, ShopOrdersQuery, OrderPublic, OrderInternal, PutAfterSalesPolicy, RequestReturnRequest, ReturnDecisionRequest, ReturnReceiptRequest, ShopReturnsQuery } from '@emporium/contracts';
import { authenticate, idempotent, NotFoundError, parseWith, principalOf, requireRole, uuidParams, type KeySource, serve } from '@emporium/kit';
import { decideRefund, requestRefund } from '../domain/refunds';
import { orderStats } from '../domain/stats';
import { afterSalesPolicy, cancelReturn, decideReturn, putAfterSalesPolicy, receiveReturn, requestReturn, returnForShipment, shopReturns } from '../domain/returns';
import { buyerOrderAfter, buyerOrders, cancelByBuyer, checkout, confirmReceipt, shopOrder, shopOrderSummary, shopOrders, subOrderForShipment } from '../domain/orders';
import type { OrderContext } from '../domain/order-context';

/** The longest wait a client may ask for (RFC 7240 `Prefer: wait=N`), below the gateway's timeout. */
export const MAX_WAIT_SECONDS = 10;

/** `Prefer: wait=N` in ms, at most MAX_WAIT_SECONDS; 0 when absent or not a number. */
export function preferredWaitMs(prefer: string | undefined): number {
  const wait = /(?:^|[,;\s])wait=(\d{1,6})(?:$|[,;\s])/i.exec(prefer ?? '')?.[1];
  return wait ? Math.min(Number(wait), MAX_WAIT_SECONDS) * 1000 : 0;
}

/** `admitCheckout`: admission control in front of checkout (before its Idempotency-Key is taken). */
export function orderRoutes(ctx: OrderContext, keys: KeySource, admitCheckout: RequestHandler): Router {
  const router = Router();
  const signedIn = authenticate(keys);
  const once = idempotent({ db: ctx.db, logger: ctx.logger, caller: (req) => principalOf(req).userId });

  // buyers
  serve(router, OrderPublic.checkout, signedIn, admitCheckout, once, async (req, res) => {
    const order = await checkout(ctx, principalOf(req), parseWith(CheckoutRequest, req.body), req.get('idempotency-key'));
    res.status(202).location(`/api/v1/orders/${order.id}`).json(order);
  });
  serve(router, OrderPublic.listOrders, signedIn, async (req, res) => {
    res.json({ items: await buyerOrders(ctx, principalOf(req)) });
  });
  serve(router, OrderPublic.getOrder, signedIn, async (req, res) => {
    const [orderId] = uuidParams(req, 'orderId');
    const { order, etag } = await buyerOrderAfter(ctx, principalOf(req), orderId!, req.get('if-none-match'), preferredWaitMs(req.get('prefer')));
    // unchanged after the wait: 304 (Express answers it from the ETag and If-None-Match)
    res.set('ETag', etag).set('Cache-Control', 'private, no-cache').json(order);
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

  // after-sales: returns of goods
  serve(router, OrderPublic.requestReturn, signedIn, once, async (req, res) => {
    const [orderId, subOrderId] = uuidParams(req, 'orderId', 'subOrderId');
    res.status(201).json(await requestReturn(ctx, principalOf(req), orderId!, subOrderId!, parseWith(RequestReturnRequest, req.body)));
  });
  serve(router, OrderPublic.cancelReturn, signedIn, once, async (req, res) => {
    const [orderId, returnId] = uuidParams(req, 'orderId', 'returnId');
    res.json(await cancelReturn(ctx, principalOf(req), orderId!, returnId!));
  });
  serve(router, OrderPublic.listShopReturns, signedIn, async (req, res) => {
    const [shopId] = uuidParams(req, 'shopId');
    res.json(await shopReturns(ctx, principalOf(req), shopId!, parseWith(ShopReturnsQuery, req.query, 'query').status));
  });
  serve(router, OrderPublic.decideReturn, signedIn, once, async (req, res) => {
    const [shopId, returnId] = uuidParams(req, 'shopId', 'returnId');
    res.json(await decideReturn(ctx, principalOf(req), shopId!, returnId!, parseWith(ReturnDecisionRequest, req.body)));
  });
  serve(router, OrderPublic.receiveReturn, signedIn, once, async (req, res) => {
    const [shopId, returnId] = uuidParams(req, 'shopId', 'returnId');
    res.json(await receiveReturn(ctx, principalOf(req), shopId!, returnId!, parseWith(ReturnReceiptRequest, req.body)));
  });
  serve(router, OrderPublic.getAfterSalesPolicy, async (req, res) => {
    const [shopId] = uuidParams(req, 'shopId');
    res.json(await afterSalesPolicy(ctx, shopId!));
  });
  serve(router, OrderPublic.putAfterSalesPolicy, signedIn, async (req, res) => {
    const [shopId] = uuidParams(req, 'shopId');
    res.json(await putAfterSalesPolicy(ctx, principalOf(req), shopId!, parseWith(PutAfterSalesPolicy, req.body).returnWindowDays));
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
  serve(router, OrderPublic.decideRefund, signedIn, once, async (req, res) => {
    const [shopId, subOrderId, refundId] = uuidParams(req, 'shopId', 'subOrderId', 'refundId');
    res.json(await decideRefund(ctx, principalOf(req), shopId!, subOrderId!, refundId!, parseWith(RefundDecisionRequest, req.body)));
  });

  serve(router, OrderInternal.orderBuyer, async (req, res) => {
    const [orderId] = uuidParams(req, 'orderId');
    const order = await ctx.repo.orderRow(orderId!);
    if (!order) throw new NotFoundError('no such order');
    res.json({ orderId: order.id, buyerUserId: order.buyerUserId });
  });
  serve(router, OrderInternal.returnForShipment, async (req, res) => {
    const [returnId] = uuidParams(req, 'returnId');
    res.json(await returnForShipment(ctx, returnId!));
  });
  // logistics, before a shop ships
  serve(router, OrderInternal.subOrderForShipment, async (req, res) => {
    const [subOrderId] = uuidParams(req, 'subOrderId');
    res.json(await subOrderForShipment(ctx, subOrderId!));
  });
  return router;
}
