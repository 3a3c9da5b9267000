import type { BilingualText } from '@emporium/contracts';
import type { Database, Transaction } from '@emporium/kit';

const json = (x: unknown) => JSON.stringify(x);

export interface ProductRecord {
  productId: string;
  shopId: string;
  categoryId: string;
  categoryPath: string[];
  name: BilingualText;
  image: string | null;
  minPrice: number | null;
  currency: string;
  published: boolean;
  version: Date;
}

export interface BuyerFigures {
  buyerUserId: string;
  lastPaidAt: Date;
  orders: number;
  paid: string;
  refunded: string;
  categories: string[] | null;
}

/**
 * analytics' tables (its own schema). Facts are written once (their keys say
 * so); each write that is new adds itself to the day's aggregates in the same
 * transaction. `tz` is the time zone whose calendar days the figures use,
 * `currency` the one currency they add up (facts in others are kept, not summed).
 */
export class AnalyticsRepository {
  constructor(
    private readonly db: Database,
    private readonly tz: string,
    private readonly currency: string,
  ) {}

  private day(at: string): string {
    return `(${at}::timestamptz AT TIME ZONE :tz)::date`;
  }

  async putProduct(p: ProductRecord, t: Transaction): Promise<void> {
    await this.db.run(
      `INSERT INTO products AS p (product_id, shop_id, category_id, category_path, name, image, min_price, currency, published, version)
         VALUES (:productId, :shopId, :categoryId, ARRAY(SELECT jsonb_array_elements_text(:categoryPath::jsonb))::uuid[], :name::jsonb, :image, :minPrice, :currency, :published, :version)
       ON CONFLICT (product_id) DO UPDATE SET shop_id = EXCLUDED.shop_id, category_id = EXCLUDED.category_id, category_path = EXCLUDED.category_path, name = EXCLUDED.name,
         image = EXCLUDED.image, min_price = EXCLUDED.min_price, currency = EXCLUDED.currency, published = EXCLUDED.published, version = EXCLUDED.version
       WHERE p.version <= EXCLUDED.version`,
      { ...p, categoryPath: json(p.categoryPath), name: json(p.name) },
      t,
    );
  }

  async putShop(s: { shopId: string; name?: BilingualText; approvedAt?: Date; suspended: boolean }, t: Transaction): Promise<boolean> {
    // true when this is the shop's first approval (a new shop of the day)
    const [before] = await this.db.query<{ approved_at: Date | null }>('SELECT approved_at FROM shops WHERE shop_id = :shopId FOR UPDATE', { shopId: s.shopId }, t);
    await this.db.run(
      `INSERT INTO shops AS s (shop_id, name, approved_at, suspended) VALUES (:shopId, :name::jsonb, :approvedAt, :suspended)
       ON CONFLICT (shop_id) DO UPDATE SET name = COALESCE(EXCLUDED.name, s.name), approved_at = COALESCE(s.approved_at, EXCLUDED.approved_at), suspended = EXCLUDED.suspended`,
      { shopId: s.shopId, name: s.name ? json(s.name) : null, approvedAt: s.approvedAt ?? null, suspended: s.suspended },
      t,
    );
    return Boolean(s.approvedAt) && !before?.approved_at;
  }

  async addNewShop(at: Date, t: Transaction): Promise<void> {
    await this.db.run(`INSERT INTO platform_days AS d (day, new_shops) VALUES (${this.day(':at')}, 1) ON CONFLICT (day) DO UPDATE SET new_shops = d.new_shops + 1`, { at, tz: this.tz }, t);
  }

