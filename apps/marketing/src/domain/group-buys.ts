import { z } from 'zod';
import {
  CatalogInternal,
  type CreateGroupBuyCampaignRequest,
  type GroupBuy,
  type GroupBuyCampaign,
  type GroupBuyOffer,
  type GroupOutcome,
  type GroupSeat,
  type GroupSeatRefusal,
  HoldGroupSeatRequest,
  type MyGroupBuy,
  type PlatformEvents,
} from '@emporium/contracts';
import {
  defineActor,
  NotFoundError,
  parseWith,
  RefusedError,
  requireShopStaff,
  UnprocessableError,
  uuidFromKey,
  ValidationError,
  type ActorContext,
  type Database,
  type EventBus,
  type Logger,
  type Principal,
  type Sidecar,
  type Transaction,
} from '@emporium/kit';
import { groupView, isLive, type CampaignTerms, type GroupBuyRepository, type GroupRow, type MemberRow } from '../data/group-buy-repository';
import type { MarketingContext } from './marketing-context';

/**
 * Group buys (拼团). Campaigns are plain rows; a group's seats are taken,
 * paid and ended only in the turns of its `GroupBuy` actor (one per group,
 * id = group id), which Dapr runs one at a time, so two shoppers racing for
 * the last seat never both get it. The actor keeps no state of its own: each
 * turn is one PostgreSQL transaction on the group's rows (the events it
 * causes staged in the same transaction), and a reminder at the group's end
 * fails it if it has not formed. A periodic sweep asks the actor again for
 * any group past its end, should a reminder be lost.
 */
export const GROUP_BUY_ACTOR = 'GroupBuy';

export async function createGroupBuyCampaign(ctx: MarketingContext, caller: Principal, shopId: string, id: string, input: CreateGroupBuyCampaignRequest): Promise<GroupBuyCampaign> {
  requireShopStaff(caller, shopId);
  const existing = await ctx.groupBuys.campaignWithStats(id);
  if (existing) return existing;
  const [offer] = (await ctx.sidecar.call(CatalogInternal.getSkuOffers, { body: { skuIds: [input.skuId] } })).items;
  if (!offer || offer.shopId !== shopId) throw new ValidationError([{ field: 'skuId', code: 'unknown', message: 'not a SKU of this shop' }]);
  if (!offer.purchasable) throw new UnprocessableError(`SKU ${input.skuId} cannot be sold now (${offer.unavailableReason})`, { field: 'skuId' });
  if (input.price.currency !== offer.price.currency) throw new ValidationError([{ field: 'price.currency', code: 'currency', message: `the SKU is priced in ${offer.price.currency}` }]);
  if (input.price.amount >= offer.price.amount) throw new ValidationError([{ field: 'price.amount', code: 'not_below_list', message: `below the list price, ${offer.price.amount}` }]);
  return ctx.groupBuys.insertCampaign(id, shopId, offer.productId, offer.price.amount, input, caller.userId);
}

export async function shopGroupBuyCampaigns(ctx: MarketingContext, caller: Principal, shopId: string): Promise<GroupBuyCampaign[]> {
  requireShopStaff(caller, shopId);
  return ctx.groupBuys.shopCampaigns(shopId);
}

export async function setGroupBuyCampaignStatus(ctx: MarketingContext, caller: Principal, campaignId: string, status: GroupBuyCampaign['status']): Promise<GroupBuyCampaign> {
  const campaign = await ctx.groupBuys.campaign(campaignId);
  if (!campaign) throw new NotFoundError('no such group-buy campaign');
  requireShopStaff(caller, campaign.shopId);
  await ctx.groupBuys.setCampaignStatus(campaignId, status);
  return (await ctx.groupBuys.campaignWithStats(campaignId))!;
}

export async function groupBuyCampaign(ctx: MarketingContext, campaignId: string): Promise<GroupBuyCampaign> {
  const campaign = await ctx.groupBuys.campaignWithStats(campaignId);
  if (!campaign) throw new NotFoundError('no such group-buy campaign');
  return campaign;
}

