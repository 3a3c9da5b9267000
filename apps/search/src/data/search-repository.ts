import type { BilingualText, IndexRebuild, SearchSort } from '@emporium/contracts';
import type { Database, Transaction } from '@emporium/kit';

/** A document as the index stores it; `lexemes` is a tsvector literal (see domain/documents.ts). */
export interface IndexDocument {
  productId: string;
  shopId: string;
  categoryId: string;
  categoryPath: string[];
  name: BilingualText;
  brand: string;
  image: string | null;
  currency: string;
  minPrice: number | null;
  maxPrice: number | null;
  specValues: string[];
  skuIds: string[];
  lexemes: string;
  /** the name, brand and category lexemes alone (A and B): what relevance is ranked by */
  rankLexemes: string;
  version: Date;
  publishedAt: Date;
}

export interface HitRow {
  productId: string;
  shopId: string;
  categoryId: string;
  name: BilingualText;
  brand: string;
  image: string | null;
  currency: string;
  minPrice: string | null;
  maxPrice: string | null;
  inStock: boolean;
  sales: number;
  publishedAt: Date;
  /** the values the page's order is keyed on, for the next page's cursor */
  rank: string;
}

/** What narrows a search; `tsquery` is a literal built by domain/query.ts (null: every document). */
export interface SearchFilter {
  tsquery: string | null;
  category?: string | undefined;
  shop?: string | undefined;
  minPrice?: number | undefined;
  maxPrice?: number | undefined;
  /** spec key → the values any of which a document must have */
  specs: Map<string, string[]>;
  inStock?: boolean | undefined;
}

/** A document as the mirror sends it to a second engine: its words by weight (A-D), its shop's state, its change number. */
export interface MirrorRow {
  productId: string;
  shopId: string;
  categoryId: string;
  categoryPath: string[];
  published: boolean;
  shopSuspended: boolean;
  name: BilingualText;
  brand: string;
  image: string | null;
  currency: string;
  minPrice: string | null;
  maxPrice: string | null;
  specValues: string[];
  inStock: boolean;
  sales: number;
  publishedAt: Date;
  terms: Partial<Record<'A' | 'B' | 'C' | 'D', string[]>>;
  /** the record's change number (a bigint as text): the mirror's external version */
  changed: string;
}

export type FacetRow = { facet: 'category' | 'shop' | 'price' | 'spec' | 'in_stock' | 'total'; key: string; n: string };

/** Price bands of the price facet, in minor units (the last has no upper bound). */
export const PRICE_BANDS = [0, 5_000, 10_000, 20_000, 50_000, 100_000, 200_000, 500_000] as const;

const ORDER: Record<SearchSort, { by: string; keys: string[]; cmp: string }> = {
  relevance: { by: 'rank DESC, sales DESC, product_id DESC', keys: ['rank', 'sales'], cmp: '(rank, sales, product_id) < (:k0::numeric, :k1::integer, :after::uuid)' },
  newest: { by: 'published_at DESC, product_id DESC', keys: ['published_at'], cmp: '(published_at, product_id) < (:k0::timestamptz, :after::uuid)' },
  price_asc: { by: 'price_key ASC, product_id ASC', keys: ['price_key'], cmp: '(price_key, product_id) > (:k0::bigint, :after::uuid)' },
  price_desc: { by: 'price_key DESC, product_id DESC', keys: ['price_key'], cmp: '(price_key, product_id) < (:k0::bigint, :after::uuid)' },
  sales: { by: 'sales DESC, product_id DESC', keys: ['sales'], cmp: '(sales, product_id) < (:k0::integer, :after::uuid)' },
};

const json = (x: unknown) => JSON.stringify(x);

/**
 * search's tables (its own schema; no other service reads them). Every SQL
 * string of the service is here; records come back camelCase.
 */
export class SearchRepository {
  /** the products each open transaction already holds (lockProducts) */
  private readonly held = new WeakMap<Transaction, Set<string>>();

  constructor(private readonly db: Database) {}