  /** A paid sub-order and its lines; false when it was recorded before. */
  async addPaid(
    f: { subOrderId: string; orderId: string; shopId: string; buyerUserId: string; amount: number; currency: string; paidAt: Date; lines: { productId: string; skuId: string; quantity: number; amount: number }[] },
    t: Transaction,
  ): Promise<boolean> {
    const rows = await this.db.query(
      `INSERT INTO paid_facts (sub_order_id, order_id, shop_id, buyer_user_id, amount, currency, paid_at, day)
         VALUES (:subOrderId, :orderId, :shopId, :buyerUserId, :amount, :currency, :paidAt, ${this.day(':paidAt')})
       ON CONFLICT DO NOTHING RETURNING sub_order_id`,
      { ...f, tz: this.tz },
      t,
    );
    if (rows.length === 0) return false;
    for (const l of f.lines) {
      await this.db.run(
        `INSERT INTO line_facts (sub_order_id, order_id, product_id, sku_id, quantity, amount) VALUES (:subOrderId, :orderId, :productId, :skuId, :quantity, :amount)
         ON CONFLICT (sub_order_id, sku_id) DO UPDATE SET quantity = line_facts.quantity + EXCLUDED.quantity, amount = line_facts.amount + EXCLUDED.amount`,
        { ...l, subOrderId: f.subOrderId, orderId: f.orderId },
        t,
      );
    }
    if (f.currency !== this.currency) return true;
    const p = { shopId: f.shopId, at: f.paidAt, amount: f.amount, tz: this.tz };
    await this.db.run(`INSERT INTO shop_days AS d (shop_id, day, orders, sales) VALUES (:shopId, ${this.day(':at')}, 1, :amount) ON CONFLICT (shop_id, day) DO UPDATE SET orders = d.orders + 1, sales = d.sales + EXCLUDED.sales`, p, t);
    await this.db.run(`INSERT INTO platform_days AS d (day, orders, gmv) VALUES (${this.day(':at')}, 1, :amount) ON CONFLICT (day) DO UPDATE SET orders = d.orders + 1, gmv = d.gmv + EXCLUDED.gmv`, p, t);
    return true;
  }

  async addRefund(f: { refundId: string; subOrderId: string; shopId: string; amount: number; currency: string; at: Date }, t: Transaction): Promise<boolean> {
    const rows = await this.db.query(
      `INSERT INTO refund_facts (refund_id, sub_order_id, shop_id, amount, currency, at, day) VALUES (:refundId, :subOrderId, :shopId, :amount, :currency, :at, ${this.day(':at')})
       ON CONFLICT DO NOTHING RETURNING refund_id`,
      { ...f, tz: this.tz },
      t,
    );
    if (rows.length === 0 || f.currency !== this.currency) return rows.length > 0;
    const p = { shopId: f.shopId, at: f.at, amount: f.amount, tz: this.tz };
    await this.db.run(`INSERT INTO shop_days AS d (shop_id, day, refunds, refunded) VALUES (:shopId, ${this.day(':at')}, 1, :amount) ON CONFLICT (shop_id, day) DO UPDATE SET refunds = d.refunds + 1, refunded = d.refunded + EXCLUDED.refunded`, p, t);
    await this.db.run(`INSERT INTO platform_days AS d (day, refunds, refunded) VALUES (${this.day(':at')}, 1, :amount) ON CONFLICT (day) DO UPDATE SET refunds = d.refunds + 1, refunded = d.refunded + EXCLUDED.refunded`, p, t);
    return true;
  }

  async addCompletion(f: { subOrderId: string; shopId: string; at: Date }, t: Transaction): Promise<void> {
    await this.db.run(`INSERT INTO completion_facts (sub_order_id, shop_id, at, day) VALUES (:subOrderId, :shopId, :at, ${this.day(':at')}) ON CONFLICT DO NOTHING`, { ...f, tz: this.tz }, t);
  }

