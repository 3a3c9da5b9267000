import type { BilingualText, SearchFacets, SearchQuery, SearchResult, SuggestQuery, SuggestResult } from '@emporium/contracts';
import { ValidationError } from '@emporium/kit';
import { PRICE_BANDS, type FacetRow } from '../data/search-repository';
import type { EngineQuery } from './engine';
import { highlight } from './highlight';
import { editDistance, editsAllowed, readQuery, termsOf, type TermGroup } from './query';
import type { SearchContext } from './search-context';

/** At most this many values per facet (the largest counts). */
const FACET_VALUES = 30;

/**
 * Answers kept for a while: whether the index knows a prefix, the spec
 * labels. Each query would otherwise ask PostgreSQL again for what changes
 * only when products do; a minute late is harmless (a new word is found by
 * its own lexeme anyway, the cache only decides whether to look for typos).
 */
class Recent<V> {
  private readonly map = new Map<string, { v: V; at: number }>();
  constructor(
    private readonly ttlMs: number,
    private readonly max: number,
  ) {}
  async get(key: string, load: () => Promise<V>): Promise<V> {
    const hit = this.map.get(key);
    if (hit && Date.now() - hit.at < this.ttlMs) return hit.v;
    const v = await load();
    if (this.map.size >= this.max) this.map.delete(this.map.keys().next().value!);
    this.map.set(key, { v, at: Date.now() });
    return v;
  }
}
const prefixes = new Recent<boolean>(60_000, 20_000);
const labelCache = new Recent<Map<string, BilingualText>>(30_000, 1);

/** Shop names as shop's events gave them, kept 30 s (a rename shows that much later); the missing ones read in one query. */
const shopNameCache = new Map<string, { name: BilingualText | null; at: number }>();
async function shopNamesOf(ctx: SearchContext, shopIds: string[]): Promise<Map<string, BilingualText | null>> {
  const now = Date.now();
  const missing = shopIds.filter((id) => !(now - (shopNameCache.get(id)?.at ?? 0) < 30_000));
  if (missing.length > 0) {
    const read = await ctx.repo.shopNames(missing);
    if (shopNameCache.size > 20_000) shopNameCache.clear();
    for (const id of missing) shopNameCache.set(id, { name: read.get(id) ?? null, at: now });
  }
  return new Map(shopIds.map((id) => [id, shopNameCache.get(id)?.name ?? null]));
}

async function groupsOf(ctx: SearchContext, text: string): Promise<TermGroup[]> {
  if (!text) return [];
  return readQuery(ctx.analyzer, await ctx.synonyms.current(), {
    knowsPrefix: (w) => prefixes.get(w, () => ctx.repo.knowsPrefix(w)),
    // trigram neighbours as candidates, kept when they are a typo away (a swap counts as one edit), nearest first
    closest: async (w) =>
      (await ctx.repo.closestWords(w, 20, ctx.typos.threshold))
        .map((c) => ({ c, d: editDistance(w, c) }))
        .filter((x) => x.d <= editsAllowed(w))
        .sort((a, b) => a.d - b.d)
        .slice(0, ctx.typos.candidates)
        .map((x) => x.c),
  }, text);
}

/** A cursor names its sort, the keys of the last hit and its id; one of another sort or shape is refused. */
function readCursor(cursor: string | undefined, sort: string, keys: number): { keys: string[]; id: string } | null {
  if (!cursor) return null;
  const bad = () => new ValidationError([{ field: 'cursor', code: 'invalid', message: 'not a cursor of this search (ask the first page again)' }]);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  const c = parsed as { s?: unknown; k?: unknown; id?: unknown };
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
  if (c.s !== sort || !Array.isArray(c.k) || c.k.length !== keys || !c.k.every((k) => typeof k === 'string' && k.length < 40 && /^[0-9TZe:.+-]+$/.test(k)) || typeof c.id !== 'string' || !uuid.test(c.id)) throw bad();
  return { keys: c.k as string[], id: c.id };
}

const writeCursor = (sort: string, keys: string[], id: string) => Buffer.from(JSON.stringify({ s: sort, k: keys, id })).toString('base64url');