  /**
   * Writes a document unless the index holds a newer version of it (events
   * may arrive out of order); true when it was written.
   */
  async upsert(d: IndexDocument, t: Transaction): Promise<boolean> {
    await this.lockProducts([d.productId], t);
    const rows = await this.db.query(
      `INSERT INTO documents AS d (product_id, shop_id, category_id, category_path, published, name, brand, image, currency, min_price, max_price,
                                   spec_values, sku_ids, in_stock, sales, lexemes, rank_lexemes, version, published_at)
         VALUES (:productId, :shopId, :categoryId, ARRAY(SELECT jsonb_array_elements_text(:categoryPath::jsonb))::uuid[], true, :name::jsonb, :brand, :image,
                 :currency, :minPrice, :maxPrice, ARRAY(SELECT jsonb_array_elements_text(:specValues::jsonb)), ARRAY(SELECT jsonb_array_elements_text(:skuIds::jsonb))::uuid[],
                 EXISTS (SELECT 1 FROM sku_stock s WHERE s.product_id = :productId AND s.in_stock
                           AND s.sku_id IN (SELECT jsonb_array_elements_text(:skuIds::jsonb)::uuid)),
                 COALESCE((SELECT units FROM sales WHERE product_id = :productId), 0), :lexemes::tsvector, :rankLexemes::tsvector, :version, :publishedAt)
       ON CONFLICT (product_id) DO UPDATE SET
         shop_id = EXCLUDED.shop_id, category_id = EXCLUDED.category_id, category_path = EXCLUDED.category_path, published = true,
         name = EXCLUDED.name, brand = EXCLUDED.brand, image = EXCLUDED.image, currency = EXCLUDED.currency, min_price = EXCLUDED.min_price,
         max_price = EXCLUDED.max_price, spec_values = EXCLUDED.spec_values, sku_ids = EXCLUDED.sku_ids, in_stock = EXCLUDED.in_stock,
         lexemes = EXCLUDED.lexemes, rank_lexemes = EXCLUDED.rank_lexemes, version = EXCLUDED.version, published_at = LEAST(d.published_at, EXCLUDED.published_at)
       WHERE d.version <= EXCLUDED.version
       RETURNING product_id`,
      { ...d, categoryPath: json(d.categoryPath), name: json(d.name), specValues: json(d.specValues), skuIds: json(d.skuIds) },
      t,
    );
    return rows.length > 0;
  }

  /** Takes a product out of every answer (kept as a tombstone with its version); true when it changed. */
  async unpublish(productId: string, version: Date, t: Transaction): Promise<boolean> {
    const n = await this.db.run('UPDATE documents SET published = false, version = :version WHERE product_id = :productId AND version <= :version AND published', { productId, version }, t);
    return n > 0;
  }

  async markRebuilt(productIds: string[], at: Date, t: Transaction): Promise<void> {
    if (productIds.length === 0) return;
    await this.db.run('UPDATE documents SET rebuilt_at = :at WHERE product_id IN (:productIds)', { productIds, at }, t);
  }

  /** After a rebuild: published documents it did not meet, and that no event touched since it began, are no longer published. */
  async unpublishMissed(startedAt: Date): Promise<number> {
    return this.db.run('UPDATE documents SET published = false WHERE published AND (rebuilt_at IS NULL OR rebuilt_at < :startedAt) AND version < :startedAt', { startedAt });
  }

  async addVocabulary(words: string[], t: Transaction): Promise<void> {
    if (words.length === 0) return;
    await this.db.run('INSERT INTO vocabulary (word) SELECT jsonb_array_elements_text(:words::jsonb) ON CONFLICT DO NOTHING', { words: json(words) }, t);
  }

  async putSpecLabels(labels: { spec: string; value: string; name: BilingualText }[], t: Transaction): Promise<void> {
    if (labels.length === 0) return;
    await this.db.run(
      `INSERT INTO spec_labels (spec, value, name)
         SELECT x->>'spec', x->>'value', x->'name' FROM jsonb_array_elements(:labels::jsonb) x
       ON CONFLICT (spec, value) DO UPDATE SET name = EXCLUDED.name`,
      { labels: json(labels) },
      t,
    );
  }

  async specLabels(): Promise<{ spec: string; value: string; name: BilingualText }[]> {
    return this.db.select<{ spec: string; value: string; name: BilingualText }>('SELECT spec, value, name FROM spec_labels');
  }

