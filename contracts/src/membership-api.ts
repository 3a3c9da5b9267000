import { defineOperations, type ApiOperation } from './operation';
import { AdjustPointsRequest, PointsAccount, PointsEntry, PointsEntryPage } from './membership';

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
});
export const MembershipOperations: readonly ApiOperation[] = Object.values<ApiOperation>(MembershipPublic);

/** Operations other services call through their sidecars, each with `internal: true` and its `callers`. */
export const MembershipInternal = defineOperations({});
