import type { BilingualText, MemberLevel, PointsActivity, PointsEntry, PointsEntryKind } from '@emporium/contracts';
import { moneyOf, type Database, type Transaction } from '@emporium/kit';
import type { OpenLot } from '../domain/lots';

interface MemberColumns {
  user_id: string;
  points: string;
  growth: string;
  level: number;
}

interface LevelColumns {
  level: number;
  name: BilingualText;
  min_growth: string;
  discount_bps: number;
  free_shipping_above: string | null;
  currency: string | null;
  birthday_coupon_template_id: string | null;
}

interface EntryColumns {
  id: string;
  user_id: string;
  kind: PointsEntryKind;
  points: number;
  balance_after: string;
  lot_id: string | null;
  order_id: string | null;
  sub_order_id: string | null;
  note: string | null;
  at: Date;
  expires_at: Date | null;
}

interface ActivityColumns {
  id: string;
  name: BilingualText;
  multiplier_percent: number;
  shop_id: string | null;
  starts_at: Date;
  ends_at: Date;
  created_at: Date;
}

function activityView(r: ActivityColumns, now = new Date()): PointsActivity {
  return {
    id: r.id,
    name: r.name,
    multiplierPercent: r.multiplier_percent,
    shopId: r.shop_id,
    startsAt: r.starts_at.toISOString(),
    endsAt: r.ends_at.toISOString(),
    status: now < r.starts_at ? 'upcoming' : now < r.ends_at ? 'running' : 'ended',
    createdAt: r.created_at.toISOString(),
  };
}

export interface PointsHoldRow {
  orderId: string;
  userId: string;
  points: number;
  spendEntryId: string;
  status: 'held' | 'released';
}

export interface Member {
  userId: string;
  points: number;
  growth: number;
  level: number;
}

/**
 * membership's tables (its own schema; no other service reads them): members,
 * point lots, and the append-only ledger of point entries.
 */
export class MembershipRepository {
  constructor(private readonly db: Database) {}

  /** The member's row, made on first use, locked for the change that follows. */
  async lockMember(userId: string, t: Transaction): Promise<Member> {
    await this.db.query('INSERT INTO members (user_id) VALUES (:userId) ON CONFLICT (user_id) DO NOTHING', { userId }, t);
    const [row] = await this.db.select<MemberColumns>('SELECT * FROM members WHERE user_id = :userId FOR UPDATE', { userId }, t);
    return { userId, points: Number(row!.points), growth: Number(row!.growth), level: row!.level };
  }

  async member(userId: string): Promise<Member> {
    const [row] = await this.db.select<MemberColumns>('SELECT * FROM members WHERE user_id = :userId', { userId });
    return { userId, points: Number(row?.points ?? 0), growth: Number(row?.growth ?? 0), level: row?.level ?? 0 };
  }

  async setLevel(userId: string, level: number, t: Transaction): Promise<void> {
    await this.db.query('UPDATE members SET level = :level, updated_at = now() WHERE user_id = :userId', { userId, level }, t);
  }

  /** The ladder, lowest level first. */
  async levels(t?: Transaction): Promise<MemberLevel[]> {
    const rows = await this.db.select<LevelColumns>('SELECT * FROM levels ORDER BY level', {}, t);
    return rows.map((r) => ({
      level: r.level,
      name: r.name,
      minGrowth: Number(r.minGrowth),
      discountBps: r.discountBps,
      freeShippingAbove: r.freeShippingAbove === null || r.currency === null ? null : moneyOf(r.freeShippingAbove, r.currency.trim()),
      birthdayCouponTemplateId: r.birthdayCouponTemplateId,
    }));
  }

  /** Replaces the ladder; every member's level follows their growth. Answers the members whose level changed. */
  async replaceLevels(levels: readonly MemberLevel[], t: Transaction): Promise<{ userId: string; from: number; to: number }[]> {
    await this.db.query('LOCK TABLE levels IN EXCLUSIVE MODE', {}, t);
    await this.db.query('DELETE FROM levels', {}, t);
    for (const l of levels) {
      await this.db.query(
        `INSERT INTO levels (level, name, min_growth, discount_bps, free_shipping_above, currency, birthday_coupon_template_id)
         VALUES (:level, :name, :minGrowth, :discountBps, :freeShippingAbove, :currency, :birthday)`,
        { level: l.level, name: JSON.stringify(l.name), minGrowth: l.minGrowth, discountBps: l.discountBps, freeShippingAbove: l.freeShippingAbove?.amount ?? null, currency: l.freeShippingAbove?.currency ?? null, birthday: l.birthdayCouponTemplateId },
        t,
      );
    }
    const rows = await this.db.select<{ user_id: string; from_level: number; to_level: number }>(
      `WITH next AS (
         SELECT m.user_id, m.level AS from_level, (SELECT max(l.level) FROM levels l WHERE l.min_growth <= m.growth) AS to_level FROM members m
       )
       UPDATE members m SET level = next.to_level, updated_at = now() FROM next
        WHERE m.user_id = next.user_id AND next.to_level IS DISTINCT FROM next.from_level
       RETURNING m.user_id, next.from_level, next.to_level`,
      {},
      t,
    );
    return rows.map((r) => ({ userId: r.userId, from: r.fromLevel, to: r.toLevel }));
  }