  /**
   * Interactions of known products, once per session, product and day; the
   * shop's day counts a session once however many of its products it saw.
   */
  async addInteractions(items: { kind: 'view' | 'cart'; productId: string; sessionId: string }[], at: Date): Promise<number> {
    return this.db.transaction(async (t) => {
      // one batch of a session at a time (in a fixed order, so two batches never wait on each
      // other): each reads whether the session saw another of the shop's products after its own
      // insert, and two batches side by side would each miss the other's and count the session twice
      for (const session of [...new Set(items.map((i) => i.sessionId))].sort()) {
        await this.db.query("SELECT pg_advisory_xact_lock(hashtext('analytics.session:' || :session))", { session }, t);
      }
      let added = 0;
      for (const i of items) {
        const [row] = await this.db.select<{ shop_id: string; day: string }>(
          `INSERT INTO interaction_facts (day, kind, product_id, session_id, shop_id, at)
             SELECT ${this.day(':at')}, :kind, p.product_id, :sessionId, p.shop_id, :at FROM products p WHERE p.product_id = :productId
           ON CONFLICT DO NOTHING RETURNING shop_id, day::text AS day`,
          { ...i, at, tz: this.tz },
          t,
        );
        if (!row) continue;
        added++;
        const [seen] = await this.db.query(
          'SELECT 1 FROM interaction_facts WHERE shop_id = :shopId AND day = :day::date AND kind = :kind AND session_id = :sessionId AND product_id <> :productId LIMIT 1',
          { shopId: row.shopId, day: row.day, kind: i.kind, sessionId: i.sessionId, productId: i.productId },
          t,
        );
        if (seen) continue;
        const column = i.kind === 'view' ? 'views' : 'carts';
        await this.db.run(
          `INSERT INTO shop_days AS d (shop_id, day, ${column}) VALUES (:shopId, :day::date, 1) ON CONFLICT (shop_id, day) DO UPDATE SET ${column} = d.${column} + 1`,
          { shopId: row.shopId, day: row.day },
          t,
        );
      }
      return added;
    });
  }

  /** Today in the platform's time zone, as YYYY-MM-DD. */
  async today(): Promise<string> {
    const [row] = await this.db.query<{ today: string }>('SELECT (now() AT TIME ZONE :tz)::date::text AS today', { tz: this.tz });
    return row!.today;
  }

  async shopDays(shopId: string, from: string, to: string) {
    return this.db.select<{ day: string; orders: number; sales: string; refunds: number; refunded: string; views: number; carts: number }>(
      'SELECT day::text AS day, orders, sales, refunds, refunded, views, carts FROM shop_days WHERE shop_id = :shopId AND day BETWEEN :from::date AND :to::date ORDER BY day',
      { shopId, from, to },
    );
  }

  async shopFunnel(shopId: string, from: string, to: string): Promise<{ views: number; carts: number; paid: number; buyers: number }> {
    const [i] = await this.db.query<{ views: string; carts: string }>(
      `SELECT count(DISTINCT session_id) FILTER (WHERE kind = 'view') AS views, count(DISTINCT session_id) FILTER (WHERE kind = 'cart') AS carts
         FROM interaction_facts WHERE shop_id = :shopId AND day BETWEEN :from::date AND :to::date`,
      { shopId, from, to },
    );
    const [p] = await this.db.query<{ buyers: string }>('SELECT count(DISTINCT buyer_user_id) AS buyers FROM paid_facts WHERE shop_id = :shopId AND day BETWEEN :from::date AND :to::date', { shopId, from, to });
    return { views: Number(i?.views ?? 0), carts: Number(i?.carts ?? 0), paid: Number(p?.buyers ?? 0), buyers: Number(p?.buyers ?? 0) };
  }

  async topProducts(shopId: string, from: string, to: string, limit: number) {
    return this.db.select<{ product_id: string; name: BilingualText | null; units: string; sales: string }>(
      `SELECT l.product_id, p.name, sum(l.quantity) AS units, sum(l.amount) AS sales
         FROM line_facts l JOIN paid_facts f ON f.sub_order_id = l.sub_order_id LEFT JOIN products p ON p.product_id = l.product_id
        WHERE f.shop_id = :shopId AND f.day BETWEEN :from::date AND :to::date AND f.currency = :currency
        GROUP BY l.product_id, p.name ORDER BY sum(l.amount) DESC, l.product_id LIMIT :limit`,
      { shopId, from, to, limit, currency: this.currency },
    );
  }

