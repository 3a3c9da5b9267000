import { Router } from 'express';
import { CreateShipmentRequest, LogisticsPublic, ReturnParcelRequest, ShopShipmentsQuery } from '@emporium/contracts';
import { authenticate, idempotencyKeyOf, idempotent, NotFoundError, parseWith, principalOf, rawBodyOf, serve, UnauthenticatedError, uuidParams, type KeySource } from '@emporium/kit';
import { applyCheckpoints, carrierList, createReturnShipment, createShipment, orderShipments, shopShipment, shopShipments } from '../domain/shipments';
import type { LogisticsContext } from '../domain/logistics-context';

/** Each route is an operation of contracts/src/logistics-api.ts. */
export function logisticsRoutes(ctx: LogisticsContext, keys: KeySource): Router {
  const router = Router();
  const signedIn = authenticate(keys);
  const once = idempotent({ db: ctx.db, logger: ctx.logger, caller: (req) => principalOf(req).userId });
  const P = LogisticsPublic;

  serve(router, P.listCarriers, (_req, res) => {
    res.set('cache-control', 'public, max-age=3600').json(carrierList());
  });
  serve(router, P.createShipment, signedIn, once, async (req, res) => {
    const [shopId] = uuidParams(req, 'shopId');
    res.status(201).json(await createShipment(ctx, principalOf(req), shopId!, idempotencyKeyOf(req), parseWith(CreateShipmentRequest, req.body)));
  });
  serve(router, P.listShopShipments, signedIn, async (req, res) => {
    const [shopId] = uuidParams(req, 'shopId');
    const q = parseWith(ShopShipmentsQuery, req.query, 'query');
    res.json(await shopShipments(ctx, principalOf(req), shopId!, { ...(q.subOrderId ? { subOrderId: q.subOrderId } : {}), ...(q.stale ? { stale: q.stale === 'true' } : {}) }));
  });
  serve(router, P.getShopShipment, signedIn, async (req, res) => {
    const [shopId, shipmentId] = uuidParams(req, 'shopId', 'shipmentId');
    res.json(await shopShipment(ctx, principalOf(req), shopId!, shipmentId!));
  });
  serve(router, P.listOrderShipments, signedIn, async (req, res) => {
    const [orderId] = uuidParams(req, 'orderId');
    res.json(await orderShipments(ctx, principalOf(req), orderId!));
  });
  serve(router, P.createReturnShipment, signedIn, once, async (req, res) => {
    const [orderId, returnId] = uuidParams(req, 'orderId', 'returnId');
    res.status(201).json(await createReturnShipment(ctx, principalOf(req), orderId!, returnId!, idempotencyKeyOf(req), parseWith(ReturnParcelRequest, req.body)));
  });
  // a provider's checkpoints: the signature over the raw bytes decides, not who calls
  serve(router, P.trackingWebhook, async (req, res) => {
    const provider = ctx.providers.get(String(req.params.provider));
    if (!provider) throw new NotFoundError('no such tracking provider');
    const verdict = await provider.verify(rawBodyOf(req) ?? Buffer.alloc(0), (name) => req.get(name));
    if (!verdict.ok) throw new UnauthenticatedError(`callback refused: ${verdict.reason}`);
    const checkpoints = provider.checkpoints(req.body);
    const outcomes = await applyCheckpoints(ctx, checkpoints);
    ctx.logger.info({ provider: provider.name, checkpoints: checkpoints.map((c, i) => ({ event: c.eventId, code: c.code, outcome: outcomes[i] })) }, 'tracking callback');
    res.json({ received: checkpoints.length, outcomes });
  });
  return router;
}
