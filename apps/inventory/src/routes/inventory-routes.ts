import { Router } from 'express';
import { AdjustStockRequest, InventoryInternal, AvailabilityQuery, FlashAllocationRequest, FlashHoldRequest, PutThresholdRequest, ReceiveStockRequest, ReleaseRequest, ReserveRequest, RestockRequest, InventoryPublic } from '@emporium/contracts';
import { authenticate, idempotencyKeyOf, idempotent, serve, parseWith, principalOf, uuidParams, ValidationError, type KeySource } from '@emporium/kit';
import { allocate, availability, holdUnits } from '../domain/flash-sales';
import { z } from 'zod';
import { adjust, confirm, putThreshold, receive, release, reservationsOf, reserve, restockSold, shopStock, stockDetail } from '../domain/inventory';
import type { InventoryContext } from '../domain/inventory-context';

const ids = uuidParams;
const ShopStockQuery = z.object({ productId: z.uuid().optional() }).strict();

function orderIdOf(raw: string | string[] | undefined): string {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > 100) throw new ValidationError([{ field: 'orderId', code: 'invalid', message: 'an order id of 1 to 100 characters' }]);
  return raw;
}

export function inventoryRoutes(ctx: InventoryContext, keys: KeySource): Router {
  const router = Router();
  const signedIn = authenticate(keys);
  const once = idempotent({ db: ctx.db, logger: ctx.logger, caller: (req) => principalOf(req).userId });

  // storefront and cart
  serve(router, InventoryPublic.getAvailability, async (req, res) => {
    const { skuIds } = parseWith(AvailabilityQuery, req.query, 'query');
    res.json({ items: await ctx.repo.availability(skuIds) });
  });

  // flash sales: a hold's key is kept by the sale's actor (in the same state write as the hold), not in the database
  serve(router, InventoryPublic.holdFlashSaleUnits, signedIn, async (req, res) => {
    const [campaignId] = ids(req, 'campaignId');
    const key = idempotencyKeyOf(req);
    const { quantity } = parseWith(FlashHoldRequest, req.body);
    res.status(201).json(await holdUnits(ctx, campaignId!, principalOf(req).userId, quantity, key));
  });
  serve(router, InventoryPublic.getFlashSaleAvailability, async (req, res) => {
    const [campaignId] = ids(req, 'campaignId');
    res.json(await availability(ctx, campaignId!));
  });
  serve(router, InventoryInternal.allocateFlashSale, async (req, res) => {
    res.json(await allocate(ctx, parseWith(FlashAllocationRequest, req.body)));
  });

  // merchants, on their own shop
  serve(router, InventoryPublic.listShopStock, signedIn, async (req, res) => {
    const [shopId] = ids(req, 'shopId');
    const { productId } = parseWith(ShopStockQuery, req.query, 'query');
    res.json({ items: await shopStock(ctx, principalOf(req), shopId!, productId) });
  });
  serve(router, InventoryPublic.getShopStock, signedIn, async (req, res) => {
    const [shopId, skuId] = ids(req, 'shopId', 'skuId');
    res.json(await stockDetail(ctx, principalOf(req), shopId!, skuId!));
  });
  serve(router, InventoryPublic.receiveStock, signedIn, once, async (req, res) => {
    const [shopId, skuId] = ids(req, 'shopId', 'skuId');
    res.json(await receive(ctx, principalOf(req), shopId!, skuId!, parseWith(ReceiveStockRequest, req.body)));
  });
  serve(router, InventoryPublic.adjustStock, signedIn, once, async (req, res) => {
    const [shopId, skuId] = ids(req, 'shopId', 'skuId');
    res.json(await adjust(ctx, principalOf(req), shopId!, skuId!, parseWith(AdjustStockRequest, req.body)));
  });
  serve(router, InventoryPublic.putLowStockThreshold, signedIn, async (req, res) => {
    const [shopId, skuId] = ids(req, 'shopId', 'skuId');
    res.json(await putThreshold(ctx, principalOf(req), shopId!, skuId!, parseWith(PutThresholdRequest, req.body).lowStockThreshold));
  });

  // order, through its sidecar; idempotent by order id and line id
  serve(router, InventoryInternal.reserveStock, async (req, res) => {
    res.json(await reserve(ctx, parseWith(ReserveRequest, req.body)));
  });
  serve(router, InventoryInternal.getReservations, async (req, res) => {
    res.json(await reservationsOf(ctx, orderIdOf(req.params.orderId)));
  });
  serve(router, InventoryInternal.confirmReservations, async (req, res) => {
    res.json(await confirm(ctx, orderIdOf(req.params.orderId)));
  });
  serve(router, InventoryInternal.restockSold, async (req, res) => {
    res.json(await restockSold(ctx, orderIdOf(req.params.reference), parseWith(RestockRequest, req.body)));
  });
  serve(router, InventoryInternal.releaseReservations, async (req, res) => {
    const { orderId, items } = await release(ctx, orderIdOf(req.params.orderId), parseWith(ReleaseRequest, req.body).reason);
    res.json({ orderId, items });
  });
  return router;
}