  async setMember(userId: string, points: number, growth: number, t: Transaction): Promise<void> {
    await this.db.query('UPDATE members SET points = :points, growth = :growth, updated_at = now() WHERE user_id = :userId', { userId, points, growth }, t);
  }

  /** What the member's lots not yet expired hold: the points they can use now. */
  async usablePoints(userId: string): Promise<number> {
    const [row] = await this.db.select<{ points: string | null }>('SELECT sum(points_left) AS points FROM point_lots WHERE user_id = :userId AND points_left > 0 AND expires_at > now()', { userId });
    return Number(row?.points ?? 0);
  }

  async hold(orderId: string, t: Transaction, lock = false): Promise<PointsHoldRow | undefined> {
    const [row] = await this.db.select<{ order_id: string; user_id: string; points: number; spend_entry_id: string; status: 'held' | 'released' }>(
      `SELECT order_id, user_id, points, spend_entry_id, status FROM point_holds WHERE order_id = :orderId${lock ? ' FOR UPDATE' : ''}`,
      { orderId },
      t,
    );
    return row && { orderId: row.orderId, userId: row.userId, points: row.points, spendEntryId: row.spendEntryId, status: row.status };
  }

  async insertHold(h: { orderId: string; userId: string; points: number; spendEntryId: string; parts: readonly { subOrderId: string; points: number; total: number }[] }, t: Transaction): Promise<void> {
    await this.db.query(`INSERT INTO point_holds (order_id, user_id, points, spend_entry_id, status) VALUES (:orderId, :userId, :points, :spendEntryId, 'held')`, h, t);
    for (const p of h.parts) await this.db.query('INSERT INTO point_hold_parts (sub_order_id, order_id, points, total) VALUES (:subOrderId, :orderId, :points, :total)', { orderId: h.orderId, ...p }, t);
  }

  async releaseHold(orderId: string, t: Transaction): Promise<void> {
    await this.db.query(`UPDATE point_holds SET status = 'released', released_at = now() WHERE order_id = :orderId`, { orderId }, t);
  }

  /** A sub-order's part of its order's held points, locked, with its hold's state. */
  async holdPart(subOrderId: string, t: Transaction): Promise<{ orderId: string; userId: string; status: 'held' | 'released'; points: number; total: number; refunded: number; returned: number } | undefined> {
    const [row] = await this.db.select<{ order_id: string; user_id: string; status: 'held' | 'released'; points: number; total: string; refunded: string; returned: number }>(
      `SELECT p.order_id, h.user_id, h.status, p.points, p.total, p.refunded, p.returned
         FROM point_hold_parts p JOIN point_holds h ON h.order_id = p.order_id WHERE p.sub_order_id = :subOrderId FOR UPDATE OF p`,
      { subOrderId },
      t,
    );
    return row && { orderId: row.orderId, userId: row.userId, status: row.status, points: row.points, total: Number(row.total), refunded: Number(row.refunded), returned: row.returned };
  }

  async setHoldPart(subOrderId: string, refunded: number, returned: number, t: Transaction): Promise<void> {
    await this.db.query('UPDATE point_hold_parts SET refunded = :refunded, returned = :returned WHERE sub_order_id = :subOrderId', { subOrderId, refunded, returned }, t);
  }

  /** Counts a refund once: false when it was counted already. */
  async insertHoldRefund(r: { refundId: string; subOrderId: string; amount: number; points: number }, t: Transaction): Promise<boolean> {
    const rows = await this.db.query('INSERT INTO point_hold_refunds (refund_id, sub_order_id, amount, points) VALUES (:refundId, :subOrderId, :amount, :points) ON CONFLICT DO NOTHING RETURNING refund_id', r, t);
    return rows.length > 0;
  }

