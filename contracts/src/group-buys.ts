import { z } from 'zod';
import { Price } from './catalog';
import { defineEvent } from './events';
import { bilingual } from './i18n';
import { PerUserLimit, Quantity } from './inventory';

/**
 * Group buys (拼团). A shop runs a campaign for one of its SKUs: a group price
 * for groups of N shoppers. A shopper opens a group by paying for it; others
 * join by paying. The group forms when N members have paid, and its orders
 * ship; a group still short of N when its time runs out fails, and every
 * member's money goes back through the refund path, their stock with it.
 *
 * One `GroupBuy` actor per group (in marketing) takes the seats in turn, so a
 * group never has more members than its size. A seat is taken when checkout
 * starts (before anything is charged: a full, ended or own group is refused
 * there) and held while the payment is made; it counts as a member once paid.
 */

const MAX_WINDOW_MS = 366 * 24 * 3600 * 1000;
/** How long a group stays open: from 10 seconds (a demo) to 7 days; 24 hours is usual. */
export const GroupOpenSeconds = z.number().int().min(10).max(7 * 24 * 3600);

export const CreateGroupBuyCampaignRequest = z
  .object({
    skuId: z.uuid(),
    title: bilingual(120),
    /** shoppers a group needs, its opener included */
    groupSize: z.number().int().min(2).max(50),
    /** the group price: above zero, below the SKU's list price, in its currency */
    price: Price.refine((p) => p.amount > 0, { message: 'must be above zero', path: ['amount'] }),
    openSeconds: GroupOpenSeconds,
    /** units one shopper may buy in this campaign, in every group together */
    perUserLimit: PerUserLimit,
    /** new groups open in this window; a group opened in it may fill after it */
    startsAt: z.iso.datetime(),
    endsAt: z.iso.datetime(),
  })
  .strict()
  .refine((r) => Date.parse(r.endsAt) > Date.parse(r.startsAt), { message: 'must be after startsAt', path: ['endsAt'] })
  .refine((r) => Date.parse(r.endsAt) > Date.now(), { message: 'must be in the future', path: ['endsAt'] })
  .refine((r) => Date.parse(r.endsAt) - Date.parse(r.startsAt) <= MAX_WINDOW_MS, { message: 'a campaign runs for at most a year', path: ['endsAt'] });
export type CreateGroupBuyCampaignRequest = z.infer<typeof CreateGroupBuyCampaignRequest>;

export const GroupBuyCampaignStatus = z.enum(['active', 'paused']);
export const SetGroupBuyCampaignStatusRequest = z.object({ status: GroupBuyCampaignStatus }).strict();
/** Where a campaign is in its window (a paused campaign opens no new groups; open ones still fill). */
export const GroupBuyPhase = z.enum(['upcoming', 'running', 'ended']);

export const GroupBuyCampaign = z
  .object({
    id: z.uuid(),
    shopId: z.uuid(),
    productId: z.uuid(),
    skuId: z.uuid(),
    title: bilingual(120),
    groupSize: z.number().int(),
    price: Price,
    listPrice: Price,
    openSeconds: z.number().int(),
    perUserLimit: z.number().int(),
    startsAt: z.iso.datetime(),
    endsAt: z.iso.datetime(),
    status: GroupBuyCampaignStatus,
    phase: GroupBuyPhase,
    /** groups by how they stand, and the members who paid */
    stats: z.object({ open: z.number().int(), formed: z.number().int(), failed: z.number().int(), membersPaid: z.number().int() }).strict(),
    createdAt: z.iso.datetime(),
  })
  .strict();
export type GroupBuyCampaign = z.infer<typeof GroupBuyCampaign>;

export const GroupBuyStatus = z.enum(['open', 'formed', 'failed']);
export type GroupBuyStatus = z.infer<typeof GroupBuyStatus>;

/** One group, as anyone with its link sees it: members are shown without names. */
export const GroupBuy = z
  .object({
    id: z.uuid(),
    campaignId: z.uuid(),
    shopId: z.uuid(),
    productId: z.uuid(),
    skuId: z.uuid(),
    title: bilingual(120),
    price: Price,
    listPrice: Price,
    size: z.number().int(),
    /** members who paid */
    paid: z.number().int(),
    /** seats held by checkouts still being paid */
    held: z.number().int(),
    /** seats a new member can take now (0 when full or ended) */
    seatsLeft: z.number().int(),
    status: GroupBuyStatus,
    openedAt: z.iso.datetime(),
    expiresAt: z.iso.datetime(),
    endedAt: z.iso.datetime().nullable(),
    members: z.array(z.object({ leader: z.boolean(), paid: z.boolean(), joinedAt: z.iso.datetime(), you: z.boolean() }).strict()),
    /** the caller has a seat in it (signed-in callers only) */
    mine: z.boolean(),
  })
  .strict();
