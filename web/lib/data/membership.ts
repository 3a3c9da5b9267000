import 'server-only';
import { MembershipPublic, type PointsAccount, type PointsEntryPage } from '@emporium/contracts';
import { call } from './sidecar';

export async function myPoints(token: string): Promise<PointsAccount> {
  return call(MembershipPublic.getMyPoints, { token });
}

export async function myPointsEntries(token: string, before?: string): Promise<PointsEntryPage> {
  return call(MembershipPublic.listMyPointsEntries, { token, query: { limit: '20', ...(before ? { before } : {}) } });
}