  /**
   * The lots an order's spend took from, with what is not yet given back of each, locked; the lot
   * expiring last first (points given back in part go where they last longest).
   */
  async returnableLots(orderId: string, spendEntryId: string, t: Transaction): Promise<{ lotId: string; points: number; expiresAt: Date }[]> {
    const rows = await this.db.select<{ lot_id: string; points: number; expires_at: Date }>(
      `WITH back AS (
         SELECT el.lot_id, sum(el.points) AS points FROM point_entry_lots el JOIN point_entries e ON e.id = el.entry_id
          WHERE e.order_id = :orderId AND e.kind = 'return' GROUP BY el.lot_id
       )
       SELECT s.lot_id, (s.points - coalesce(back.points, 0))::int AS points, l.expires_at
         FROM point_entry_lots s JOIN point_lots l ON l.id = s.lot_id LEFT JOIN back ON back.lot_id = s.lot_id
        WHERE s.entry_id = :spendEntryId AND s.points > coalesce(back.points, 0)
        ORDER BY l.expires_at DESC, l.id
        FOR UPDATE OF l`,
      { orderId, spendEntryId },
      t,
    );
    return rows.map((r) => ({ lotId: r.lotId, points: r.points, expiresAt: r.expiresAt }));
  }

  async addToLot(lotId: string, points: number, t: Transaction): Promise<void> {
    await this.db.query('UPDATE point_lots SET points_left = points_left + :points WHERE id = :lotId', { lotId, points }, t);
  }

  async insertActivity(a: { id: string; name: BilingualText; multiplierPercent: number; shopId: string | null; startsAt: string; endsAt: string; createdBy: string }): Promise<PointsActivity> {
    const [row] = await this.db.query<ActivityColumns>(
      `INSERT INTO points_activities (id, name, multiplier_percent, shop_id, starts_at, ends_at, created_by)
       VALUES (:id, :name, :multiplierPercent, :shopId, :startsAt, :endsAt, :createdBy)
       ON CONFLICT (id) DO UPDATE SET id = EXCLUDED.id RETURNING *`,
      { ...a, name: JSON.stringify(a.name) },
    );
    return activityView(row!);
  }

  async activities(): Promise<PointsActivity[]> {
    const rows = await this.db.query<ActivityColumns>(`SELECT * FROM points_activities ORDER BY (ends_at <= now()), starts_at DESC, id LIMIT 200`, {});
    return rows.map((r) => activityView(r));
  }

  /** Ends an activity now (if it had not ended); undefined when there is no such activity. */
  async endActivity(id: string): Promise<PointsActivity | undefined> {
    const [row] = await this.db.query<ActivityColumns>(
      'UPDATE points_activities SET ends_at = GREATEST(starts_at + interval \'1 millisecond\', LEAST(ends_at, now())) WHERE id = :id RETURNING *',
      { id },
    );
    return row && activityView(row);
  }

  /** Fixes each sub-order's rate: the best activity running now for its shop (or every shop); sub-orders with none get no row. */
  async fixEarnRates(subOrders: readonly { subOrderId: string; shopId: string }[], t: Transaction): Promise<void> {
    for (const s of subOrders) {
      await this.db.query(
        `INSERT INTO earn_rates (sub_order_id, activity_id, multiplier_percent)
         SELECT :subOrderId, id, multiplier_percent FROM points_activities
          WHERE starts_at <= now() AND ends_at > now() AND (shop_id IS NULL OR shop_id = :shopId)
          ORDER BY multiplier_percent DESC, id LIMIT 1
         ON CONFLICT (sub_order_id) DO NOTHING`,
        s,
        t,
      );
    }
  }

  /** The rate a sub-order earns at, and the activity that gave it (none: 100 %). */
  async earnRate(subOrderId: string, t: Transaction): Promise<{ multiplierPercent: number; name: BilingualText } | undefined> {
    const [row] = await this.db.query<{ multiplier_percent: number; name: BilingualText }>(
      'SELECT r.multiplier_percent, a.name FROM earn_rates r JOIN points_activities a ON a.id = r.activity_id WHERE r.sub_order_id = :subOrderId',
      { subOrderId },
      t,
    );
    return row && { multiplierPercent: row.multiplier_percent, name: row.name };
  }

