import { z } from 'zod';
import { defineOperations, type ApiOperation } from './operation';
import { AdjustPointsRequest, CreatePointsActivityRequest, HoldPointsRequest, PointsActivity, LevelLadder, MemberBenefits, PointsHold, PointsAccount, PointsEntry, PointsEntryPage, PutLevelsRequest } from './membership';

const app = 'membership' as const;

/** membership's public operations (the gateway routes them at /api/v1). */
export const MembershipPublic = defineOperations({
  getMyPoints: { operationId: 'getMyPoints', method: 'get', path: '/me/points', appId: app, summary: "The caller's points, growth value, the points expiring next and how points are earned",
    responses: { 200: { description: 'Points', schema: PointsAccount } } },
  listMyPointsEntries: { operationId: 'listMyPointsEntries', method: 'get', path: '/me/points/entries', appId: app, summary: "The caller's points ledger, newest first (before=<id> for the page after, limit=… up to 100)",
    responses: { 200: { description: 'Entries', schema: PointsEntryPage } } },
  getUserPoints: { operationId: 'getUserPoints', method: 'get', path: '/admin/users/:userId/points', appId: app, summary: "A user's points and growth value (platform admins)",
    responses: { 200: { description: 'Points', schema: PointsAccount } } },
  adjustUserPoints: { operationId: 'adjustUserPoints', method: 'post', path: '/admin/users/:userId/points', appId: app, idempotent: true,
    summary: "Add points to a user's account (a lot valid for the usual days) or take them, from the lots expiring first, with a reason (platform admins)",
    request: AdjustPointsRequest, example: { points: 500, reason: 'Sorry for the late parcel' },
    responses: { 201: { description: 'The ledger entry', schema: PointsEntry }, 409: { description: 'Fewer points than taken' } } },
  listMemberLevels: { operationId: 'listMemberLevels', method: 'get', path: '/member-levels', appId: app, access: 'anyone', summary: 'The level ladder: the growth each level needs and what it gives',
    responses: { 200: { description: 'Levels', schema: LevelLadder } } },
  putMemberLevels: { operationId: 'putMemberLevels', method: 'put', path: '/admin/member-levels', appId: app,
    summary: "Replace the level ladder (platform admins); every member's level is recomputed from their growth",
    request: PutLevelsRequest, example: { levels: [{ level: 0, name: { 'zh-CN': '普通会员', en: 'Member' }, minGrowth: 0, discountBps: 0, freeShippingAbove: null, birthdayCouponTemplateId: null }] },
    responses: { 200: { description: 'Levels', schema: LevelLadder } } },
  listPointsActivities: { operationId: 'listPointsActivities', method: 'get', path: '/admin/points-activities', appId: app, summary: 'Points activities (积分活动), running and upcoming first (platform admins)',
    responses: { 200: { description: 'Activities', schema: z.object({ items: z.array(PointsActivity) }).strict() } } },
  createPointsActivity: { operationId: 'createPointsActivity', method: 'post', path: '/admin/points-activities', appId: app, idempotent: true,
    summary: 'Start a points activity: sub-orders paid in its window (of one shop or all) earn their points multiplied when they complete (platform admins)',
    request: CreatePointsActivityRequest,
    example: { name: { 'zh-CN': '双十一双倍积分', en: 'Double points for 11.11' }, multiplierPercent: 200, shopId: null, startsAt: '2099-11-11T00:00:00.000Z', endsAt: '2099-11-12T00:00:00.000Z' },
    responses: { 201: { description: 'Activity', schema: PointsActivity } } },
  endPointsActivity: { operationId: 'endPointsActivity', method: 'post', path: '/admin/points-activities/:activityId/end', appId: app,
    summary: 'End a points activity now (sub-orders paid while it ran keep its rate) (platform admins)', responses: { 200: { description: 'Activity', schema: PointsActivity } } },
});
export const MembershipOperations: readonly ApiOperation[] = Object.values<ApiOperation>(MembershipPublic);

/** Operations other services call through their sidecars, each with `internal: true` and its `callers`. */
export const MembershipInternal = defineOperations({
  memberBenefits: { operationId: 'memberBenefits', method: 'get', path: '/internal/members/:userId/benefits', appId: app, internal: true, callers: ['marketing'],
    summary: "What a member brings to a quote: the level's discount and free-shipping threshold, the points usable now and how they are spent", responses: { 200: { description: 'Benefits', schema: MemberBenefits } } },
  holdPoints: { operationId: 'holdPoints', method: 'post', path: '/internal/point-holds', appId: app, internal: true, callers: ['order'],
    summary: "Take the points a checkout spends from the member's lots expiring first, held for the order (the same order again answers the same hold)",
    request: HoldPointsRequest,
    example: { orderId: '0b6f4c1e-2a3d-4e5f-8a9b-0c1d2e3f4a5b', userId: '1c7e5d2f-3b4e-4f60-9bac-1d2e3f4a5b6c', points: 300, parts: [{ subOrderId: '2d8f6e30-4c5f-4071-8cbd-2e3f4a5b6c7d', points: 300, total: { amount: 5800, currency: 'CNY' } }] },
    responses: { 200: { description: 'Held', schema: PointsHold }, 409: { description: 'Fewer usable points than asked (`points_insufficient`)' } } },
  releasePoints: { operationId: 'releasePoints', method: 'post', path: '/internal/point-holds/:orderId/release', appId: app, internal: true, callers: ['order'],
    summary: 'Give back the points of an order that ended unpaid, to the lots they came from', responses: { 200: { description: 'Released (or nothing was held)', schema: PointsHold.nullable() } } },
});