  async platformDays(from: string, to: string) {
    return this.db.select<{ day: string; gmv: string; orders: number; refunds: number; refunded: string; new_shops: number }>(
      'SELECT day::text AS day, gmv, orders, refunds, refunded, new_shops FROM platform_days WHERE day BETWEEN :from::date AND :to::date ORDER BY day',
      { from, to },
    );
  }

  async topShops(from: string, to: string, limit: number) {
    return this.db.select<{ shop_id: string; name: BilingualText | null; gmv: string; orders: string }>(
      `SELECT d.shop_id, s.name, sum(d.sales) AS gmv, sum(d.orders) AS orders FROM shop_days d LEFT JOIN shops s ON s.shop_id = d.shop_id
        WHERE d.day BETWEEN :from::date AND :to::date GROUP BY d.shop_id, s.name HAVING sum(d.orders) > 0 ORDER BY sum(d.sales) DESC, d.shop_id LIMIT :limit`,
      { from, to, limit },
    );
  }

  /** Every daily aggregate again from the facts; what it made. */
  async recomputeAggregates(): Promise<{ days: number; shops: number; from: string | null; to: string | null }> {
    return this.db.transaction(async (t) => {
      await this.db.run('DELETE FROM shop_days', {}, t);
      await this.db.run('DELETE FROM platform_days', {}, t);
      const c = { currency: this.currency, tz: this.tz };
      await this.db.run(
        `INSERT INTO shop_days (shop_id, day, orders, sales, refunds, refunded, views, carts)
         SELECT shop_id, day, sum(orders), sum(sales), sum(refunds), sum(refunded), sum(views), sum(carts) FROM (
           SELECT shop_id, day, count(*) AS orders, sum(amount) AS sales, 0 AS refunds, 0 AS refunded, 0 AS views, 0 AS carts FROM paid_facts WHERE currency = :currency GROUP BY shop_id, day
           UNION ALL SELECT shop_id, day, 0, 0, count(*), sum(amount), 0, 0 FROM refund_facts WHERE currency = :currency GROUP BY shop_id, day
           UNION ALL SELECT shop_id, day, 0, 0, 0, 0, count(DISTINCT session_id) FILTER (WHERE kind = 'view'), count(DISTINCT session_id) FILTER (WHERE kind = 'cart')
             FROM interaction_facts GROUP BY shop_id, day
         ) x GROUP BY shop_id, day`,
        c,
        t,
      );
      await this.db.run(
        `INSERT INTO platform_days (day, gmv, orders, refunds, refunded, new_shops)
         SELECT day, sum(gmv), sum(orders), sum(refunds), sum(refunded), sum(new_shops) FROM (
           SELECT day, sum(sales) AS gmv, sum(orders) AS orders, sum(refunds) AS refunds, sum(refunded) AS refunded, 0 AS new_shops FROM shop_days GROUP BY day
           UNION ALL SELECT (approved_at AT TIME ZONE :tz)::date, 0, 0, 0, 0, count(*) FROM shops WHERE approved_at IS NOT NULL GROUP BY 1
         ) x GROUP BY day`,
        c,
        t,
      );
      const [r] = await this.db.query<{ days: string; shops: string; from: string | null; to: string | null }>(
        'SELECT (SELECT count(*) FROM platform_days) AS days, (SELECT count(DISTINCT shop_id) FROM shop_days) AS shops, (SELECT min(day)::text FROM platform_days) AS from, (SELECT max(day)::text FROM platform_days) AS to',
        {},
        t,
      );
      return { days: Number(r!.days), shops: Number(r!.shops), from: r!.from, to: r!.to };
    });
  }

