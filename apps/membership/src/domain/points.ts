import { IdentityInternal, type AdjustPointsRequest, type CreatePointsActivityRequest, type PointsActivity, type MemberBenefits, type MemberLevel, type PutLevelsRequest, type PointsAccount, type PointsEntry, type PointsEntryPage } from '@emporium/contracts';
import { ConflictError, InvocationError, NotFoundError, uuidFromKey, type Transaction } from '@emporium/kit';
import { levelOf, pointsFor, takeFromLots } from './lots';
import type { MembershipContext } from './membership-context';

const DAY_MS = 86_400_000;

/**
 * A completed sub-order earns its buyer points (a lot valid for the usual
 * days) and growth value, once: the lot's id and its (source, ref) come from
 * the sub-order, so the same event again adds nothing. Runs in the event
 * handler's transaction.
 */
export async function earnForSubOrder(
  ctx: MembershipContext,
  e: { userId: string; orderId: string; subOrderId: string; keptMinor: number },
  t: Transaction,
): Promise<number> {
  // a points activity running when the sub-order was paid multiplies its points (never its growth)
  const rate = await ctx.repo.earnRate(e.subOrderId, t);
  const points = Math.floor((pointsFor(e.keptMinor, ctx.rules.pointsPerYuan) * (rate?.multiplierPercent ?? 100)) / 100);
  const growth = pointsFor(e.keptMinor, 1);
  if (points === 0 && growth === 0) return 0;
  const member = await ctx.repo.lockMember(e.userId, t);
  if (points > 0) {
    const lotId = uuidFromKey('points-lot', 'order', e.subOrderId);
    const fresh = await ctx.repo.insertLot({ id: lotId, userId: e.userId, source: 'order', ref: e.subOrderId, points, expiresAt: new Date(Date.now() + ctx.rules.validDays * DAY_MS) }, t);
    if (!fresh) return 0;
    const note = rate ? `×${rate.multiplierPercent / 100} ${rate.name.en} / ${rate.name['zh-CN']}` : null;
    await ctx.repo.insertEntry({ userId: e.userId, kind: 'earn', points, balanceAfter: member.points + points, lotId, orderId: e.orderId, subOrderId: e.subOrderId, note }, t);
  }
  await ctx.repo.insertEarning({ subOrderId: e.subOrderId, userId: e.userId, orderId: e.orderId, points, growth, kept: e.keptMinor }, t);
  await ctx.repo.setMember(e.userId, member.points + points, member.growth + growth, t);
  // growth moves the level: recomputed here, and said (coupons by level reached, notifications)
  const to = levelOf(await ctx.repo.levels(t), member.growth + growth).current.level;
  if (to !== member.level) {
    await ctx.repo.setLevel(e.userId, to, t);
    await ctx.events.stage(t, 'member.level-changed', { userId: e.userId, from: member.level, to });
  }
  return points;
}

async function requireUser(ctx: MembershipContext, userId: string): Promise<void> {
  try {
    await ctx.sidecar.call(IdentityInternal.userBrief, { params: { userId } });
  } catch (err) {
    if (err instanceof InvocationError && err.status === 404) throw new NotFoundError('no such user');
    throw err;
  }
}

/**
 * A platform admin's adjustment: added points are a lot of their own (valid
 * for the usual days; its ref is the request's key, so a retry adds nothing);
 * taken points come from the lots expiring first, and never more than there are.
 */
