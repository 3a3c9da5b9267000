import { Router, type Request } from 'express';
import { z } from 'zod';
import { ApplyShopRequest, CommissionRequest, InviteStaffRequest, ShopDecisionRequest, ShopStatus, SuspendShopRequest, UpdateShopRequest, ShopInternal, ShopPublic } from '@emporium/contracts';
import { authenticate, countBy, idempotent, parseWith, principalOf, requireRole, uuidParams, type KeySource, serve } from '@emporium/kit';
import {
  acceptStaffInvitation,
  applyForShop,
  decideShop,
  getPublicShop,
  getShop,
  inviteStaff,
  revokeStaffInvitation,
  listShops,
  listStaff,
  myShops,
  myStaffInvitations,
  openStaffInvitations,
  resumeShop,
  setCommission,
  shopStaffIds,
  suspendShop,
  updateShop,
} from '../domain/shops';
import type { ShopContext } from '../domain/shop-context';

const uuidParam = (req: Request, name: string): string => uuidParams(req, name)[0]!;

export function shopRoutes(ctx: ShopContext, keys: KeySource): Router {
  const router = Router();
  const signedIn = authenticate(keys);
  const once = idempotent({ db: ctx.db, logger: ctx.logger, caller: (req) => principalOf(req).userId });
  const admin = [signedIn, requireRole('platform_admin')];

  serve(router, ShopPublic.getPublicShop, async (req, res) => {
    res.json(await getPublicShop(ctx, uuidParam(req, 'shopId')));
  });

  serve(router, ShopPublic.applyForShop, signedIn, once, async (req, res) => {
    res.status(201).json(await applyForShop(ctx, principalOf(req), parseWith(ApplyShopRequest, req.body)));
  });
  serve(router, ShopPublic.myShops, signedIn, async (req, res) => {
    res.json({ items: await myShops(ctx, principalOf(req)) });
  });
  serve(router, ShopPublic.getShop, signedIn, async (req, res) => {
    res.json(await getShop(ctx, principalOf(req), uuidParam(req, 'shopId')));
  });
  serve(router, ShopPublic.updateShop, signedIn, async (req, res) => {
    res.json(await updateShop(ctx, principalOf(req), uuidParam(req, 'shopId'), parseWith(UpdateShopRequest, req.body)));
  });
  serve(router, ShopPublic.inviteStaff, signedIn, once, async (req, res) => {
    res.status(201).json(await inviteStaff(ctx, principalOf(req), uuidParam(req, 'shopId'), parseWith(InviteStaffRequest, req.body)));
  });
  serve(router, ShopPublic.revokeStaffInvitation, signedIn, once, async (req, res) => {
    const [shopId, invitationId] = uuidParams(req, 'shopId', 'invitationId');
    res.json(await revokeStaffInvitation(ctx, principalOf(req), shopId!, invitationId!));
  });
  serve(router, ShopInternal.shopStaffIds, async (req, res) => {
    res.json(await shopStaffIds(ctx, uuidParam(req, 'shopId')));
  });
  serve(router, ShopPublic.listShopStaffInvitations, signedIn, async (req, res) => {
    res.json({ items: await openStaffInvitations(ctx, principalOf(req), uuidParam(req, 'shopId')) });
  });
  serve(router, ShopPublic.listStaff, signedIn, async (req, res) => {
    res.json({ items: await listStaff(ctx, principalOf(req), uuidParam(req, 'shopId')) });
  });
  serve(router, ShopPublic.myStaffInvitations, signedIn, async (req, res) => {
    res.json({ items: await myStaffInvitations(ctx, principalOf(req)) });
  });
  serve(router, ShopPublic.acceptStaffInvitation, signedIn, once, async (req, res) => {
    res.status(201).json(await acceptStaffInvitation(ctx, principalOf(req), uuidParam(req, 'invitationId')));
  });

  serve(router, ShopPublic.shopStats, ...admin, async (_req, res) => {
    res.json({ shops: await countBy(ctx.db, 'shops', 'status') });
  });
  serve(router, ShopPublic.listShops, ...admin, async (req, res) => {
    const { status } = parseWith(z.object({ status: ShopStatus.optional() }).strict(), req.query, 'query');
    res.json({ items: await listShops(ctx, status) });
  });
  serve(router, ShopPublic.decideShop, ...admin, once, async (req, res) => {
    res.json(await decideShop(ctx, uuidParam(req, 'shopId'), parseWith(ShopDecisionRequest, req.body)));
  });
  serve(router, ShopPublic.setCommission, ...admin, async (req, res) => {
    res.json(await setCommission(ctx, uuidParam(req, 'shopId'), parseWith(CommissionRequest, req.body).commissionBps));
  });
  serve(router, ShopPublic.suspendShop, ...admin, once, async (req, res) => {
    res.json(await suspendShop(ctx, uuidParam(req, 'shopId'), parseWith(SuspendShopRequest, req.body).reason));
  });
  serve(router, ShopPublic.resumeShop, ...admin, once, async (req, res) => {
    res.json(await resumeShop(ctx, uuidParam(req, 'shopId')));
  });
  return router;
}
