import type { BilingualText, CreateGroupBuyCampaignRequest, GroupBuy, GroupBuyCampaign, GroupBuyStatus } from '@emporium/contracts';
import { moneyOf, type Database, type Transaction } from '@emporium/kit';

interface CampaignRow {
  id: string;
  shop_id: string;
  product_id: string;
  sku_id: string;
  title: BilingualText;
  group_size: number;
  price: string;
  list_price: string;
  currency: string;
  open_seconds: number;
  per_user_limit: number;
  starts_at: Date;
  ends_at: Date;
  status: GroupBuyCampaign['status'];
  created_at: Date;
}

interface StatsRow {
  open: string;
  formed: string;
  failed: string;
  members_paid: string;
}

export interface GroupRow {
  id: string;
  campaign_id: string;
  size: number;
  status: GroupBuyStatus;
  opened_at: Date;
  expires_at: Date;
  ended_at: Date | null;
}

export interface MemberRow {
  order_id: string;
  group_id: string;
  campaign_id: string;
  user_id: string;
  quantity: number;
  leader: boolean;
  status: 'held' | 'paid' | 'released' | 'refunded';
  hold_until: Date;
  joined_at: Date;
  paid_at: Date | null;
  refunded_at: Date | null;
}

/** The campaign's terms, as the seat rules and the quote need them. */
export interface CampaignTerms {
  id: string;
  shopId: string;
  productId: string;
  skuId: string;
  title: BilingualText;
  groupSize: number;
  price: { amount: number; currency: string };
  listPrice: { amount: number; currency: string };
  openSeconds: number;
  perUserLimit: number;
  startsAt: Date;
  endsAt: Date;
  status: GroupBuyCampaign['status'];
}

function terms(r: CampaignRow): CampaignTerms {
  const currency = r.currency.trim();
  return {
    id: r.id,
    shopId: r.shop_id,
    productId: r.product_id,
    skuId: r.sku_id,
    title: r.title,
    groupSize: r.group_size,
    price: moneyOf(r.price, currency),
    listPrice: moneyOf(r.list_price, currency),
    openSeconds: r.open_seconds,
    perUserLimit: r.per_user_limit,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    status: r.status,
  };
}

export function campaignView(c: CampaignTerms, createdAt: Date, stats: StatsRow | undefined, now = new Date()): GroupBuyCampaign {
  return {
    id: c.id,
    shopId: c.shopId,
    productId: c.productId,
    skuId: c.skuId,
    title: c.title,
    groupSize: c.groupSize,
    price: c.price,
    listPrice: c.listPrice,
    openSeconds: c.openSeconds,
    perUserLimit: c.perUserLimit,
    startsAt: c.startsAt.toISOString(),
    endsAt: c.endsAt.toISOString(),
    status: c.status,
    phase: now < c.startsAt ? 'upcoming' : now < c.endsAt ? 'running' : 'ended',
    stats: { open: Number(stats?.open ?? 0), formed: Number(stats?.formed ?? 0), failed: Number(stats?.failed ?? 0), membersPaid: Number(stats?.members_paid ?? 0) },
    createdAt: createdAt.toISOString(),
  };
}

/** A member who counts against the group's size now: paid, or held by a checkout still within its time. */
export const isLive = (m: Pick<MemberRow, 'status' | 'hold_until'>, now: Date) => m.status === 'paid' || (m.status === 'held' && m.hold_until > now);

/** A group as anyone sees it; `you` marks the caller's seats. */
export function groupView(g: GroupRow, c: CampaignTerms, members: readonly MemberRow[], caller: string | null, now = new Date()): GroupBuy {
  const shown = members.filter((m) => m.status === 'paid' || m.status === 'refunded' || (g.status === 'open' && isLive(m, now))).sort((a, b) => a.joined_at.getTime() - b.joined_at.getTime());
  const paid = members.filter((m) => m.status === 'paid').length;
  const held = g.status === 'open' ? members.filter((m) => m.status === 'held' && m.hold_until > now).length : 0;
  const open = g.status === 'open' && g.expires_at > now;
  return {
    id: g.id,
    campaignId: c.id,
    shopId: c.shopId,
    productId: c.productId,
    skuId: c.skuId,
    title: c.title,
    price: c.price,
    listPrice: c.listPrice,
    size: g.size,
    paid,
    held,
    seatsLeft: open ? Math.max(0, g.size - paid - held) : 0,
    status: g.status,
    openedAt: g.opened_at.toISOString(),
    expiresAt: g.expires_at.toISOString(),
    endedAt: g.ended_at?.toISOString() ?? null,
    members: shown.map((m) => ({ leader: m.leader, paid: m.status === 'paid' || m.status === 'refunded', joinedAt: m.joined_at.toISOString(), you: caller !== null && m.user_id === caller })),
    mine: caller !== null && shown.some((m) => m.user_id === caller),
  };
}