export async function adjustPoints(ctx: MembershipContext, adminId: string, userId: string, key: string, input: AdjustPointsRequest): Promise<PointsEntry> {
  await requireUser(ctx, userId);
  const note = input.reason;
  return ctx.db.transaction(async (t) => {
    const member = await ctx.repo.lockMember(userId, t);
    if (input.points > 0) {
      const lotId = uuidFromKey('points-lot', 'adjust', key);
      if (!(await ctx.repo.insertLot({ id: lotId, userId, source: 'adjust', ref: key, points: input.points, expiresAt: new Date(Date.now() + ctx.rules.validDays * DAY_MS) }, t))) {
        throw new ConflictError('this adjustment was made already');
      }
      const id = await ctx.repo.insertEntry({ userId, kind: 'adjust', points: input.points, balanceAfter: member.points + input.points, lotId, note, createdBy: adminId }, t);
      await ctx.repo.setMember(userId, member.points + input.points, member.growth, t);
      return ctx.repo.entry(id, t);
    }
    const taking = -input.points;
    // what has expired goes first, so only points that can still be used are taken
    const balance = await expireWithin(ctx, userId, member.points, member.growth, t);
    const taken = takeFromLots(await ctx.repo.openLots(userId, t), taking);
    if (!taken) {
      const message = `the user has ${balance} points, fewer than ${taking}`;
      throw new ConflictError(message, { points: balance }, [{ field: 'points', code: 'insufficient', message }]);
    }
    for (const x of taken) await ctx.repo.takeFromLot(x.lotId, x.points, t);
    const id = await ctx.repo.insertEntry({ userId, kind: 'adjust', points: input.points, balanceAfter: balance - taking, note, createdBy: adminId }, t);
    await ctx.repo.insertEntryLots(id, taken, t);
    await ctx.repo.setMember(userId, balance - taking, member.growth, t);
    return ctx.repo.entry(id, t);
  });
}

/** The member's lots past their expiry lose what they hold: an `expire` entry per lot, the oldest first. Answers the balance after. */
export async function expireWithin(ctx: MembershipContext, userId: string, balance: number, growth: number, t: Transaction): Promise<number> {
  let left = balance;
  for (const lot of await ctx.repo.dueLots(userId, t)) {
    await ctx.repo.takeFromLot(lot.id, lot.pointsLeft, t);
    left -= lot.pointsLeft;
    const id = await ctx.repo.insertEntry({ userId, kind: 'expire', points: -lot.pointsLeft, balanceAfter: left, lotId: lot.id }, t);
    await ctx.repo.insertEntryLots(id, [{ lotId: lot.id, points: lot.pointsLeft }], t);
  }
  if (left !== balance) await ctx.repo.setMember(userId, left, growth, t);
  return left;
}

async function expireMember(ctx: MembershipContext, userId: string): Promise<number> {
  return ctx.db.transaction(async (t) => {
    const member = await ctx.repo.lockMember(userId, t);
    return member.points - (await expireWithin(ctx, userId, member.points, member.growth, t));
  });
}

/** One pass of the expiry sweep: members with lots past their expiry, each in its own transaction. */
export async function expireDuePoints(ctx: MembershipContext, limit = 100): Promise<number> {
  let expired = 0;
  for (const userId of await ctx.repo.usersWithDueLots(limit)) expired += await expireMember(ctx, userId);
  return expired;
}

export async function pointsAccount(ctx: MembershipContext, userId: string): Promise<PointsAccount> {
  const [member, next, ladder] = await Promise.all([ctx.repo.member(userId), ctx.repo.nextExpiry(userId), ctx.repo.levels()]);
  const { current, next: up } = levelOf(ladder, member.growth);
  return {
    userId,
    points: member.points,
    growth: member.growth,
    level: { level: current.level, name: current.name, next: up ? { level: up.level, name: up.name, growthNeeded: up.minGrowth - member.growth } : null },
    nextExpiry: next ? { points: next.points, at: next.at.toISOString() } : null,
    rules: { pointsPerYuan: ctx.rules.pointsPerYuan, validDays: ctx.rules.validDays, spend: { pointsPerYuan: ctx.spend.pointsPerYuan, maxShareBps: ctx.spend.maxShareBps } },
  };
}

export async function pointsEntries(ctx: MembershipContext, userId: string, before: string | undefined, limit: number): Promise<PointsEntryPage> {
  const items = await ctx.repo.entries(userId, before, limit);
  return { items, nextBefore: items.length === limit ? items[items.length - 1]!.id : null };
}

export async function userPoints(ctx: MembershipContext, userId: string): Promise<PointsAccount> {
  await requireUser(ctx, userId);
  return pointsAccount(ctx, userId);
}

export async function memberBenefits(ctx: MembershipContext, userId: string): Promise<MemberBenefits> {
  const [member, ladder, points] = await Promise.all([ctx.repo.member(userId), ctx.repo.levels(), ctx.repo.usablePoints(userId)]);
  const { current } = levelOf(ladder, member.growth);
  return {
    userId,
    level: current.level,
    name: current.name,
    discountBps: current.discountBps,
    freeShippingAbove: current.freeShippingAbove,
    points,
    spend: { pointsPerYuan: ctx.spend.pointsPerYuan, maxShareBps: ctx.spend.maxShareBps },
  };
}