  /** Each buyer's last year: last payment, orders, paid and refunded, the categories bought most (units). */
  async buyerFigures(after: string | null, limit: number): Promise<BuyerFigures[]> {
    return this.db.select<{ buyer_user_id: string; last_paid_at: Date; orders: number; paid: string; refunded: string; categories: string[] | null }>(
      `WITH buyers AS (
         SELECT buyer_user_id, max(paid_at) AS last_paid_at, count(DISTINCT order_id)::int AS orders, sum(amount) AS paid
           FROM paid_facts WHERE paid_at > now() - interval '365 days' AND currency = :currency ${after ? 'AND buyer_user_id > :after' : ''}
          GROUP BY buyer_user_id ORDER BY buyer_user_id LIMIT :limit)
       SELECT b.*,
              COALESCE((SELECT sum(r.amount) FROM refund_facts r JOIN paid_facts f ON f.sub_order_id = r.sub_order_id
                         WHERE f.buyer_user_id = b.buyer_user_id AND f.paid_at > now() - interval '365 days'), 0) AS refunded,
              ARRAY(SELECT p.category_id FROM line_facts l JOIN paid_facts f ON f.sub_order_id = l.sub_order_id JOIN products p ON p.product_id = l.product_id
                     WHERE f.buyer_user_id = b.buyer_user_id GROUP BY p.category_id ORDER BY sum(l.quantity) DESC, p.category_id LIMIT 3)::text[] AS categories
         FROM buyers b ORDER BY b.buyer_user_id`,
      { after, limit, currency: this.currency },
    );
  }

  /** Writes buyers' tags; the buyers whose RFM group is not the one they had (a new buyer too), with the new group. */
  async putTags(
    tags: { userId: string; rfm: string; recencyDays: number; frequency: number; monetary: number; r: number; f: number; m: number; favouriteCategories: string[] }[],
    at: Date,
    t: Transaction,
  ): Promise<{ userId: string; rfm: string }[]> {
    if (tags.length === 0) return [];
    const before = new Map(
      (await this.db.select<{ user_id: string; rfm: string }>('SELECT user_id, rfm FROM user_tags WHERE user_id IN (SELECT (x->>\'userId\')::uuid FROM jsonb_array_elements(:tags::jsonb) x) FOR UPDATE', { tags: json(tags) }, t)).map((r) => [r.userId, r.rfm]),
    );
    await this.db.run(
      `INSERT INTO user_tags (user_id, rfm, recency_days, frequency, monetary, r, f, m, favourite_categories, computed_at)
         SELECT (x->>'userId')::uuid, x->>'rfm', (x->>'recencyDays')::int, (x->>'frequency')::int, (x->>'monetary')::bigint, (x->>'r')::smallint, (x->>'f')::smallint, (x->>'m')::smallint,
                ARRAY(SELECT jsonb_array_elements_text(x->'favouriteCategories'))::uuid[], :at
           FROM jsonb_array_elements(:tags::jsonb) x
       ON CONFLICT (user_id) DO UPDATE SET rfm = EXCLUDED.rfm, recency_days = EXCLUDED.recency_days, frequency = EXCLUDED.frequency, monetary = EXCLUDED.monetary,
         r = EXCLUDED.r, f = EXCLUDED.f, m = EXCLUDED.m, favourite_categories = EXCLUDED.favourite_categories, computed_at = EXCLUDED.computed_at`,
      { tags: json(tags), at },
      t,
    );
    return tags.filter((x) => before.get(x.userId) !== x.rfm).map((x) => ({ userId: x.userId, rfm: x.rfm }));
  }

  /** Tags of buyers with no paid order in the year any more are dropped, up to `limit` at a time: the buyers dropped. */
  async dropTagsBefore(at: Date, limit: number, t: Transaction): Promise<string[]> {
    const rows = await this.db.select<{ user_id: string }>(
      'DELETE FROM user_tags WHERE user_id IN (SELECT user_id FROM user_tags WHERE computed_at < :at ORDER BY user_id LIMIT :limit FOR UPDATE) RETURNING user_id',
      { at, limit },
      t,
    );
    return rows.map((r) => r.userId);
  }

