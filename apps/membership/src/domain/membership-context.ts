import type { PlatformEvents } from '@emporium/contracts';
import type { Database, EventBus, Logger, Sidecar } from '@emporium/kit';
import type { MembershipRepository } from '../data/membership-repository';

/** What membership's use-cases need; built once in app.ts. */
export interface MembershipContext {
  db: Database;
  repo: MembershipRepository;
  /** Peers by contract: `ctx.sidecar.call(IdentityInternal.userBrief, { params })` (the operation names membership among its callers). */
  sidecar: Sidecar;
  events: EventBus<PlatformEvents>;
  logger: Logger;
  /** how points are earned and how long they last */
  rules: { pointsPerYuan: number; validDays: number };
  /** how points are spent at checkout, and how long points given back last when their lot has expired */
  spend: { pointsPerYuan: number; maxShareBps: number; returnValidDays: number };
  /** whose birthday it is is judged by this time zone's calendar */
  birthdays: { timeZone: string };
}
