import type { BilingualText, Coupon, CouponDiscount, CouponDistribution, CouponScope, CouponTemplate, CouponValidity, CreateCouponTemplateRequest } from '@emporium/contracts';
import { moneyOf, type Database, type Transaction } from '@emporium/kit';

interface TemplateRow {
  id: string;
  shop_id: string | null;
  name: BilingualText;
  currency: string | null;
  discount: CouponDiscount;
  min_spend: string | null;
  scope: CouponScope;
  validity: CouponValidity;
  claim_starts_at: Date;
  claim_ends_at: Date;
  total: number;
  per_user_limit: number;
  return_on_refund: boolean;
  distribution: CouponDistribution;
  min_level: number | null;
  claimed: number;
  used: number;
  status: CouponTemplate['status'];
  created_at: Date;
}

interface CouponRow {
  id: string;
  template_id: string;
  order_id: string | null;
  valid_from: Date;
  valid_until: Date;
  claimed_at: Date;
  used_at: Date | null;
  note: string | null;
}

function phaseAt(r: TemplateRow, now: Date): CouponTemplate['phase'] {
  if (now < r.claim_starts_at) return 'upcoming';
  return now < r.claim_ends_at ? 'open' : 'closed';
}

function toTemplate(r: TemplateRow, now = new Date()): CouponTemplate {
  return {
    id: r.id,
    shopId: r.shop_id,
    fundedBy: r.shop_id ? 'shop' : 'platform',
    name: r.name,
    discount: r.discount,
    minSpend: r.min_spend === null ? null : moneyOf(r.min_spend, r.currency!),
    scope: r.scope,
    validity: r.validity,
    claimStartsAt: r.claim_starts_at.toISOString(),
    claimEndsAt: r.claim_ends_at.toISOString(),
    total: r.total,
    perUserLimit: r.per_user_limit,
    returnOnRefund: r.return_on_refund,
    distribution: r.distribution,
    minLevel: r.min_level,
    status: r.status,
    phase: phaseAt(r, now),
    claimed: r.claimed,
    remaining: r.total - r.claimed,
    used: r.used,
    createdAt: r.created_at.toISOString(),
  };
}

type CouponTerms = Pick<TemplateRow, 'id' | 'shop_id' | 'name' | 'currency' | 'discount' | 'min_spend' | 'scope'>;

function toCoupon(c: CouponRow, t: CouponTerms, now = new Date()): Coupon {
  return {
    id: c.id,
    templateId: t.id,
    shopId: t.shop_id,
    name: t.name,
    discount: t.discount,
    minSpend: t.min_spend === null ? null : moneyOf(t.min_spend, t.currency!),
    scope: t.scope,
    validFrom: c.valid_from.toISOString(),
    validUntil: c.valid_until.toISOString(),
    state: c.used_at ? 'used' : c.order_id ? 'reserved' : now >= c.valid_until ? 'expired' : 'usable',
    claimedAt: c.claimed_at.toISOString(),
    usedAt: c.used_at?.toISOString() ?? null,
    note: c.note,
  };
}

/** The currency a template's amounts are in (the contract makes them share one); null when it names no amount. */
function currencyOf(input: CreateCouponTemplateRequest): string | null {
  if (input.minSpend) return input.minSpend.currency;
  if (input.discount.kind === 'fixed') return input.discount.amount.currency;
  return input.discount.maxOff?.currency ?? null;
}

export type ClaimRefusal = 'not-found' | 'not-open' | 'none-left' | 'limit-reached' | 'other-distribution';

export class CouponRepository {
  constructor(private readonly db: Database) {}

  async insertTemplate(id: string, shopId: string | null, input: CreateCouponTemplateRequest, createdBy: string): Promise<CouponTemplate> {
    const [row] = await this.db.query<TemplateRow>(
      `INSERT INTO coupon_templates (id, shop_id, name, currency, discount, min_spend, scope, validity, claim_starts_at, claim_ends_at, total, per_user_limit, return_on_refund, distribution, min_level, created_by)
       VALUES (:id, :shopId, :name, :currency, :discount, :minSpend, :scope, :validity, :claimStartsAt, :claimEndsAt, :total, :perUserLimit, :returnOnRefund, :distribution, :minLevel, :createdBy)
       ON CONFLICT (id) DO UPDATE SET id = EXCLUDED.id
       RETURNING *`,
      {
        id,
        shopId,
        name: JSON.stringify(input.name),
        currency: currencyOf(input),
        discount: JSON.stringify(input.discount),
        minSpend: input.minSpend?.amount ?? null,
        // a set of ids, each once
        scope: JSON.stringify(dedupedScope(input.scope)),
        validity: JSON.stringify(input.validity),
        claimStartsAt: new Date(input.claimStartsAt).toISOString(),
        claimEndsAt: new Date(input.claimEndsAt).toISOString(),
        total: input.total,
        perUserLimit: input.perUserLimit,
        returnOnRefund: input.returnOnRefund,
        distribution: input.distribution,
        minLevel: input.minLevel ?? null,
        createdBy,
      },
    );
    return toTemplate(row!);
  }

