import 'server-only';
import { MembershipPublic, type AdjustPointsRequest, type CreatePointsActivityRequest, type MemberLevel, type PointsAccount, type PointsActivity, type PointsEntryPage, type PutLevelsRequest } from '@emporium/contracts';
import { call } from './sidecar';

export async function myPoints(token: string): Promise<PointsAccount> {
  return call(MembershipPublic.getMyPoints, { token });
}

export async function myPointsEntries(token: string, before?: string): Promise<PointsEntryPage> {
  return call(MembershipPublic.listMyPointsEntries, { token, query: { limit: '20', ...(before ? { before } : {}) } });
}

/** A user's points (platform admins). */
export async function userPoints(token: string, userId: string): Promise<PointsAccount> {
  return call(MembershipPublic.getUserPoints, { token, params: { userId } });
}

export async function adjustUserPoints(token: string, userId: string, key: string, body: AdjustPointsRequest) {
  return call(MembershipPublic.adjustUserPoints, { token, params: { userId }, body, headers: { 'idempotency-key': key } });
}

/** The level ladder and what each level gives (anyone). */
export async function memberLevels(): Promise<MemberLevel[]> {
  return (await call(MembershipPublic.listMemberLevels, {})).items;
}

/** Replaces the ladder (platform admins); members' levels follow. */
export async function putMemberLevels(token: string, body: PutLevelsRequest): Promise<MemberLevel[]> {
  return (await call(MembershipPublic.putMemberLevels, { token, body })).items;
}

/** Points activities, running and upcoming first (platform admins). */
export async function pointsActivities(token: string): Promise<PointsActivity[]> {
  return (await call(MembershipPublic.listPointsActivities, { token })).items;
}

export async function createPointsActivity(token: string, key: string, body: CreatePointsActivityRequest): Promise<PointsActivity> {
  return call(MembershipPublic.createPointsActivity, { token, body, headers: { 'idempotency-key': key } });
}

export async function endPointsActivity(token: string, activityId: string): Promise<PointsActivity> {
  return call(MembershipPublic.endPointsActivity, { token, params: { activityId } });
}
