import type { HoldPointsRequest, PointsHold } from '@emporium/contracts';
import { RefusedError, uuidFromKey, type Transaction } from '@emporium/kit';
import { takeFromLots } from './lots';
import { expireWithin } from './points';
import type { MembershipContext } from './membership-context';

const DAY_MS = 86_400_000;

/**
 * Points spent at checkout. The quote (marketing) says how many an order may
 * use; checkout holds them here before anything is charged: a `spend` entry
 * taking them from the lots expiring first, one hold per order (the same
 * order again answers the same hold). An order that ends unpaid gives all of
 * them back; a refunded sub-order gives back its share. Points go back to the
 * lots they came from; what belonged to a lot that has expired meanwhile comes
 * back in a lot of its own, valid `returnValidDays`, so a refund never hands
 * a shopper points that vanish the same minute.
 */
export async function holdPoints(ctx: MembershipContext, input: HoldPointsRequest): Promise<PointsHold> {
  return ctx.db.transaction(async (t) => {
    const member = await ctx.repo.lockMember(input.userId, t);
    const existing = await ctx.repo.hold(input.orderId, t);
    if (existing) {
      if (existing.userId !== input.userId || existing.points !== input.points) throw new RefusedError('hold_mismatch', 'orderId', 'this order holds other points already');
      return { orderId: existing.orderId, userId: existing.userId, points: existing.points, status: existing.status, balanceAfter: member.points };
    }
    // what has expired goes first, so only points that can still be used are taken
    const balance = await expireWithin(ctx, input.userId, member.points, member.growth, t);
    const taken = takeFromLots(await ctx.repo.openLots(input.userId, t), input.points);
    if (!taken) {
      const message = `you have ${balance} usable points, fewer than ${input.points}`;
      throw new RefusedError('points_insufficient', 'points', message);
    }
    for (const x of taken) await ctx.repo.takeFromLot(x.lotId, x.points, t);
    const entryId = await ctx.repo.insertEntry({ userId: input.userId, kind: 'spend', points: -input.points, balanceAfter: balance - input.points, orderId: input.orderId }, t);
    await ctx.repo.insertEntryLots(entryId, taken, t);
    await ctx.repo.setMember(input.userId, balance - input.points, member.growth, t);
    await ctx.repo.insertHold({ orderId: input.orderId, userId: input.userId, points: input.points, spendEntryId: entryId, parts: input.parts.map((p) => ({ subOrderId: p.subOrderId, points: p.points, total: p.total.amount })) }, t);
    return { orderId: input.orderId, userId: input.userId, points: input.points, status: 'held', balanceAfter: balance - input.points };
  });
}

/** An order that ended unpaid: every point it held goes back (once; nothing held answers null). */
export async function releasePoints(ctx: MembershipContext, orderId: string): Promise<PointsHold | null> {
  return ctx.db.transaction(async (t) => {
    const peek = await ctx.repo.hold(orderId, t);
    if (!peek) return null;
    const member = await ctx.repo.lockMember(peek.userId, t);
    const hold = (await ctx.repo.hold(orderId, t, true))!;
    if (hold.status === 'released') return { orderId, userId: hold.userId, points: hold.points, status: hold.status, balanceAfter: member.points };
    const back = await giveBack(ctx, { userId: hold.userId, balance: member.points, growth: member.growth, orderId, spendEntryId: hold.spendEntryId, subOrderId: null, points: null, ref: `release:${orderId}`, note: 'order not paid' }, t);
    await ctx.repo.releaseHold(orderId, t);
    return { orderId, userId: hold.userId, points: hold.points, status: 'released', balanceAfter: member.points + back };
  });
}

/**
 * The share of a refunded sub-order's points: points × refunded ÷ total, rounded down and counted
 * cumulatively (two half refunds give back what one whole would), all that is left once it is refunded
 * in full. Runs in the event handler's transaction; a refund counts once.
 */
export async function returnForRefund(ctx: MembershipContext, e: { subOrderId: string; refundId: string; amount: number; full: boolean }, t: Transaction): Promise<number> {
  const part = await ctx.repo.holdPart(e.subOrderId, t);
  if (!part || part.status !== 'held' || part.points === 0) return 0;
  const refunded = part.refunded + e.amount;
  const due = e.full || refunded >= part.total ? part.points : part.total === 0 ? 0 : Math.floor((part.points * Math.min(refunded, part.total)) / part.total);
  const give = Math.max(0, due - part.returned);
  if (!(await ctx.repo.insertHoldRefund({ refundId: e.refundId, subOrderId: e.subOrderId, amount: e.amount, points: give }, t))) return 0;
  await ctx.repo.setHoldPart(e.subOrderId, refunded, part.returned + give, t);
  if (give === 0) return 0;
  const member = await ctx.repo.lockMember(part.userId, t);
  const hold = (await ctx.repo.hold(part.orderId, t))!;
  return giveBack(ctx, { userId: part.userId, balance: member.points, growth: member.growth, orderId: part.orderId, spendEntryId: hold.spendEntryId, subOrderId: e.subOrderId, points: give, ref: `refund:${e.refundId}`, note: 'order refunded' }, t);
}

/**
 * Gives `points` (null: all not yet given back) of an order's spend back to the lots it took them
 * from, the lot expiring last first; an expired lot's share goes to a new lot. A `return` entry
 * records it, its lots beside it. The caller holds the member's row lock.
 */
async function giveBack(
  ctx: MembershipContext,
  g: { userId: string; balance: number; growth: number; orderId: string; spendEntryId: string; subOrderId: string | null; points: number | null; ref: string; note: string },
  t: Transaction,
): Promise<number> {
  const lots = await ctx.repo.returnableLots(g.orderId, g.spendEntryId, t);
  let left = g.points ?? lots.reduce((a, l) => a + l.points, 0);
  const total = left;
  if (total === 0) return 0;
  const now = Date.now();
  const back: { lotId: string; points: number }[] = [];
  let expired = 0;
  for (const lot of lots) {
    if (left === 0) break;
    const n = Math.min(lot.points, left);
    back.push({ lotId: lot.lotId, points: n });
    if (lot.expiresAt.getTime() > now) await ctx.repo.addToLot(lot.lotId, n, t);
    else expired += n;
    left -= n;
  }
  if (left > 0) throw new Error(`order ${g.orderId} has ${total - left} points to give back, not ${total}`);
  let freshLot: string | null = null;
  if (expired > 0) {
    freshLot = uuidFromKey('points-lot', 'return', g.ref);
    await ctx.repo.insertLot({ id: freshLot, userId: g.userId, source: 'return', ref: g.ref, points: expired, expiresAt: new Date(now + ctx.spend.returnValidDays * DAY_MS) }, t);
  }
  const entryId = await ctx.repo.insertEntry({ userId: g.userId, kind: 'return', points: total, balanceAfter: g.balance + total, lotId: freshLot, orderId: g.orderId, subOrderId: g.subOrderId, note: g.note }, t);
  await ctx.repo.insertEntryLots(entryId, back, t);
  await ctx.repo.setMember(g.userId, g.balance + total, g.growth, t);
  return total;
}