/** A product's running campaigns, each with up to 10 groups to join. */
export async function groupBuyOffers(ctx: MarketingContext, productId: string, caller: string | null): Promise<GroupBuyOffer[]> {
  const campaigns = await ctx.groupBuys.runningForProduct(productId);
  const [groups, terms] = await Promise.all([ctx.groupBuys.joinableGroups(campaigns.map((c) => c.id), 10), ctx.groupBuys.campaigns(campaigns.map((c) => c.id))]);
  const members = await ctx.groupBuys.membersOf(groups.map((g) => g.id));
  const now = new Date();
  return campaigns.map((campaign) => ({
    campaign,
    openGroups: groups.filter((g) => g.campaign_id === campaign.id).map((g) => groupView(g, terms.get(campaign.id)!, members.get(g.id)!, caller, now)),
  }));
}

export async function groupBuy(ctx: MarketingContext, groupId: string, caller: string | null): Promise<GroupBuy> {
  const group = await ctx.groupBuys.group(groupId);
  if (!group) throw new NotFoundError('no such group');
  const [campaign, members] = await Promise.all([ctx.groupBuys.campaign(group.campaign_id), ctx.groupBuys.members(groupId)]);
  return groupView(group, campaign!, members, caller);
}

export async function myGroupBuys(ctx: MarketingContext, userId: string): Promise<MyGroupBuy[]> {
  const seats = await ctx.groupBuys.seatsOfUser(userId, 100);
  const groupIds = [...new Set(seats.map((s) => s.group_id))];
  const [groups, members, campaigns] = await Promise.all([
    ctx.groupBuys.groups(groupIds),
    ctx.groupBuys.membersOf(groupIds),
    ctx.groupBuys.campaigns([...new Set(seats.map((s) => s.campaign_id))]),
  ]);
  const now = new Date();
  return seats.map((s) => ({
    orderId: s.order_id,
    quantity: s.quantity,
    seat: seatStatus(s, now),
    group: groupView(groups.get(s.group_id)!, campaigns.get(s.campaign_id)!, members.get(s.group_id)!, userId, now),
  }));
}

/* ---------- seats: run in the group's actor turn ---------- */

export interface SeatDeps {
  db: Database;
  groupBuys: GroupBuyRepository;
  events: EventBus<PlatformEvents>;
  logger: Logger;
}

type SeatAnswer = { ok: true; seat: GroupSeat; opened?: { expiresAt: string } } | { ok: false; reason: GroupSeatRefusal | 'not_found'; message: string };

/** A seat as its shopper sees it: a held seat past its time is as good as released; a refunded one was paid. */
const seatStatus = (m: Pick<MemberRow, 'status' | 'hold_until'>, now = new Date()): GroupSeat['seat'] =>
  m.status === 'refunded' ? 'paid' : m.status === 'held' && m.hold_until <= now ? 'released' : m.status;

const seatOf = (m: MemberRow, g: GroupRow, c: CampaignTerms): GroupSeat => ({
  orderId: m.order_id,
  groupId: g.id,
  campaignId: c.id,
  skuId: c.skuId,
  seat: seatStatus(m),
  group: g.status,
  expiresAt: g.expires_at.toISOString(),
});

const HoldInput = z.object({ request: HoldGroupSeatRequest, groupId: z.uuid(), opening: z.boolean() }).strict();
const OrderInput = z.object({ orderId: z.uuid() }).strict();

const campaignRuns = (c: CampaignTerms, now: Date) => c.status === 'active' && now >= c.startsAt && now < c.endsAt;