  async setBirthday(userId: string, birthday: string, t: Transaction): Promise<void> {
    await this.db.query('UPDATE members SET birthday = :birthday::date, birthday_md = :md, updated_at = now() WHERE user_id = :userId', { userId, birthday, md: birthday.slice(5, 10) }, t);
  }

  /** Members whose birthday (MM-DD) is one of `days`, whose level carries a birthday coupon, and who had none in `year`. */
  async birthdaysDue(days: readonly string[], year: number, limit: number): Promise<{ userId: string; level: number; templateId: string }[]> {
    const rows = await this.db.select<{ user_id: string; level: number; template_id: string }>(
      `SELECT m.user_id, m.level, l.birthday_coupon_template_id AS template_id
         FROM members m JOIN levels l ON l.level = m.level
        WHERE m.birthday_md IN (:days) AND l.birthday_coupon_template_id IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM birthday_gifts g WHERE g.user_id = m.user_id AND g.year = :year)
        ORDER BY m.user_id LIMIT :limit`,
      { days, year, limit },
    );
    return rows.map((r) => ({ userId: r.userId, level: r.level, templateId: r.templateId }));
  }

  async insertBirthdayGift(g: { userId: string; year: number; level: number; templateId: string; couponId: string | null; refused: string | null }): Promise<void> {
    await this.db.query(
      'INSERT INTO birthday_gifts (user_id, year, level, template_id, coupon_id, refused) VALUES (:userId, :year, :level, :templateId, :couponId, :refused) ON CONFLICT DO NOTHING',
      g,
    );
  }

  /** A new lot; false when the lot of this source and ref exists already (the same sub-order again). */
  async insertLot(l: { id: string; userId: string; source: 'order' | 'adjust' | 'return'; ref: string; points: number; expiresAt: Date }, t: Transaction): Promise<boolean> {
    const rows = await this.db.query(
      `INSERT INTO point_lots (id, user_id, source, ref, points, points_left, expires_at)
       VALUES (:id, :userId, :source, :ref, :points, :points, :expiresAt) ON CONFLICT DO NOTHING RETURNING id`,
      { ...l, expiresAt: l.expiresAt.toISOString() },
      t,
    );
    return rows.length > 0;
  }

  /** The member's lots with points left that have not expired, locked. */
  async openLots(userId: string, t: Transaction): Promise<OpenLot[]> {
    const rows = await this.db.select<{ id: string; points_left: number; expires_at: Date; earned_at: Date }>(
      'SELECT id, points_left, expires_at, earned_at FROM point_lots WHERE user_id = :userId AND points_left > 0 AND expires_at > now() ORDER BY expires_at, earned_at, id FOR UPDATE',
      { userId },
      t,
    );
    return rows.map((r) => ({ id: r.id, pointsLeft: r.pointsLeft, expiresAt: r.expiresAt, earnedAt: r.earnedAt }));
  }

  /** What a completed sub-order earned, kept for taking back its share on a later refund. */
  async insertEarning(e: { subOrderId: string; userId: string; orderId: string; points: number; growth: number; kept: number }, t: Transaction): Promise<void> {
    await this.db.run('INSERT INTO sub_order_earnings (sub_order_id, user_id, order_id, points, growth, kept) VALUES (:subOrderId, :userId, :orderId, :points, :growth, :kept) ON CONFLICT DO NOTHING', e, t);
  }

  async earning(subOrderId: string, t: Transaction): Promise<{ subOrderId: string; userId: string; orderId: string; points: number; growth: number; kept: number; refunded: number; revokedPoints: number; revokedGrowth: number } | undefined> {
    const [row] = await this.db.select<{ sub_order_id: string; user_id: string; order_id: string; points: number; growth: number; kept: string; refunded: string; revoked_points: number; revoked_growth: number }>(
      'SELECT * FROM sub_order_earnings WHERE sub_order_id = :subOrderId FOR UPDATE',
      { subOrderId },
      t,
    );
    return row ? { ...row, kept: Number(row.kept), refunded: Number(row.refunded) } : undefined;
  }

  /** Once per refund: false when this refund took its share already. */
  async insertEarningRefund(r: { refundId: string; subOrderId: string; amount: number; points: number; growth: number }, t: Transaction): Promise<boolean> {
    return (await this.db.run('INSERT INTO earning_refunds (refund_id, sub_order_id, amount, points, growth) VALUES (:refundId, :subOrderId, :amount, :points, :growth) ON CONFLICT DO NOTHING', r, t)) > 0;
  }

