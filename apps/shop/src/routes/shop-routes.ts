import { Router, type Request } from 'express';
import { z } from 'zod';
import { ApplyShopRequest, CommissionRequest, InviteStaffRequest, ShopDecisionRequest, ShopStatus, SuspendShopRequest, UpdateShopRequest } from '@emporium/contracts';
import { authenticate, countBy, idempotent, parseWith, principalOf, requireRole, uuidParams, type KeySource } from '@emporium/kit';
import {
  acceptStaffInvitation,
  applyForShop,
  decideShop,
  getPublicShop,
  getShop,
  inviteStaff,
  listShops,
  listStaff,
  myShops,
  myStaffInvitations,
  openStaffInvitations,
  resumeShop,
  setCommission,
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

  router.get('/public/shops/:shopId', async (req, res) => {
    res.json(await getPublicShop(ctx, uuidParam(req, 'shopId')));
  });

  router.post('/shops', signedIn, once, async (req, res) => {
    res.status(201).json(await applyForShop(ctx, principalOf(req), parseWith(ApplyShopRequest, req.body)));
  });
  router.get('/shops/mine', signedIn, async (req, res) => {
    res.json({ items: await myShops(ctx, principalOf(req)) });
  });
  router.get('/shops/:shopId', signedIn, async (req, res) => {
    res.json(await getShop(ctx, principalOf(req), uuidParam(req, 'shopId')));
  });
  router.patch('/shops/:shopId', signedIn, async (req, res) => {
    res.json(await updateShop(ctx, principalOf(req), uuidParam(req, 'shopId'), parseWith(UpdateShopRequest, req.body)));
  });
  router.post('/shops/:shopId/staff-invitations', signedIn, once, async (req, res) => {
    res.status(201).json(await inviteStaff(ctx, principalOf(req), uuidParam(req, 'shopId'), parseWith(InviteStaffRequest, req.body)));
  });
  router.get('/shops/:shopId/staff-invitations', signedIn, async (req, res) => {
    res.json({ items: await openStaffInvitations(ctx, principalOf(req), uuidParam(req, 'shopId')) });
  });
  router.get('/shops/:shopId/staff', signedIn, async (req, res) => {
    res.json({ items: await listStaff(ctx, principalOf(req), uuidParam(req, 'shopId')) });
  });
  router.get('/me/staff-invitations', signedIn, async (req, res) => {
    res.json({ items: await myStaffInvitations(ctx, principalOf(req)) });
  });
  router.post('/me/staff-invitations/:invitationId/accept', signedIn, once, async (req, res) => {
    res.status(201).json(await acceptStaffInvitation(ctx, principalOf(req), uuidParam(req, 'invitationId')));
  });

  router.get('/admin/stats/shops', ...admin, async (_req, res) => {
    res.json({ shops: await countBy(ctx.db, 'shops', 'status') });
  });
  router.get('/admin/shops', ...admin, async (req, res) => {
    const { status } = parseWith(z.object({ status: ShopStatus.optional() }).strict(), req.query, 'query');
    res.json({ items: await listShops(ctx, status) });
  });
  router.post('/admin/shops/:shopId/decision', ...admin, once, async (req, res) => {
    res.json(await decideShop(ctx, uuidParam(req, 'shopId'), parseWith(ShopDecisionRequest, req.body)));
  });
  router.put('/admin/shops/:shopId/commission', ...admin, async (req, res) => {
    res.json(await setCommission(ctx, uuidParam(req, 'shopId'), parseWith(CommissionRequest, req.body).commissionBps));
  });
  router.post('/admin/shops/:shopId/suspend', ...admin, once, async (req, res) => {
    res.json(await suspendShop(ctx, uuidParam(req, 'shopId'), parseWith(SuspendShopRequest, req.body).reason));
  });
  router.post('/admin/shops/:shopId/resume', ...admin, once, async (req, res) => {
    res.json(await resumeShop(ctx, uuidParam(req, 'shopId')));
  });
  return router;
}