/** Takes a seat for an order: opening a new group, or joining one. The same order again answers what it holds, or takes its given-up seat back. */
async function holdSeat(d: SeatDeps, input: z.infer<typeof HoldInput>): Promise<SeatAnswer> {
  const { request: r, groupId, opening } = input;
  return d.db.transaction(async (t) => {
    const now = new Date();
    const mine = await d.groupBuys.member(r.orderId, t);
    const campaign = await d.groupBuys.campaign(r.campaignId, t);
    if (!campaign) return { ok: false, reason: 'not_found', message: 'no such group-buy campaign' };
    if (mine && (isLive(mine, now) || mine.status === 'refunded')) {
      const g = (await d.groupBuys.group(mine.group_id, t))!;
      return { ok: true, seat: seatOf(mine, g, campaign) };
    }
    let group = await d.groupBuys.group(mine?.group_id ?? groupId, t, true);
    // The same order again after its seat was given up: its checkout did not start (a peer was away)
    // and the client tries again with the same key, or the seat lapsed. It takes the seat back when the
    // group still lets it. An opener's group that ended only because that seat was released (nobody
    // paid in it, its time not up, the campaign still running) opens again: otherwise the retried
    // checkout of a group's opener would meet its own group ended.
    let reopened = false;
    if (mine && group && group.status === 'failed' && mine.leader && group.expires_at > now && campaignRuns(campaign, now)) {
      const members = await d.groupBuys.members(group.id, t);
      if (!members.some((m) => m.status === 'paid' || m.status === 'refunded')) {
        await d.groupBuys.reopenGroup(group.id, t);
        group = (await d.groupBuys.group(group.id, t))!;
        reopened = true;
      }
    }
    if (group && group.campaign_id !== campaign.id) return { ok: false, reason: 'not_found', message: 'no such group in this campaign' };
    if (!group && !opening) return { ok: false, reason: 'not_found', message: 'no such group' };
    if (group) {
      if (group.status !== 'open' || group.expires_at <= now) return { ok: false, reason: 'group_ended', message: `the group has ${group.status === 'formed' ? 'formed' : 'ended'}` };
      const live = (await d.groupBuys.members(group.id, t)).filter((m) => m.order_id !== r.orderId && isLive(m, now));
      if (live.some((m) => m.user_id === r.buyerUserId)) return { ok: false, reason: 'own_group', message: 'you are in this group already: share it for others to join' };
      if (live.length >= group.size) return { ok: false, reason: 'group_full', message: 'every seat of the group is taken' };
    } else if (!campaignRuns(campaign, now)) {
      return { ok: false, reason: 'campaign_not_running', message: 'the campaign opens no new groups now' };
    }
    const units = await d.groupBuys.unitsOfUser(campaign.id, r.buyerUserId, t);
    if (units + r.quantity > campaign.perUserLimit) return { ok: false, reason: 'over_limit', message: `at most ${campaign.perUserLimit} units per shopper in this campaign (you have ${units})` };
    const opened = !group || reopened;
    group ??= await d.groupBuys.insertGroup({ id: groupId, campaignId: campaign.id, size: campaign.groupSize, expiresAt: new Date(now.getTime() + campaign.openSeconds * 1000) }, t);
    const holdUntil = new Date(now.getTime() + r.holdSeconds * 1000);
    if (mine) await d.groupBuys.holdAgain(r.orderId, holdUntil, t);
    else await d.groupBuys.insertMember({ orderId: r.orderId, groupId: group.id, campaignId: campaign.id, userId: r.buyerUserId, quantity: r.quantity, leader: opening, holdUntil }, t);
    const seat = seatOf((await d.groupBuys.member(r.orderId, t))!, group, campaign);
    return { ok: true, seat, ...(opened ? { opened: { expiresAt: group.expires_at.toISOString() } } : {}) };
  });
}

async function releaseSeat(d: SeatDeps, orderId: string): Promise<GroupSeat | null> {
  return d.db.transaction(async (t) => {
    const m = await d.groupBuys.member(orderId, t);
    if (!m) return null;
    let g = (await d.groupBuys.group(m.group_id, t, true))!;
    if (m.status === 'held') await d.groupBuys.setMember(orderId, 'released', t);
    // a group nobody is in any more (its opener never paid) ends: there is nobody to refund and nothing to join
    const now = new Date();
    if (g.status === 'open' && !(await d.groupBuys.members(g.id, t)).some((x) => isLive(x, now))) {
      await d.groupBuys.endGroup(g.id, 'failed', t);
      g = (await d.groupBuys.group(g.id, t))!;
    }
    return seatOf((await d.groupBuys.member(orderId, t))!, g, (await d.groupBuys.campaign(m.campaign_id, t))!);
  });
}