  async template(id: string, t?: Transaction): Promise<CouponTemplate | undefined> {
    const [row] = await this.db.query<TemplateRow>('SELECT * FROM coupon_templates WHERE id = :id', { id }, t);
    return row && toTemplate(row);
  }

  /** A shop's templates (null: the platform's), newest first. */
  async templatesOf(shopId: string | null, limit = 200): Promise<CouponTemplate[]> {
    const rows = await this.db.query<TemplateRow>(
      `SELECT * FROM coupon_templates WHERE ${shopId ? 'shop_id = :shopId' : 'shop_id IS NULL'} ORDER BY created_at DESC, id LIMIT :limit`,
      { shopId, limit },
    );
    return rows.map((r) => toTemplate(r));
  }

  /**
   * Templates a shopper can claim from now, soonest closing first. With a product: the platform's
   * and its shop's templates whose scope reaches it (a shop's coupon applies to its own lines only).
   */
  async claimable(filter: { shopId?: string | undefined; productId?: string | undefined; categoryPath?: string[] | undefined }, limit = 100): Promise<CouponTemplate[]> {
    const where = ["status = 'active'", "distribution = 'claim'", 'claim_starts_at <= now()', 'claim_ends_at > now()', 'claimed < total'];
    if (filter.productId) {
      where.push('(shop_id IS NULL OR shop_id = :shopId)');
      const byCategory = filter.categoryPath?.length ? " OR (scope->>'kind' = 'categories' AND scope->'categoryIds' ?| ARRAY[:categoryPath])" : '';
      where.push(`(scope->>'kind' = 'all' OR (scope->>'kind' = 'products' AND scope->'productIds' ? :productId)${byCategory})`);
    } else if (filter.shopId) {
      where.push('shop_id = :shopId');
    }
    const rows = await this.db.query<TemplateRow>(`SELECT * FROM coupon_templates WHERE ${where.join(' AND ')} ORDER BY claim_ends_at, id LIMIT :limit`, { ...filter, limit });
    return rows.map((r) => toTemplate(r));
  }

  async setStatus(id: string, status: CouponTemplate['status']): Promise<CouponTemplate | undefined> {
    const [row] = await this.db.query<TemplateRow>('UPDATE coupon_templates SET status = :status WHERE id = :id RETURNING *', { id, status });
    return row && toTemplate(row);
  }

  /** The platform's templates that give a coupon to every user who registers now (active, in their window, with some left). */
  async welcomeTemplates(t?: Transaction): Promise<string[]> {
    const rows = await this.db.query<{ id: string }>(
      `SELECT id FROM coupon_templates WHERE distribution = 'new-user' AND shop_id IS NULL AND status = 'active' AND claim_starts_at <= now() AND claim_ends_at > now() AND claimed < total ORDER BY id`,
      {},
      t,
    );
    return rows.map((r) => r.id);
  }

  /** The platform's templates that give a coupon to a member reaching a level above `from` and up to `to` (active, in their window, with some left). */
  async levelTemplates(from: number, to: number, t?: Transaction): Promise<string[]> {
    const rows = await this.db.query<{ id: string }>(
      `SELECT id FROM coupon_templates WHERE distribution = 'level' AND shop_id IS NULL AND status = 'active' AND min_level > :from AND min_level <= :to
          AND claim_starts_at <= now() AND claim_ends_at > now() AND claimed < total ORDER BY min_level, id`,
      { from, to },
      t,
    );
    return rows.map((r) => r.id);
  }

