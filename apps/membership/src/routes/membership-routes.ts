import { Router } from 'express';
import { AdjustPointsRequest, CreatePointsActivityRequest, HoldPointsRequest, MembershipInternal, MembershipPublic, PointsEntriesQuery, PutLevelsRequest } from '@emporium/contracts';
import { authenticate, idempotencyKeyOf, idempotent, parseWith, principalOf, requireRole, serve, uuidFromKey, uuidParams, type Database, type KeySource } from '@emporium/kit';
import { adjustPoints, createPointsActivity, endPointsActivity, memberBenefits, pointsAccount, pointsEntries, putLevels, userPoints } from '../domain/points';
import type { MembershipContext } from '../domain/membership-context';
import { holdPoints, releasePoints } from '../domain/holds';

export function membershipRoutes(ctx: MembershipContext, keys: KeySource, db: Database): Router {
  const router = Router();
  const signedIn = authenticate(keys);
  const admin = [signedIn, requireRole('platform_admin')];
  const once = idempotent({ db, logger: ctx.logger, caller: (req) => principalOf(req).userId });

  serve(router, MembershipPublic.getMyPoints, signedIn, async (req, res) => {
    res.json(await pointsAccount(ctx, principalOf(req).userId));
  });
  serve(router, MembershipPublic.listMyPointsEntries, signedIn, async (req, res) => {
    const q = parseWith(PointsEntriesQuery, req.query, 'query');
    res.json(await pointsEntries(ctx, principalOf(req).userId, q.before, q.limit));
  });
  serve(router, MembershipPublic.getUserPoints, ...admin, async (req, res) => {
    const [userId] = uuidParams(req, 'userId');
    res.json(await userPoints(ctx, userId!));
  });
  serve(router, MembershipPublic.adjustUserPoints, ...admin, once, async (req, res) => {
    const [userId] = uuidParams(req, 'userId');
    const input = parseWith(AdjustPointsRequest, req.body);
    const caller = principalOf(req);
    res.status(201).json(await adjustPoints(ctx, caller.userId, userId!, `${caller.userId}:${idempotencyKeyOf(req)}`, input));
  });
  serve(router, MembershipPublic.listPointsActivities, ...admin, async (_req, res) => {
    res.json({ items: await ctx.repo.activities() });
  });
  serve(router, MembershipPublic.createPointsActivity, ...admin, once, async (req, res) => {
    const input = parseWith(CreatePointsActivityRequest, req.body);
    const caller = principalOf(req);
    res.status(201).json(await createPointsActivity(ctx, caller.userId, uuidFromKey('points-activity', caller.userId, idempotencyKeyOf(req)), input));
  });
  serve(router, MembershipPublic.endPointsActivity, ...admin, async (req, res) => {
    const [activityId] = uuidParams(req, 'activityId');
    res.json(await endPointsActivity(ctx, activityId!));
  });
  serve(router, MembershipPublic.listMemberLevels, async (_req, res) => {
    res.json({ items: await ctx.repo.levels() });
  });
  serve(router, MembershipPublic.putMemberLevels, ...admin, async (req, res) => {
    res.json({ items: await putLevels(ctx, parseWith(PutLevelsRequest, req.body)) });
  });
  serve(router, MembershipInternal.memberBenefits, async (req, res) => {
    const [userId] = uuidParams(req, 'userId');
    res.json(await memberBenefits(ctx, userId!));
  });
  serve(router, MembershipInternal.holdPoints, async (req, res) => {
    res.json(await holdPoints(ctx, parseWith(HoldPointsRequest, req.body)));
  });
  serve(router, MembershipInternal.releasePoints, async (req, res) => {
    const [orderId] = uuidParams(req, 'orderId');
    res.json(await releasePoints(ctx, orderId!));
  });
  return router;
}