  async tags(f: { rfm?: string | undefined; category?: string | undefined; after?: string | undefined; limit: number }) {
    const where = ['true'];
    if (f.rfm) where.push('rfm = :rfm');
    if (f.category) where.push(':category::uuid = ANY (favourite_categories)');
    if (f.after) where.push('user_id > :after');
    return this.db.select<TagColumns>(`SELECT * FROM user_tags WHERE ${where.join(' AND ')} ORDER BY user_id LIMIT :limit`, { rfm: f.rfm ?? null, category: f.category ?? null, after: f.after ?? null, limit: f.limit });
  }

  async tagsOf(userId: string) {
    const [row] = await this.db.select<TagColumns>('SELECT * FROM user_tags WHERE user_id = :userId', { userId });
    return row;
  }

  async groupCounts(): Promise<{ rfm: string; users: number }[]> {
    return (await this.db.select<{ rfm: string; users: string }>('SELECT rfm, count(*) AS users FROM user_tags GROUP BY rfm ORDER BY rfm')).map((r) => ({ rfm: r.rfm, users: Number(r.users) }));
  }

  /** Published products (of shops not suspended) bought in the same orders as `productId`, by how many orders hold both. */
  async boughtTogether(productId: string, limit: number) {
    return this.db.select<RecommendedColumns>(
      `SELECT p.product_id, p.name, p.image, p.min_price, p.currency, count(DISTINCT l2.order_id)::int AS score
         FROM line_facts l1 JOIN line_facts l2 ON l2.order_id = l1.order_id AND l2.product_id <> l1.product_id
         JOIN products p ON p.product_id = l2.product_id AND p.published
        WHERE l1.product_id = :productId AND NOT EXISTS (SELECT 1 FROM shops s WHERE s.shop_id = p.shop_id AND s.suspended)
        GROUP BY p.product_id, p.name, p.image, p.min_price, p.currency ORDER BY score DESC, p.product_id LIMIT :limit`,
      { productId, limit },
    );
  }

  /** The best sellers of the last 30 days (units), in a category when one is named, leaving some out. */
  async popular(f: { categoryId?: string; exclude: string[]; limit: number }) {
    return this.db.select<RecommendedColumns>(
      `SELECT p.product_id, p.name, p.image, p.min_price, p.currency, COALESCE(sum(l.quantity), 0)::int AS score
         FROM products p
         LEFT JOIN line_facts l ON l.product_id = p.product_id AND l.sub_order_id IN (SELECT sub_order_id FROM paid_facts WHERE paid_at > now() - interval '30 days')
        WHERE p.published ${f.categoryId ? 'AND p.category_path @> ARRAY[:categoryId]::uuid[]' : ''}
          AND p.product_id NOT IN (SELECT jsonb_array_elements_text(:exclude::jsonb)::uuid)
          AND NOT EXISTS (SELECT 1 FROM shops s WHERE s.shop_id = p.shop_id AND s.suspended)
        GROUP BY p.product_id, p.name, p.image, p.min_price, p.currency
        HAVING COALESCE(sum(l.quantity), 0) > 0
        ORDER BY score DESC, p.product_id LIMIT :limit`,
      { categoryId: f.categoryId ?? null, exclude: json(f.exclude), limit: f.limit },
    );
  }

  async product(productId: string): Promise<ProductRecord | undefined> {
    const [row] = await this.db.select<{ product_id: string; shop_id: string; category_id: string; category_path: string[]; name: BilingualText; image: string | null; min_price: string | null; currency: string; published: boolean; version: Date }>(
      'SELECT * FROM products WHERE product_id = :productId',
      { productId },
    );
    return row && { ...row, minPrice: row.minPrice === null ? null : Number(row.minPrice), currency: row.currency.trim() };
  }
}

type TagColumns = { user_id: string; rfm: string; recency_days: number; frequency: number; monetary: string; r: number; f: number; m: number; favourite_categories: string[]; computed_at: Date };
type RecommendedColumns = { product_id: string; name: BilingualText; image: string | null; min_price: string | null; currency: string; score: number };