  /**
   * Gives one coupon of the template to the user. The template's row is locked first, so concurrent
   * claims queue on it: what is left and the user's count are read under the lock, and nothing is
   * written unless both allow it (a CHECK, claimed <= total, backs the first). A coupon given
   * already (same id: a retried request, a redelivered event) is returned as it is. `via`: the
   * template's way of giving (a claim, a welcome, an issue by hand); `issued`: who issued it by
   * hand, and why. In `t` when given (an event handler's transaction: no second connection is
   * taken, so handlers never wait on each other for the pool), else in a transaction of its own.
   */
  async claim(
    templateId: string,
    couponId: string,
    userId: string,
    via: CouponDistribution = 'claim',
    issued: { by: string | null; note: string } | null = null,
    t?: Transaction,
  ): Promise<{ coupon: Coupon } | { refused: ClaimRefusal }> {
    const take = async (tx: Transaction): Promise<{ coupon: Coupon } | { refused: ClaimRefusal }> => {
      // the template first: a retry of the same claim waits here for the first to commit, then finds its coupon
      const [row] = await this.db.query<TemplateRow>('SELECT * FROM coupon_templates WHERE id = :templateId FOR UPDATE', { templateId }, tx);
      const [done] = await this.db.query<CouponRow>('SELECT * FROM coupons WHERE id = :couponId AND user_id = :userId AND template_id = :templateId', { couponId, userId, templateId }, tx);
      if (done && row) return { coupon: toCoupon(done, row) };
      if (!row) return { refused: 'not-found' };
      if (row.distribution !== via) return { refused: 'other-distribution' };
      if (row.status !== 'active' || phaseAt(row, new Date()) !== 'open') return { refused: 'not-open' };
      if (row.claimed >= row.total) return { refused: 'none-left' };
      const [held] = await this.db.query<{ n: number }>('SELECT count(*)::int AS n FROM coupons WHERE template_id = :templateId AND user_id = :userId', { templateId, userId }, tx);
      if ((held?.n ?? 0) >= row.per_user_limit) return { refused: 'limit-reached' };
      await this.db.query('UPDATE coupon_templates SET claimed = claimed + 1 WHERE id = :templateId', { templateId }, tx);
      const validity = row.validity;
      const [coupon] = await this.db.query<CouponRow>(
        validity.kind === 'fixed'
          ? 'INSERT INTO coupons (id, template_id, user_id, valid_from, valid_until, issued_by, note) VALUES (:couponId, :templateId, :userId, :from, :until, :issuedBy, :note) RETURNING *'
          : 'INSERT INTO coupons (id, template_id, user_id, valid_from, valid_until, issued_by, note) VALUES (:couponId, :templateId, :userId, now(), now() + make_interval(days => :days), :issuedBy, :note) RETURNING *',
        {
          couponId,
          templateId,
          userId,
          issuedBy: issued?.by ?? null,
          note: issued?.note ?? null,
          ...(validity.kind === 'fixed' ? { from: validity.startsAt, until: validity.endsAt } : { days: validity.days }),
        },
        tx,
      );
      return { coupon: toCoupon(coupon!, row) };
    };
    return t ? take(t) : this.db.transaction(take);
  }

  /** Coupons with their template's terms, read by `where` and `tail` (ORDER BY, LIMIT) over `coupons c JOIN coupon_templates t`. */
  private async withTerms(where: string, tail: string, params: Readonly<Record<string, unknown>>, t?: Transaction): Promise<{ coupon: Coupon; orderId: string | null }[]> {
    const rows = await this.db.query<CouponRow & Omit<CouponTerms, 'id'>>(
      `SELECT c.*, t.shop_id, t.name, t.currency, t.discount, t.min_spend, t.scope FROM coupons c JOIN coupon_templates t ON t.id = c.template_id
       WHERE ${where} ${tail}`,
      params,
      t,
    );
    const now = new Date();
    return rows.map((r) => ({ coupon: toCoupon(r, { ...r, id: r.template_id }, now), orderId: r.order_id }));
  }

  /** The coupons an order holds or used, with the order they belong to. */
  async couponsOfOrder(orderId: string, t?: Transaction): Promise<(Coupon & { orderId: string | null })[]> {
    return (await this.withTerms('c.order_id = :orderId', 'ORDER BY c.id', { orderId }, t)).map((r) => ({ ...r.coupon, orderId: r.orderId }));
  }

  /**
   * Holds the buyer's coupons for an order, all or none. The conditional UPDATE locks each row:
   * of two orders that want one coupon, the second finds it held once the first commits and gets
   * nothing. Coupons this order holds already count as held (a retried step).
   */
  async reserve(orderId: string, buyerUserId: string, couponIds: string[]): Promise<{ held: true } | { missing: string[] }> {
    try {
      await this.db.transaction(async (t) => {
        const rows = await this.db.query<{ id: string }>(
          `UPDATE coupons SET order_id = :orderId, reserved_at = COALESCE(reserved_at, now())
           WHERE id IN (:couponIds) AND user_id = :buyerUserId
             AND (order_id = :orderId OR (order_id IS NULL AND used_at IS NULL AND valid_from <= now() AND valid_until > now()))
           RETURNING id`,
          { orderId, buyerUserId, couponIds },
          t,
        );
        const got = new Set(rows.map((r) => r.id));
        const missing = couponIds.filter((id) => !got.has(id));
        if (missing.length) throw new NotAllHeld(missing);
      });
      return { held: true };
    } catch (err) {
      if (err instanceof NotAllHeld) return { missing: err.missing };
      throw err;
    }
  }