  /** Stock of a SKU as inventory said at `changedAt` (an older word is ignored); its product's flag follows. */
  async setSkuStock(s: { skuId: string; productId: string; inStock: boolean; changedAt: Date }, t: Transaction): Promise<void> {
    await this.lockProducts([s.productId], t);
    const n = await this.db.run(
      `INSERT INTO sku_stock AS k (sku_id, product_id, in_stock, changed_at) VALUES (:skuId, :productId, :inStock, :changedAt)
       ON CONFLICT (sku_id) DO UPDATE SET in_stock = EXCLUDED.in_stock, changed_at = EXCLUDED.changed_at WHERE k.changed_at <= EXCLUDED.changed_at`,
      s,
      t,
    );
    if (n > 0) await this.refreshInStock([s.productId], t);
  }

  /**
   * Holds these products until the transaction ends, taken in one order. A document's in_stock is
   * worked out from sku_stock when the document is written, and written again when stock changes:
   * without the lock, a product indexed while its first stock event was applied could end out of
   * stock for good (the insert did not see the uncommitted stock; the stock's update did not see the
   * uncommitted document). With it, whichever comes second reads what the first committed.
   */
  async lockProducts(productIds: string[], t: Transaction): Promise<void> {
    // a transaction asks once per product (a rebuild takes its page's first, then writes each of them)
    let held = this.held.get(t);
    if (!held) this.held.set(t, (held = new Set()));
    const fresh = [...new Set(productIds)].filter((id) => !held.has(id));
    if (fresh.length === 0) return;
    for (const id of fresh) held.add(id);
    await this.db.run(
      `SELECT pg_advisory_xact_lock(hashtextextended('search.product:' || id, 0))
         FROM (SELECT DISTINCT id FROM jsonb_array_elements_text(:ids::jsonb) AS id ORDER BY id) AS sorted`,
      { ids: json(fresh) },
      t,
    );
  }

  async refreshInStock(productIds: string[], t: Transaction): Promise<void> {
    if (productIds.length === 0) return;
    await this.db.run(
      `UPDATE documents d SET in_stock = EXISTS (SELECT 1 FROM sku_stock s WHERE s.sku_id = ANY (d.sku_ids) AND s.in_stock)
        WHERE d.product_id IN (:productIds)`,
      { productIds },
      t,
    );
  }

  /** Units sold, added once per paid order (the handler's transaction marks the event). */
  async addSales(lines: { productId: string; quantity: number }[], t: Transaction): Promise<void> {
    for (const l of lines) {
      await this.db.run('INSERT INTO sales AS s (product_id, units) VALUES (:productId, :quantity) ON CONFLICT (product_id) DO UPDATE SET units = s.units + EXCLUDED.units', l, t);
      await this.db.run('UPDATE documents SET sales = sales + :quantity WHERE product_id = :productId', l, t);
    }
  }

  async putShop(s: { shopId: string; name?: BilingualText; suspended: boolean }, t: Transaction): Promise<void> {
    const [before] = await this.db.select<{ suspended: boolean }>('SELECT suspended FROM shops WHERE shop_id = :shopId FOR UPDATE', { shopId: s.shopId }, t);
    await this.db.run(
      `INSERT INTO shops AS s (shop_id, name, suspended) VALUES (:shopId, :name::jsonb, :suspended)
       ON CONFLICT (shop_id) DO UPDATE SET name = COALESCE(EXCLUDED.name, s.name), suspended = EXCLUDED.suspended`,
      { shopId: s.shopId, name: s.name ? json(s.name) : null, suspended: s.suspended },
      t,
    );
    // the shop's documents change with it (a mirror hides or shows them); PostgreSQL's own queries read the shops table
    if (before?.suspended !== s.suspended) await this.db.run('UPDATE documents SET changed = changed WHERE shop_id = :shopId', { shopId: s.shopId }, t);
  }

  /** Documents a mirror has not sent since they last changed, oldest change first. */
  async pendingMirror(limit: number): Promise<MirrorRow[]> {
    return this.db.select<Omit<MirrorRow, 'changed'> & { changed: string }>(
      `SELECT d.product_id, d.shop_id, d.category_id, d.category_path::text[] AS category_path, d.published, COALESCE(s.suspended, false) AS shop_suspended,
              d.name, d.brand, d.image, d.currency, d.min_price::text AS min_price, d.max_price::text AS max_price, d.spec_values, d.in_stock, d.sales,
              d.published_at, d.changed::text AS changed,
              (SELECT COALESCE(jsonb_object_agg(w, words), '{}') FROM (
                 SELECT w, array_agg(l.lexeme ORDER BY l.lexeme) AS words FROM unnest(d.lexemes) l, unnest(l.weights) w GROUP BY w) x) AS terms
         FROM documents d LEFT JOIN shops s ON s.shop_id = d.shop_id
        WHERE d.mirrored IS DISTINCT FROM d.changed
        ORDER BY d.changed LIMIT :limit`,
      { limit },
    );
  }