/** Replaces the ladder; members whose level changes with it are told by event. */
export async function putLevels(ctx: MembershipContext, input: PutLevelsRequest): Promise<MemberLevel[]> {
  return ctx.db.transaction(async (t) => {
    const changed = await ctx.repo.replaceLevels(input.levels, t);
    for (const c of changed) await ctx.events.stage(t, 'member.level-changed', { userId: c.userId, from: c.from, to: c.to });
    if (changed.length) ctx.logger.info({ members: changed.length }, 'levels recomputed for a new ladder');
    return ctx.repo.levels(t);
  });
}

/** A points activity (platform admins); its id comes from the admin's Idempotency-Key, so a retry answers the same. */
export async function createPointsActivity(ctx: MembershipContext, adminId: string, id: string, input: CreatePointsActivityRequest): Promise<PointsActivity> {
  return ctx.repo.insertActivity({ id, name: input.name, multiplierPercent: input.multiplierPercent, shopId: input.shopId, startsAt: new Date(input.startsAt).toISOString(), endsAt: new Date(input.endsAt).toISOString(), createdBy: adminId });
}

export async function endPointsActivity(ctx: MembershipContext, id: string): Promise<PointsActivity> {
  const ended = await ctx.repo.endActivity(id);
  if (!ended) throw new NotFoundError('no such points activity');
  return ended;
}

/**
 * A sub-order refunded after it completed (a return) gives back its share
 * of what it earned: points and growth in proportion to the money refunded
 * of what was kept (all of it when refunded in full), once per refund. The
 * points come from the lots expiring first and never below zero: points
 * spent meanwhile are not taken (forgiven); growth may move the level down.
 */
export async function revokeForRefund(ctx: MembershipContext, e: { subOrderId: string; refundId: string; amount: number; full: boolean }, t: Transaction): Promise<number> {
  const earned = await ctx.repo.earning(e.subOrderId, t);
  if (!earned) return 0;
  const refunded = earned.refunded + e.amount;
  const share = (n: number) => (e.full || refunded >= earned.kept ? n : earned.kept === 0 ? 0 : Math.floor((n * refunded) / earned.kept));
  const points = Math.max(0, share(earned.points) - earned.revokedPoints);
  const growth = Math.max(0, share(earned.growth) - earned.revokedGrowth);
  if (!(await ctx.repo.insertEarningRefund({ refundId: e.refundId, subOrderId: e.subOrderId, amount: e.amount, points, growth }, t))) return 0;
  await ctx.repo.setEarningRevoked(e.subOrderId, refunded, earned.revokedPoints + points, earned.revokedGrowth + growth, t);
  if (points === 0 && growth === 0) return 0;
  const member = await ctx.repo.lockMember(earned.userId, t);
  const balance = await expireWithin(ctx, earned.userId, member.points, member.growth, t);
  const take = Math.min(points, balance);
  if (take > 0) {
    const taken = takeFromLots(await ctx.repo.openLots(earned.userId, t), take)!;
    for (const x of taken) await ctx.repo.takeFromLot(x.lotId, x.points, t);
    const note = take < points ? `refunded after completion (${points - take} already spent, not taken)` : 'refunded after completion';
    const id = await ctx.repo.insertEntry({ userId: earned.userId, kind: 'revoke', points: -take, balanceAfter: balance - take, orderId: earned.orderId, subOrderId: e.subOrderId, note }, t);
    await ctx.repo.insertEntryLots(id, taken, t);
  }
  const newGrowth = Math.max(0, member.growth - growth);
  await ctx.repo.setMember(earned.userId, balance - take, newGrowth, t);
  const to = levelOf(await ctx.repo.levels(t), newGrowth).current.level;
  if (to !== member.level) {
    await ctx.repo.setLevel(earned.userId, to, t);
    await ctx.events.stage(t, 'member.level-changed', { userId: earned.userId, from: member.level, to });
  }
  return take;
}