  /** The order is paid: its coupons are used, and their templates count them (once, however often this runs). */
  async redeem(orderId: string): Promise<{ redeemed: boolean }> {
    return this.db.transaction(async (t) => {
      const used = await this.db.query<{ template_id: string }>('UPDATE coupons SET used_at = now() WHERE order_id = :orderId AND used_at IS NULL RETURNING template_id', { orderId }, t);
      const perTemplate = new Map<string, number>();
      for (const u of used) perTemplate.set(u.template_id, (perTemplate.get(u.template_id) ?? 0) + 1);
      // in id order, so two redeems that touch the same templates lock them in the same order
      for (const templateId of [...perTemplate.keys()].sort()) await this.db.query('UPDATE coupon_templates SET used = used + :n WHERE id = :templateId', { templateId, n: perTemplate.get(templateId) }, t);
      if (used.length) return { redeemed: true };
      // nothing newly used: fine when they were used already (a repeat), not when the order holds none (released, or never held)
      const [held] = await this.db.query<{ n: number }>('SELECT count(*)::int AS n FROM coupons WHERE order_id = :orderId', { orderId }, t);
      return { redeemed: (held?.n ?? 0) > 0 };
    });
  }

  /** The order ended unpaid: the coupons it held are free again (their ids returned); used ones stay with it. */
  async release(orderId: string): Promise<string[]> {
    const rows = await this.db.query<{ id: string }>('UPDATE coupons SET order_id = NULL, reserved_at = NULL WHERE order_id = :orderId AND used_at IS NULL RETURNING id', { orderId });
    return rows.map((r) => r.id);
  }

  /**
   * Every sub-order these coupons of a paid order took money off was refunded in full: those whose
   * template returns them are usable again (while valid) and no longer count as used. Once per coupon
   * and order, however often the event arrives. Returns the ids given back.
   */
  async returnRefunded(orderId: string, couponIds: readonly string[], t: Transaction): Promise<string[]> {
    if (couponIds.length === 0) return [];
    const back = await this.db.query<{ id: string; template_id: string }>(
      `UPDATE coupons c SET order_id = NULL, reserved_at = NULL, used_at = NULL, returned_at = now()
         FROM coupon_templates tp
        WHERE tp.id = c.template_id AND tp.return_on_refund AND c.id IN (:couponIds) AND c.order_id = :orderId AND c.used_at IS NOT NULL
        RETURNING c.id, c.template_id`,
      { orderId, couponIds },
      t,
    );
    const perTemplate = new Map<string, number>();
    for (const b of back) perTemplate.set(b.template_id, (perTemplate.get(b.template_id) ?? 0) + 1);
    for (const templateId of [...perTemplate.keys()].sort()) await this.db.query('UPDATE coupon_templates SET used = used - :n WHERE id = :templateId', { templateId, n: perTemplate.get(templateId) }, t);
    return back.map((b) => b.id);
  }

  /** The user's coupons of these ids, in any state (those of other users are left out). */
  async couponsByIds(userId: string, ids: readonly string[]): Promise<Coupon[]> {
    if (ids.length === 0) return [];
    return (await this.withTerms('c.user_id = :userId AND c.id IN (:ids)', '', { userId, ids })).map((r) => r.coupon);
  }

  /** The user's coupons, usable ones expiring soonest first, then the rest newest first. */
  async couponsOf(userId: string, state?: Coupon['state'], limit = 200): Promise<Coupon[]> {
    const usable = 'c.used_at IS NULL AND c.order_id IS NULL AND c.valid_until > now()';
    const where = ['c.user_id = :userId'];
    if (state === 'usable') where.push(usable);
    else if (state === 'reserved') where.push('c.used_at IS NULL AND c.order_id IS NOT NULL');
    else if (state === 'used') where.push('c.used_at IS NOT NULL');
    else if (state === 'expired') where.push('c.used_at IS NULL AND c.order_id IS NULL AND c.valid_until <= now()');
    const tail = `ORDER BY (${usable}) DESC, CASE WHEN ${usable} THEN c.valid_until END, c.claimed_at DESC, c.id LIMIT :limit`;
    return (await this.withTerms(where.join(' AND '), tail, { userId, limit })).map((r) => r.coupon);
  }
}

class NotAllHeld extends Error {
  constructor(readonly missing: string[]) {
    super('not all coupons could be held');
  }
}


function dedupedScope(scope: CouponScope): CouponScope {
  if (scope.kind === 'categories') return { kind: 'categories', categoryIds: [...new Set(scope.categoryIds)] };
  if (scope.kind === 'products') return { kind: 'products', productIds: [...new Set(scope.productIds)] };
  return scope;
}