  async setEarningRevoked(subOrderId: string, refunded: number, points: number, growth: number, t: Transaction): Promise<void> {
    await this.db.run('UPDATE sub_order_earnings SET refunded = :refunded, revoked_points = :points, revoked_growth = :growth WHERE sub_order_id = :subOrderId', { subOrderId, refunded, points, growth }, t);
  }

  async takeFromLot(lotId: string, points: number, t: Transaction): Promise<void> {
    await this.db.query('UPDATE point_lots SET points_left = points_left - :points WHERE id = :lotId', { lotId, points }, t);
  }

  async insertEntry(
    e: { userId: string; kind: PointsEntryKind; points: number; balanceAfter: number; lotId?: string | null; orderId?: string | null; subOrderId?: string | null; note?: string | null; createdBy?: string | null },
    t: Transaction,
  ): Promise<string> {
    const [row] = await this.db.query<{ id: string }>(
      `INSERT INTO point_entries (user_id, kind, points, balance_after, lot_id, order_id, sub_order_id, note, created_by)
       VALUES (:userId, :kind, :points, :balanceAfter, :lotId, :orderId, :subOrderId, :note, :createdBy) RETURNING id`,
      { lotId: null, orderId: null, subOrderId: null, note: null, createdBy: null, ...e },
      t,
    );
    return row!.id;
  }

  async insertEntryLots(entryId: string, taken: readonly { lotId: string; points: number }[], t: Transaction): Promise<void> {
    for (const x of taken) await this.db.query('INSERT INTO point_entry_lots (entry_id, lot_id, points) VALUES (:entryId, :lotId, :points)', { entryId, ...x }, t);
  }

  async entry(id: string, t?: Transaction): Promise<PointsEntry> {
    const [row] = await this.db.select<EntryColumns>(`SELECT e.*, l.expires_at FROM point_entries e LEFT JOIN point_lots l ON l.id = e.lot_id WHERE e.id = :id`, { id }, t);
    return entryView(row!);
  }

  /** A page of the member's entries, newest first, older than `before`. */
  async entries(userId: string, before: string | undefined, limit: number): Promise<PointsEntry[]> {
    const rows = await this.db.select<EntryColumns>(
      `SELECT e.*, l.expires_at FROM point_entries e LEFT JOIN point_lots l ON l.id = e.lot_id
        WHERE e.user_id = :userId ${before ? 'AND e.id < :before' : ''} ORDER BY e.id DESC LIMIT :limit`,
      { userId, before, limit },
    );
    return rows.map(entryView);
  }

  /** The points of the lots that expire next, and when. */
  async nextExpiry(userId: string): Promise<{ points: number; at: Date } | null> {
    const [row] = await this.db.select<{ at: Date | null; points: string | null }>(
      `SELECT min(expires_at) AS at, sum(points_left) FILTER (WHERE expires_at = (SELECT min(expires_at) FROM point_lots WHERE user_id = :userId AND points_left > 0 AND expires_at > now())) AS points
         FROM point_lots WHERE user_id = :userId AND points_left > 0 AND expires_at > now()`,
      { userId },
    );
    return row?.at && row.points ? { at: row.at, points: Number(row.points) } : null;
  }

  /** Members with lots past their expiry that still hold points. */
  async usersWithDueLots(limit: number): Promise<string[]> {
    const rows = await this.db.select<{ user_id: string }>('SELECT DISTINCT user_id FROM point_lots WHERE points_left > 0 AND expires_at <= now() LIMIT :limit', { limit });
    return rows.map((r) => r.userId);
  }

  /** The member's lots past their expiry with points left, locked, the oldest first. */
  async dueLots(userId: string, t: Transaction): Promise<{ id: string; pointsLeft: number }[]> {
    return this.db.select<{ id: string; points_left: number }>(
      'SELECT id, points_left FROM point_lots WHERE user_id = :userId AND points_left > 0 AND expires_at <= now() ORDER BY expires_at, earned_at, id FOR UPDATE',
      { userId },
      t,
    );
  }
}

function entryView(r: { id: string; kind: PointsEntryKind; points: number; balanceAfter: string; orderId: string | null; subOrderId: string | null; note: string | null; at: Date; expiresAt: Date | null }): PointsEntry {
  return {
    id: r.id,
    kind: r.kind,
    points: r.points,
    balanceAfter: Number(r.balanceAfter),
    orderId: r.orderId,
    subOrderId: r.subOrderId,
    expiresAt: r.expiresAt?.toISOString() ?? null,
    note: r.note,
    at: r.at.toISOString(),
  };
}