  /** Notes what a mirror holds; a document changed since it was read stays pending. */
  async markMirrored(items: { productId: string; changed: string }[]): Promise<void> {
    if (items.length === 0) return;
    await this.db.run(
      `UPDATE documents d SET mirrored = x.changed
         FROM (SELECT (e->>'productId')::uuid AS product_id, (e->>'changed')::bigint AS changed FROM jsonb_array_elements(:items::jsonb) e) x
        WHERE d.product_id = x.product_id AND d.changed = x.changed AND d.mirrored IS DISTINCT FROM x.changed`,
      { items: json(items) },
    );
  }

  async setSuspendedShops(shopIds: string[], suspended: string[], t: Transaction): Promise<void> {
    for (const shopId of shopIds) await this.putShop({ shopId, suspended: suspended.includes(shopId) }, t);
  }

  async shopNames(shopIds: string[]): Promise<Map<string, BilingualText | null>> {
    if (shopIds.length === 0) return new Map();
    const rows = await this.db.select<{ shop_id: string; name: BilingualText | null }>('SELECT shop_id, name FROM shops WHERE shop_id IN (:shopIds)', { shopIds });
    return new Map(rows.map((r) => [r.shopId, r.name]));
  }

  async brands(): Promise<string[]> {
    return (await this.db.select<{ brand: string }>('SELECT DISTINCT brand FROM documents')).map((r) => r.brand);
  }

  /** Whether some indexed word starts with `prefix`. */
  async knowsPrefix(prefix: string): Promise<boolean> {
    const rows = await this.db.query('SELECT 1 FROM vocabulary WHERE word LIKE :pattern LIMIT 1', { pattern: `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%` });
    return rows.length > 0;
  }

  /** The indexed words closest to a misspelt one by trigram similarity (at least `threshold`). */
  async closestWords(word: string, limit: number, threshold: number): Promise<string[]> {
    return this.db.transaction(async (t) => {
      await this.db.query("SELECT set_config('pg_trgm.similarity_threshold', :threshold, true)", { threshold: String(threshold) }, t);
      const rows = await this.db.select<{ word: string }>(
        'SELECT word FROM vocabulary WHERE word OPERATOR(public.%) :word ORDER BY public.similarity(word, :word) DESC, word LIMIT :limit',
        { word, limit },
        t,
      );
      return rows.map((r) => r.word);
    });
  }

  async synonymSets(): Promise<string[][]> {
    return (await this.db.select<{ terms: string[] }>('SELECT terms FROM synonym_sets ORDER BY id')).map((r) => r.terms);
  }

  async putSynonymSets(sets: string[][]): Promise<void> {
    await this.db.transaction(async (t) => {
      await this.db.run('DELETE FROM synonym_sets', {}, t);
      for (const terms of sets) await this.db.run('INSERT INTO synonym_sets (terms) SELECT ARRAY(SELECT jsonb_array_elements_text(:terms::jsonb))', { terms: json(terms) }, t);
    });
  }