const STATS = `
  SELECT count(*) FILTER (WHERE g.status = 'open')   AS open,
         count(*) FILTER (WHERE g.status = 'formed') AS formed,
         count(*) FILTER (WHERE g.status = 'failed') AS failed,
         (SELECT count(*) FROM group_buy_members m WHERE m.campaign_id = c.id AND m.status = 'paid') AS members_paid
    FROM group_buys g WHERE g.campaign_id = c.id`;

export class GroupBuyRepository {
  constructor(private readonly db: Database) {}

  /** A new campaign; the id comes from the caller's Idempotency-Key, so the same request again returns it. */
  async insertCampaign(
    id: string,
    shopId: string,
    productId: string,
    listPrice: number,
    input: CreateGroupBuyCampaignRequest,
    createdBy: string,
  ): Promise<GroupBuyCampaign> {
    await this.db.query(
      `INSERT INTO group_buy_campaigns (id, shop_id, product_id, sku_id, title, group_size, price, list_price, currency, open_seconds, per_user_limit, starts_at, ends_at, created_by)
       VALUES (:id, :shopId, :productId, :skuId, :title, :groupSize, :price, :listPrice, :currency, :openSeconds, :perUserLimit, :startsAt, :endsAt, :createdBy)
       ON CONFLICT (id) DO NOTHING`,
      {
        id,
        shopId,
        productId,
        skuId: input.skuId,
        title: JSON.stringify(input.title),
        groupSize: input.groupSize,
        price: input.price.amount,
        listPrice,
        currency: input.price.currency,
        openSeconds: input.openSeconds,
        perUserLimit: input.perUserLimit,
        startsAt: new Date(input.startsAt).toISOString(),
        endsAt: new Date(input.endsAt).toISOString(),
        createdBy,
      },
    );
    return (await this.campaignWithStats(id))!;
  }

  async campaign(id: string, t?: Transaction): Promise<CampaignTerms | undefined> {
    const [row] = await this.db.query<CampaignRow>('SELECT * FROM group_buy_campaigns WHERE id = :id', { id }, t);
    return row && terms(row);
  }