/** The group fails if it is open past its end: paid seats are refunded (group-buy.failed), held ones released. */
async function failIfDue(d: SeatDeps, g: GroupRow, c: CampaignTerms, t: Transaction): Promise<boolean> {
  if (g.status !== 'open' || g.expires_at > new Date()) return false;
  await d.groupBuys.endGroup(g.id, 'failed', t);
  const refunded = await d.groupBuys.setMembers(g.id, 'paid', 'refunded', t);
  await d.groupBuys.setMembers(g.id, 'held', 'released', t);
  if (refunded.length) await d.events.stage(t, 'group-buy.failed', { groupId: g.id, campaignId: c.id, shopId: c.shopId, orderIds: refunded, reason: 'the group did not fill in time' });
  d.logger.info({ groupId: g.id, refunded: refunded.length }, 'group buy failed');
  return true;
}

/**
 * The order is paid: its seat becomes a member. The last member forms the group (group-buy.formed
 * names every member's order). A payment that comes after the group ended, or after its lapsed seat
 * was taken by another, is refunded (group-buy.failed for that order alone).
 */
async function seatPaid(d: SeatDeps, orderId: string): Promise<SeatAnswer> {
  return d.db.transaction(async (t) => {
    const m = await d.groupBuys.member(orderId, t);
    if (!m) return { ok: false, reason: 'not_found', message: 'the order holds no seat' };
    let g = (await d.groupBuys.group(m.group_id, t, true))!;
    const c = (await d.groupBuys.campaign(m.campaign_id, t))!;
    const answer = async (): Promise<SeatAnswer> => ({ ok: true, seat: seatOf((await d.groupBuys.member(orderId, t))!, (await d.groupBuys.group(g.id, t))!, c) });
    if (m.status === 'paid' || m.status === 'refunded') return answer();
    if (await failIfDue(d, g, c, t)) g = (await d.groupBuys.group(g.id, t))!;
    const refund = async (reason: string) => {
      await d.groupBuys.setMember(orderId, 'refunded', t);
      await d.events.stage(t, 'group-buy.failed', { groupId: g.id, campaignId: c.id, shopId: c.shopId, orderIds: [orderId], reason });
      return answer();
    };
    if (g.status !== 'open') return refund(g.status === 'formed' ? 'the group formed before this payment arrived' : 'the group ended before this payment arrived');
    const now = new Date();
    const others = (await d.groupBuys.members(g.id, t)).filter((x) => x.order_id !== orderId && isLive(x, now));
    // a seat whose hold lapsed counts again only if the group still has room
    if (!isLive(m, now) && others.length >= g.size) return refund('the seat lapsed and the group filled meanwhile');
    await d.groupBuys.setMember(orderId, 'paid', t);
    const paid = (await d.groupBuys.members(g.id, t)).filter((x) => x.status === 'paid');
    if (paid.length >= g.size) {
      await d.groupBuys.endGroup(g.id, 'formed', t);
      // checkouts still holding a seat of a formed group: their payments, should they come, are refunded
      await d.groupBuys.setMembers(g.id, 'held', 'released', t);
      await d.events.stage(t, 'group-buy.formed', { groupId: g.id, campaignId: c.id, shopId: c.shopId, orderIds: paid.map((x) => x.order_id) });
      d.logger.info({ groupId: g.id, members: paid.length }, 'group buy formed');
    }
    return answer();
  });
}

async function expireGroup(d: SeatDeps, groupId: string): Promise<void> {
  await d.db.transaction(async (t) => {
    const g = await d.groupBuys.group(groupId, t, true);
    if (!g) return;
    await failIfDue(d, g, (await d.groupBuys.campaign(g.campaign_id, t))!, t);
  });
}

interface GroupBuyActor {
  ctx: ActorContext;
}