  /** The matching documents with a boolean per filter, as a CTE both the facets and the page read. */
  private matches(f: SearchFilter): { sql: string; params: Record<string, unknown>; specKeys: string[] } {
    const params: Record<string, unknown> = { tsquery: f.tsquery, category: f.category ?? null, shop: f.shop ?? null, minPrice: f.minPrice ?? null, maxPrice: f.maxPrice ?? null, inStock: f.inStock ?? null };
    const specKeys = [...f.specs.keys()];
    const specColumns = specKeys.map((key, i) => {
      params[`spec${i}`] = f.specs.get(key)!.map((v) => `${key}:${v}`);
      return `d.spec_values && ARRAY[:spec${i}]::text[] AS f_spec${i}`;
    });
    const sql = `
      WITH m AS (
        SELECT d.product_id, d.shop_id, d.category_id, d.category_path, d.name, d.brand, d.image, d.currency, d.min_price, d.max_price,
               d.in_stock, d.sales, d.published_at, d.spec_values,
               ${f.tsquery ? 'round(ts_rank(d.rank_lexemes, :tsquery::tsquery)::numeric, 6)' : '0::numeric'} AS rank,
               COALESCE(d.min_price, 9000000000000000) AS price_key,
               ${f.category ? 'd.category_path @> ARRAY[:category]::uuid[]' : 'true'} AS f_cat,
               ${f.shop ? 'd.shop_id = :shop' : 'true'} AS f_shop,
               (${f.minPrice !== undefined ? 'd.min_price >= :minPrice' : 'true'} AND ${f.maxPrice !== undefined ? 'd.min_price <= :maxPrice' : 'true'}) AS f_price,
               ${f.inStock !== undefined ? 'd.in_stock = :inStock' : 'true'} AS f_stock
               ${specColumns.map((c) => `, ${c}`).join('')}
          FROM documents d
         WHERE d.published
           AND NOT EXISTS (SELECT 1 FROM shops s WHERE s.shop_id = d.shop_id AND s.suspended)
           ${f.tsquery ? 'AND d.lexemes @@ :tsquery::tsquery' : ''}
      )`;
    return { sql, params, specKeys };
  }

  /**
   * One page of hits in the sort's order after the cursor's keys, and the
   * counts per facet (each with every other filter applied) and the total
   * with all of them: one statement, so the matches are found once and both
   * answers see the same moment.
   */
  async search(f: SearchFilter, sort: SearchSort, limit: number, after: { keys: string[]; id: string } | null): Promise<{ hits: (HitRow & { keys: string[] })[]; facets: FacetRow[] }> {
    const { sql, params, specKeys } = this.matches(f);
    const specAll = specKeys.map((_k, i) => `f_spec${i}`).join(' AND ') || 'true';
    const specBut = (i: number) => specKeys.map((_k, j) => (j === i ? null : `f_spec${j}`)).filter(Boolean).join(' AND ') || 'true';
    const specOwn = specKeys.length === 0 ? specAll : `CASE split_part(sv, ':', 1) ${specKeys.map((_k, i) => `WHEN :specKey${i} THEN ${specBut(i)}`).join(' ')} ELSE ${specAll} END`;
    specKeys.forEach((k, i) => (params[`specKey${i}`] = k));
    params.bands = json(PRICE_BANDS);
    const order = ORDER[sort];
    const where = ['f_cat', 'f_shop', 'f_price', 'f_stock', specAll];
    if (after) {
      where.push(order.cmp);
      after.keys.forEach((k, i) => (params[`k${i}`] = k));
      params.after = after.id;
    }
    type Answer = { hits: (Omit<HitRow, 'publishedAt'> & { publishedAt: string; priceKey: string; salesKey: string })[] | null; facets: FacetRow[] | null };
    // The planner prices a tsvector match far below what it costs (every row's lexemes read and
    // compared) and scans the whole table where the GIN index answers three times sooner (measured
    // at 20,000 documents: 29 ms against 9): with words to match, the index is its only way in.
    const [row] = await this.db.transaction(async (t) => {
      if (f.tsquery) await this.db.query('SET LOCAL enable_seqscan = off', {}, t);
      return this.db.query<Answer>(
      `${sql},
       facets AS (
         SELECT 'category' AS facet, c::text AS key, count(*) AS n FROM m, unnest(m.category_path) c WHERE f_shop AND f_price AND f_stock AND ${specAll} GROUP BY c
         UNION ALL
         SELECT 'shop', shop_id::text, count(*) FROM m WHERE f_cat AND f_price AND f_stock AND ${specAll} GROUP BY shop_id
         UNION ALL
         SELECT 'price', width_bucket(min_price, ARRAY(SELECT jsonb_array_elements_text(:bands::jsonb)::bigint))::text, count(*)
           FROM m WHERE min_price IS NOT NULL AND f_cat AND f_shop AND f_stock AND ${specAll} GROUP BY 2
         UNION ALL
         SELECT 'spec', sv, count(*) FROM m, unnest(m.spec_values) sv WHERE f_cat AND f_shop AND f_price AND f_stock AND ${specOwn} GROUP BY sv
         UNION ALL
         SELECT 'in_stock', '', count(*) FROM m WHERE in_stock AND f_cat AND f_shop AND f_price AND ${specAll}
         UNION ALL
         SELECT 'total', '', count(*) FROM m WHERE f_cat AND f_shop AND f_price AND f_stock AND ${specAll}
       ),
       hits AS (
         SELECT product_id AS "productId", shop_id AS "shopId", category_id AS "categoryId", name, brand, image, currency, min_price::text AS "minPrice", max_price::text AS "maxPrice",
                in_stock AS "inStock", sales, to_char(published_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "publishedAt", rank::text AS rank,
                price_key::text AS "priceKey", sales::text AS "salesKey"
           FROM m WHERE ${where.join(' AND ')} ORDER BY ${order.by} LIMIT :limit)
       SELECT (SELECT json_agg(hits) FROM hits) AS hits, (SELECT json_agg(facets) FROM facets) AS facets`,
        { ...params, limit },
        t,
      );
    });
    const hits = (row?.hits ?? []).map((h) => {
      const keys = order.keys.map((k) => (k === 'rank' ? h.rank : k === 'sales' ? h.salesKey : k === 'price_key' ? h.priceKey : h.publishedAt));
      return { ...h, publishedAt: new Date(h.publishedAt), keys };
    });
    return { hits, facets: row?.facets ?? [] };
  }