export type GroupBuy = z.infer<typeof GroupBuy>;

/** A running campaign of a product with its groups a shopper can join, soonest to end first. */
export const GroupBuyOffer = z.object({ campaign: GroupBuyCampaign, openGroups: z.array(GroupBuy) }).strict();
export type GroupBuyOffer = z.infer<typeof GroupBuyOffer>;
export const GroupBuyOfferQuery = z.object({ productId: z.uuid() }).strict();

export const GroupSeatStatus = z.enum(['held', 'paid', 'released']);
/** The caller's seat in a group and the group. */
export const MyGroupBuy = z.object({ orderId: z.uuid(), quantity: z.number().int(), seat: GroupSeatStatus, group: GroupBuy }).strict();
export type MyGroupBuy = z.infer<typeof MyGroupBuy>;

/** order → marketing: take a seat for an order (idempotent by order). Without `groupId`, the order opens a new group. */
export const HoldGroupSeatRequest = z
  .object({
    orderId: z.uuid(),
    campaignId: z.uuid(),
    groupId: z.uuid().optional(),
    buyerUserId: z.uuid(),
    quantity: Quantity,
    /** how long the seat waits for the payment */
    holdSeconds: z.number().int().min(10).max(24 * 3600),
  })
  .strict();
export type HoldGroupSeatRequest = z.infer<typeof HoldGroupSeatRequest>;

export const GroupSeat = z
  .object({
    orderId: z.uuid(),
    groupId: z.uuid(),
    campaignId: z.uuid(),
    skuId: z.uuid(),
    seat: GroupSeatStatus,
    group: GroupBuyStatus,
    expiresAt: z.iso.datetime(),
  })
  .strict();
export type GroupSeat = z.infer<typeof GroupSeat>;

/**
 * Why a seat was refused (409 `code`): the group is full (every seat paid or held), formed or failed,
 * past its time, the caller's own, the caller's units would pass the campaign's limit, or the
 * campaign opens no new groups now.
 */
export const GroupSeatRefusal = z.enum(['group_full', 'group_ended', 'own_group', 'over_limit', 'campaign_not_running']);
export type GroupSeatRefusal = z.infer<typeof GroupSeatRefusal>;

export const GroupBuyEvents = [
  defineEvent('group-buy.formed', 1, 'A group reached its size: its members’ orders ship', {
    groupId: z.uuid(),
    campaignId: z.uuid(),
    shopId: z.uuid(),
    orderIds: z.array(z.uuid()).min(1),
  }),
  defineEvent('group-buy.failed', 1, 'A group ended short of its size (or a member paid after it ended): these orders are refunded in full and their stock returned', {
    groupId: z.uuid(),
    campaignId: z.uuid(),
    shopId: z.uuid(),
    orderIds: z.array(z.uuid()).min(1),
    reason: z.string(),
  }),
] as const;

/** order → marketing: how the groups of these orders' seats ended (order asks when a group's event is late). */
export const GroupOutcomesRequest = z.object({ orderIds: z.array(z.uuid()).min(1).max(100) }).strict();
export type GroupOutcomesRequest = z.infer<typeof GroupOutcomesRequest>;

/**
 * What an order's seat came to: `formed` (the group formed with it: its stock is sold), `failed`
 * (its money goes back: the group did not fill, or its payment came after the group ended or its
 * lapsed seat was taken; `reason` says which) or `waiting` (the group is still open, or the
 * payment has not reached the seat yet).
 */
export const GroupOutcome = z
  .object({
    orderId: z.uuid(),
    groupId: z.uuid(),
    outcome: z.enum(['waiting', 'formed', 'failed']),
    reason: z.string().max(200).nullable(),
    /** when the group formed, or the seat's money was given back; null while waiting */
    decidedAt: z.iso.datetime().nullable(),
    /** the order's payment reached its seat (checkout's groupSeatPaid): a paid order's seat that is not was never told */
    seatPaid: z.boolean(),
  })
  .strict();
export type GroupOutcome = z.infer<typeof GroupOutcome>;