export function groupBuyActor(d: SeatDeps) {
  return defineActor<GroupBuyActor>({
    type: GROUP_BUY_ACTOR,
    create: (ctx) => ({ ctx }),
    methods: {
      hold: async (a, body) => {
        const input = parseWith(HoldInput, body);
        const answer = await holdSeat(d, input);
        // the group fails at its end unless it formed: a reminder then (and the sweep, should it be lost)
        if (answer.ok && answer.opened) {
          const seconds = Math.max(1, Math.ceil((Date.parse(answer.opened.expiresAt) - Date.now()) / 1000));
          await a.ctx.reminders.register('expire', `${seconds}s`);
        }
        return answer;
      },
      release: async (_a, body) => releaseSeat(d, parseWith(OrderInput, body).orderId),
      paid: async (_a, body) => seatPaid(d, parseWith(OrderInput, body).orderId),
      expire: async (a) => expireGroup(d, a.ctx.id),
    },
    onReminder: async (a, name) => {
      if (name === 'expire') await expireGroup(d, a.ctx.id);
      return 'stop';
    },
  });
}

/* ---------- what order calls: the way into the actors ---------- */

function answerOf(answer: SeatAnswer): GroupSeat {
  if (answer.ok) return answer.seat;
  if (answer.reason === 'not_found') throw new NotFoundError(answer.message, { field: 'groupBuy.groupId' });
  throw new RefusedError(answer.reason, 'groupBuy.groupId', answer.message);
}

export async function holdGroupSeat(sidecar: Sidecar, request: HoldGroupSeatRequest): Promise<GroupSeat> {
  // a new group's id comes from the order: the same order again opens the same group
  const groupId = request.groupId ?? uuidFromKey('group-buy', request.orderId);
  return answerOf(await sidecar.invokeActor<SeatAnswer>(GROUP_BUY_ACTOR, groupId, 'hold', { request, groupId, opening: !request.groupId }));
}

export async function releaseGroupSeat(ctx: MarketingContext, orderId: string): Promise<GroupSeat | null> {
  const m = await ctx.groupBuys.member(orderId);
  if (!m) return null;
  return ctx.sidecar.invokeActor<GroupSeat | null>(GROUP_BUY_ACTOR, m.group_id, 'release', { orderId });
}

export async function groupSeatPaid(ctx: MarketingContext, orderId: string): Promise<GroupSeat> {
  const m = await ctx.groupBuys.member(orderId);
  if (!m) throw new NotFoundError('the order holds no seat');
  return answerOf(await ctx.sidecar.invokeActor<SeatAnswer>(GROUP_BUY_ACTOR, m.group_id, 'paid', { orderId }));
}

/**
 * How the groups of these orders' seats ended, read without the actors in one statement: order asks
 * for the ones whose group-buy.formed or group-buy.failed is late (an event lost with a broker's
 * restart) and applies the answer as it would the event. A seat refunded by marketing (its payment
 * came after the group ended, or after its lapsed seat was taken) is `failed` whatever became of the
 * group. `seatPaid` false while the order waits for its group: checkout's groupSeatPaid never got here.
 */
export async function groupOutcomes(ctx: MarketingContext, orderIds: readonly string[]): Promise<GroupOutcome[]> {
  return (await ctx.groupBuys.seatsWithGroups(orderIds)).map((m) => {
    const of = (outcome: GroupOutcome['outcome'], at: Date | null, reason: string | null = null): GroupOutcome => ({
      orderId: m.order_id,
      groupId: m.group_id,
      outcome,
      reason,
      decidedAt: at?.toISOString() ?? null,
      seatPaid: m.status === 'paid' || m.status === 'refunded',
    });
    if (m.status === 'refunded') {
      const reason = m.group_status === 'failed' ? 'the group did not fill in time' : 'the group filled or ended before this payment arrived';
      return of('failed', m.refunded_at ?? m.ended_at ?? m.paid_at ?? m.joined_at, reason);
    }
    if (m.status === 'paid' && m.group_status === 'formed') return of('formed', m.ended_at);
    // open, or the payment not yet at the seat
    return of('waiting', null);
  });
}

/** The sweep's backstop: groups past their end that are still open are failed by their actor. */
export async function expireDueGroups(ctx: MarketingContext): Promise<number> {
  const due = await ctx.groupBuys.dueGroups(15, 50);
  for (const id of due) await ctx.sidecar.invokeActor(GROUP_BUY_ACTOR, id, 'expire', {});
  return due.length;
}