  /** Names of the best matches for what was typed so far. */
  async suggest(tsquery: string, limit: number): Promise<{ productId: string; name: BilingualText }[]> {
    return this.db.transaction(async (t) => {
      // as in search: through the GIN index, never a scan of every document's lexemes
      await this.db.query('SET LOCAL enable_seqscan = off', {}, t);
      return this.db.select<{ product_id: string; name: BilingualText }>(
        `SELECT product_id, name FROM documents d
          WHERE d.published AND d.lexemes @@ :tsquery::tsquery AND NOT EXISTS (SELECT 1 FROM shops s WHERE s.shop_id = d.shop_id AND s.suspended)
          ORDER BY ts_rank(d.rank_lexemes, :tsquery::tsquery) DESC, d.sales DESC, d.product_id LIMIT :limit`,
        { tsquery, limit },
        t,
      );
    });
  }

  // rebuilds: one row, leased by the replica running it (a heartbeat older than the lease lets another take over)

  async rebuild(): Promise<IndexRebuild> {
    const [row] = await this.db.select<{ status: IndexRebuild['status']; indexed: number; total: number; removed: number; started_at: Date | null; finished_at: Date | null; error: string | null }>(
      'SELECT status, indexed, total, removed, started_at, finished_at, error FROM rebuilds WHERE id = 1',
    );
    const r = row!;
    return { status: r.status, indexed: r.indexed, total: r.total, removed: r.removed, startedAt: r.startedAt?.toISOString() ?? null, finishedAt: r.finishedAt?.toISOString() ?? null, error: r.error };
  }

  /** Starts a rebuild unless one is running under a live lease; the start time (in whole milliseconds, as JavaScript keeps it: it names the run) when this caller got it. */
  async claimRebuild(leaseSeconds: number): Promise<Date | null> {
    const [row] = await this.db.select<{ started_at: Date }>(
      `UPDATE rebuilds SET status = 'running', indexed = 0, total = 0, removed = 0, started_at = date_trunc('milliseconds', clock_timestamp()), finished_at = NULL, heartbeat = clock_timestamp(), error = NULL
        WHERE id = 1 AND (status <> 'running' OR heartbeat < clock_timestamp() - make_interval(secs => :leaseSeconds))
        RETURNING started_at`,
      { leaseSeconds },
    );
    return row?.startedAt ?? null;
  }

  async rebuildProgress(startedAt: Date, p: { indexed: number; total: number }): Promise<boolean> {
    const n = await this.db.run("UPDATE rebuilds SET indexed = :indexed, total = :total, heartbeat = clock_timestamp() WHERE id = 1 AND status = 'running' AND started_at = :startedAt", { ...p, startedAt });
    return n > 0;
  }

  async finishRebuild(startedAt: Date, outcome: { removed: number } | { error: string }): Promise<void> {
    await this.db.run(
      "UPDATE rebuilds SET status = :status, removed = :removed, error = :error, finished_at = clock_timestamp() WHERE id = 1 AND status = 'running' AND started_at = :startedAt",
      { startedAt, status: 'error' in outcome ? 'failed' : 'done', removed: 'removed' in outcome ? outcome.removed : 0, error: 'error' in outcome ? outcome.error.slice(0, 500) : null },
    );
  }
}