  async campaigns(ids: readonly string[]): Promise<Map<string, CampaignTerms>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db.query<CampaignRow>('SELECT * FROM group_buy_campaigns WHERE id IN (:ids)', { ids: [...ids] });
    return new Map(rows.map((r) => [r.id, terms(r)]));
  }

  async campaignWithStats(id: string, t?: Transaction): Promise<GroupBuyCampaign | undefined> {
    const [row] = await this.db.query<CampaignRow & StatsRow>(`SELECT c.*, s.* FROM group_buy_campaigns c, LATERAL (${STATS}) s WHERE c.id = :id`, { id }, t);
    return row && campaignView(terms(row), row.created_at, row);
  }

  async shopCampaigns(shopId: string): Promise<GroupBuyCampaign[]> {
    const rows = await this.db.query<CampaignRow & StatsRow>(
      `SELECT c.*, s.* FROM group_buy_campaigns c, LATERAL (${STATS}) s WHERE c.shop_id = :shopId ORDER BY c.created_at DESC LIMIT 200`,
      { shopId },
    );
    return rows.map((r) => campaignView(terms(r), r.created_at, r));
  }

  /** A product's campaigns that open groups now. */
  async runningForProduct(productId: string): Promise<GroupBuyCampaign[]> {
    const rows = await this.db.query<CampaignRow & StatsRow>(
      `SELECT c.*, s.* FROM group_buy_campaigns c, LATERAL (${STATS}) s
        WHERE c.product_id = :productId AND c.status = 'active' AND c.starts_at <= now() AND c.ends_at > now()
        ORDER BY c.ends_at LIMIT 20`,
      { productId },
    );
    return rows.map((r) => campaignView(terms(r), r.created_at, r));
  }

  async setCampaignStatus(id: string, status: GroupBuyCampaign['status']): Promise<void> {
    await this.db.query('UPDATE group_buy_campaigns SET status = :status WHERE id = :id', { id, status });
  }

  async group(id: string, t?: Transaction, forUpdate = false): Promise<GroupRow | undefined> {
    const [row] = await this.db.query<GroupRow>(`SELECT * FROM group_buys WHERE id = :id${forUpdate ? ' FOR UPDATE' : ''}`, { id }, t);
    return row;
  }

  async insertGroup(g: { id: string; campaignId: string; size: number; expiresAt: Date }, t: Transaction): Promise<GroupRow> {
    const [row] = await this.db.query<GroupRow>(
      'INSERT INTO group_buys (id, campaign_id, size, expires_at) VALUES (:id, :campaignId, :size, :expiresAt) RETURNING *',
      { ...g, expiresAt: g.expiresAt.toISOString() },
      t,
    );
    return row!;
  }

  async endGroup(id: string, status: 'formed' | 'failed', t: Transaction): Promise<void> {
    await this.db.query("UPDATE group_buys SET status = :status, ended_at = now() WHERE id = :id AND status = 'open'", { id, status }, t);
  }

  /** A group that failed because its only seat was given up opens again (holdSeat decides when). */
  async reopenGroup(id: string, t: Transaction): Promise<void> {
    await this.db.query("UPDATE group_buys SET status = 'open', ended_at = NULL WHERE id = :id AND status = 'failed'", { id }, t);
  }

  /** An order's given-up or lapsed seat held again, until `holdUntil`. */
  async holdAgain(orderId: string, holdUntil: Date, t: Transaction): Promise<void> {
    await this.db.query("UPDATE group_buy_members SET status = 'held', hold_until = :holdUntil WHERE order_id = :orderId AND status IN ('held', 'released')", { orderId, holdUntil: holdUntil.toISOString() }, t);
  }

  async members(groupId: string, t?: Transaction): Promise<MemberRow[]> {
    return this.db.query<MemberRow>('SELECT * FROM group_buy_members WHERE group_id = :groupId ORDER BY joined_at', { groupId }, t);
  }

  async membersOf(groupIds: readonly string[]): Promise<Map<string, MemberRow[]>> {
    const out = new Map<string, MemberRow[]>(groupIds.map((id) => [id, []]));
    if (groupIds.length === 0) return out;
    const rows = await this.db.query<MemberRow>('SELECT * FROM group_buy_members WHERE group_id IN (:ids) ORDER BY joined_at', { ids: [...groupIds] });
    for (const r of rows) out.get(r.group_id)!.push(r);
    return out;
  }

  /** These orders' seats with their groups, read in one statement (one snapshot: a group's turn commits its members and the group together). */
  async seatsWithGroups(orderIds: readonly string[]): Promise<(Pick<MemberRow, 'order_id' | 'group_id' | 'status' | 'refunded_at' | 'paid_at' | 'joined_at'> & { group_status: GroupRow['status']; ended_at: Date | null })[]> {
    if (orderIds.length === 0) return [];
    return this.db.query(
      `SELECT m.order_id, m.group_id, m.status, m.refunded_at, m.paid_at, m.joined_at, g.status AS group_status, g.ended_at
         FROM group_buy_members m JOIN group_buys g ON g.id = m.group_id
        WHERE m.order_id IN (:orderIds) ORDER BY m.order_id`,
      { orderIds: [...orderIds] },
    );
  }

  async member(orderId: string, t?: Transaction): Promise<MemberRow | undefined> {
    const [row] = await this.db.query<MemberRow>('SELECT * FROM group_buy_members WHERE order_id = :orderId', { orderId }, t);
    return row;
  }

  async insertMember(m: { orderId: string; groupId: string; campaignId: string; userId: string; quantity: number; leader: boolean; holdUntil: Date }, t: Transaction): Promise<void> {
    await this.db.query(
      `INSERT INTO group_buy_members (order_id, group_id, campaign_id, user_id, quantity, leader, hold_until)
       VALUES (:orderId, :groupId, :campaignId, :userId, :quantity, :leader, :holdUntil)`,
      { ...m, holdUntil: m.holdUntil.toISOString() },
      t,
    );
  }

  async setMember(orderId: string, status: MemberRow['status'], t: Transaction): Promise<void> {
    await this.db.query(
      `UPDATE group_buy_members SET status = :status, paid_at = CASE WHEN :status = 'paid' THEN now() ELSE paid_at END,
         refunded_at = CASE WHEN :status = 'refunded' THEN now() ELSE refunded_at END WHERE order_id = :orderId`,
      { orderId, status },
      t,
    );
  }

  /** Every seat of a group from one status to another (a failed group's members). */
  async setMembers(groupId: string, from: MemberRow['status'], to: MemberRow['status'], t: Transaction): Promise<string[]> {
    const rows = await this.db.query<{ order_id: string }>(
      `UPDATE group_buy_members SET status = :to, refunded_at = CASE WHEN :to = 'refunded' THEN now() ELSE refunded_at END
        WHERE group_id = :groupId AND status = :from RETURNING order_id`,
      { groupId, from, to },
      t,
    );
    return rows.map((r) => r.order_id);
  }

  /**
   * Units the user has in the campaign that count against its limit: paid seats of groups not failed
   * and held seats within their time. Taken under a lock per user and campaign, so two seats taken at
   * once in two groups (two actors) still see each other.
   */
  async unitsOfUser(campaignId: string, userId: string, t: Transaction): Promise<number> {
    await this.db.query('SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))', { key: `group-buy:${campaignId}:${userId}` }, t);
    const [row] = await this.db.query<{ units: string | null }>(
      `SELECT sum(quantity) AS units FROM group_buy_members
        WHERE campaign_id = :campaignId AND user_id = :userId AND (status = 'paid' OR (status = 'held' AND hold_until > now()))`,
      { campaignId, userId },
      t,
    );
    return Number(row?.units ?? 0);
  }

  /** Open groups of campaigns that a shopper can still join (their opener paid), soonest to end first. */
  async joinableGroups(campaignIds: readonly string[], perCampaign: number): Promise<GroupRow[]> {
    if (campaignIds.length === 0) return [];
    return this.db.query<GroupRow>(
      `SELECT g.* FROM unnest(ARRAY[:ids]::uuid[]) AS c(id),
         LATERAL (SELECT g.* FROM group_buys g
                   WHERE g.campaign_id = c.id AND g.status = 'open' AND g.expires_at > now()
                     AND EXISTS (SELECT 1 FROM group_buy_members m WHERE m.group_id = g.id AND m.status = 'paid')
                     AND (SELECT count(*) FROM group_buy_members m
                           WHERE m.group_id = g.id AND (m.status = 'paid' OR (m.status = 'held' AND m.hold_until > now()))) < g.size
                   ORDER BY g.expires_at LIMIT :perCampaign) g`,
      { ids: [...campaignIds], perCampaign },
    );
  }

  /** Open groups past their end (the sweep's backstop for a reminder that did not fire). */
  async dueGroups(graceSeconds: number, limit: number): Promise<string[]> {
    const rows = await this.db.query<{ id: string }>(
      `SELECT id FROM group_buys WHERE status = 'open' AND expires_at < now() - make_interval(secs => :graceSeconds) ORDER BY expires_at LIMIT :limit`,
      { graceSeconds, limit },
    );
    return rows.map((r) => r.id);
  }

  /** The user's seats (released ones left out: a checkout that never paid), newest first. */
  async seatsOfUser(userId: string, limit: number): Promise<MemberRow[]> {
    return this.db.query<MemberRow>(
      `SELECT * FROM group_buy_members WHERE user_id = :userId AND status <> 'released' ORDER BY joined_at DESC LIMIT :limit`,
      { userId, limit },
    );
  }

  async groups(ids: readonly string[]): Promise<Map<string, GroupRow>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db.query<GroupRow>('SELECT * FROM group_buys WHERE id IN (:ids)', { ids: [...ids] });
    return new Map(rows.map((r) => [r.id, r]));
  }
}