/** Products for a query with every filter, their facets, one page in the chosen order. */
export async function search(ctx: SearchContext, q: SearchQuery): Promise<SearchResult> {
  const groups = await groupsOf(ctx, q.q);
  const specs = new Map<string, string[]>();
  for (const s of q.spec ?? []) {
    const [key, value] = s.split(':') as [string, string];
    specs.set(key, [...(specs.get(key) ?? []), value]);
  }
  const query: EngineQuery = { text: q.q, groups, category: q.category, shop: q.shop, minPrice: q.minPrice, maxPrice: q.maxPrice, specs, inStock: q.inStock };
  const keyCount = q.sort === 'relevance' ? 2 : 1;
  const after = readCursor(q.cursor, q.sort, keyCount);
  const { hits: rows, facets: facetRows } = await ctx.engine.search(query, q.sort, q.limit + 1, after);
  const page = rows.slice(0, q.limit);
  const terms = termsOf(groups);
  const last = page[page.length - 1];
  return {
    items: page.map((r) => ({
      productId: r.productId,
      shopId: r.shopId,
      categoryId: r.categoryId,
      name: r.name,
      brand: r.brand,
      image: r.image,
      minPrice: r.minPrice === null ? null : { amount: Number(r.minPrice), currency: r.currency.trim() },
      maxPrice: r.maxPrice === null ? null : { amount: Number(r.maxPrice), currency: r.currency.trim() },
      inStock: r.inStock,
      sales: r.sales,
      publishedAt: r.publishedAt.toISOString(),
      highlight: { 'zh-CN': highlight(ctx.analyzer, r.name['zh-CN'], terms), en: highlight(ctx.analyzer, r.name.en, terms) },
    })),
    total: Number(facetRows.find((f) => f.facet === 'total')?.n ?? 0),
    facets: await facetsOf(ctx, facetRows),
    nextCursor: rows.length > q.limit && last ? writeCursor(q.sort, last.keys, last.productId) : null,
    terms,
  };
}

async function facetsOf(ctx: SearchContext, rows: FacetRow[]): Promise<SearchFacets> {
  const of = (facet: FacetRow['facet']) =>
    rows
      .filter((r) => r.facet === facet)
      .map((r) => ({ key: r.key, count: Number(r.n) }))
      .sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
  const categories = ctx.categories.known();
  const shopRows = of('shop').slice(0, FACET_VALUES);
  const shopNames = await shopNamesOf(ctx, shopRows.map((s) => s.key));
  const labels = await labelCache.get('all', async () => new Map((await ctx.repo.specLabels()).map((l) => [`${l.spec}:${l.value}`, l.name])));
  const specs = new Map<string, { value: string; count: number }[]>();
  for (const r of of('spec')) {
    const [key, value] = r.key.split(':') as [string, string];
    specs.set(key, [...(specs.get(key) ?? []), { value, count: r.count }]);
  }
  return {
    categories: of('category').map((c) => ({ categoryId: c.key, parentId: categories.get(c.key)?.parentId ?? null, name: categories.get(c.key)?.name ?? null, count: c.count })),
    shops: shopRows.map((s) => ({ shopId: s.key, name: shopNames.get(s.key) ?? null, count: s.count })),
    priceRanges: of('price')
      .map((p) => {
        const band = Number(p.key);
        return { min: PRICE_BANDS[band - 1] ?? 0, max: PRICE_BANDS[band] ?? null, count: p.count };
      })
      .sort((a, b) => a.min - b.min),
    specs: [...specs].map(([key, values]) => ({
      key,
      name: labels.get(`${key}:`) ?? null,
      values: values.slice(0, FACET_VALUES).map((v) => ({ value: v.value, name: labels.get(`${key}:${v.value}`) ?? null, count: v.count })),
    })),
    inStock: Number(rows.find((r) => r.facet === 'in_stock')?.n ?? 0),
  };
}

/** Product names for what has been typed so far (its last word as a prefix). */
export async function suggest(ctx: SearchContext, q: SuggestQuery): Promise<SuggestResult> {
  const groups = await groupsOf(ctx, q.q);
  if (groups.length === 0) return { items: [] };
  const terms = termsOf(groups);
  const rows = await ctx.engine.suggest({ text: q.q, groups }, q.limit);
  return { items: rows.map((r) => ({ productId: r.productId, name: r.name, highlight: { 'zh-CN': highlight(ctx.analyzer, r.name['zh-CN'], terms), en: highlight(ctx.analyzer, r.name.en, terms) } })) };
}
