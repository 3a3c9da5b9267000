import type { Client, estypes } from '@elastic/elasticsearch';
import type { BilingualText, SearchSort } from '@emporium/contracts';
import { UnavailableError, ValidationError } from '@emporium/kit';
import { PRICE_BANDS, type FacetRow, type MirrorRow } from '../data/search-repository';
import type { Analyzer } from '../domain/analyzer';
import type { EngineHit, EngineQuery, SearchEngine } from '../domain/engine';
import type { TermGroup } from '../domain/query';

type Query = estypes.QueryDslQueryContainer;

/** A product as the Elasticsearch index holds it (snake_case, as the index template maps it). */
export interface EsDocument {
  product_id: string;
  shop_id: string;
  category_id: string;
  category_path: string[];
  published: boolean;
  shop_suspended: boolean;
  name: BilingualText;
  brand: string;
  image: string | null;
  currency: string;
  min_price: number | null;
  max_price: number | null;
  /** min_price, or past every price when there is none: what the price sorts read */
  price_key: number;
  spec_values: string[];
  in_stock: boolean;
  sales: number;
  published_at: string;
  /** search's analyzer's words by weight: name (A), brand and category (B), description (C), the name's characters (D) */
  terms_a: string[];
  terms_b: string[];
  terms_c: string[];
  terms_d: string[];
  /** the name spelt in pinyin, in full and by initials, each word and each run of words to the end */
  name_pinyin: string[];
}

/** What ranks a hit: a word of the name (or its pinyin) weighs 1, of the brand or a category 0.4, as PostgreSQL's ts_rank weighs A and B. */
const RANKED: readonly (readonly [keyof EsDocument, number])[] = [
  ['terms_a', 1],
  ['name_pinyin', 1],
  ['terms_b', 0.4],
];
/** The names through Elasticsearch's own analyzers (cjk bigrams, English stems): a little extra for the closest wording. */
const NAME_MATCH_BOOST = 0.1;
const NO_PRICE = 9_000_000_000_000_000;
const SOURCE = ['product_id', 'shop_id', 'category_id', 'name', 'brand', 'image', 'currency', 'min_price', 'max_price', 'in_stock', 'sales', 'published_at'];

const SORTS: Record<SearchSort, estypes.SortCombinations[]> = {
  relevance: [{ _score: { order: 'desc' } }, { sales: { order: 'desc' } }, { product_id: { order: 'desc' } }],
  newest: [{ published_at: { order: 'desc' } }, { product_id: { order: 'desc' } }],
  price_asc: [{ price_key: { order: 'asc' } }, { product_id: { order: 'asc' } }],
  price_desc: [{ price_key: { order: 'desc' } }, { product_id: { order: 'desc' } }],
  sales: [{ sales: { order: 'desc' } }, { product_id: { order: 'desc' } }],
};

/**
 * The index template: one shard (a catalogue of a marketplace fits one), the
 * names under the built-in `cjk` analyzer (Chinese as overlapping bigrams,
 * folded width) and `english`, and search's own words and pinyin as keywords,
 * so both engines read a query the same way: segmented by jieba, folded,
 * spelt in pinyin, corrected and widened by synonyms in the service.
 */
export function indexTemplate(index: string, replicas: number): estypes.IndicesPutIndexTemplateRequest {
  const keyword = { type: 'keyword' } as const;
  const words = { type: 'keyword', copy_to: 'terms' } as const;
  return {
    name: index,
    index_patterns: [`${index}*`],
    priority: 100,
    _meta: { owner: 'emporium search', doc: 'apps/search/README.md' },
    template: {
      settings: { number_of_shards: 1, number_of_replicas: replicas, refresh_interval: '1s' },
      mappings: {
        dynamic: 'strict',
        properties: {
          product_id: keyword,
          shop_id: keyword,
          category_id: keyword,
          category_path: keyword,
          published: { type: 'boolean' },
          shop_suspended: { type: 'boolean' },
          name: { properties: { 'zh-CN': { type: 'text', analyzer: 'cjk' }, en: { type: 'text', analyzer: 'english' } } },
          brand: keyword,
          image: { type: 'keyword', index: false },
          currency: keyword,
          min_price: { type: 'long' },
          max_price: { type: 'long' },
          price_key: { type: 'long' },
          spec_values: keyword,
          in_stock: { type: 'boolean' },
          sales: { type: 'long' },
          published_at: { type: 'date' },
          terms_a: words,
          terms_b: words,
          terms_c: words,
          terms_d: words,
          name_pinyin: words,
          // every word above, matched (not ranked) as one field
          terms: keyword,
        },
      },
    },
  };
}

/** A row of the record as the index holds it; the name's pinyin is spelt here (and left out of the name's words, so it is not counted twice). */
export function esDocumentOf(analyzer: Analyzer, row: MirrorRow): EsDocument {
  const pinyin = analyzer.pinyinWords(row.name['zh-CN']);
  const spelt = new Set(pinyin);
  const min = row.minPrice === null ? null : Number(row.minPrice);
  return {
    product_id: row.productId,
    shop_id: row.shopId,
    category_id: row.categoryId,
    category_path: row.categoryPath,
    published: row.published,
    shop_suspended: row.shopSuspended,
    name: row.name,
    brand: row.brand,
    image: row.image,
    currency: row.currency.trim(),
    min_price: min,
    max_price: row.maxPrice === null ? null : Number(row.maxPrice),
    price_key: min ?? NO_PRICE,
    spec_values: row.specValues,
    in_stock: row.inStock,
    sales: row.sales,
    published_at: row.publishedAt.toISOString(),
    terms_a: (row.terms.A ?? []).filter((w) => !spelt.has(w)),
    terms_b: row.terms.B ?? [],
    terms_c: row.terms.C ?? [],
    terms_d: row.terms.D ?? [],
    name_pinyin: pinyin,
  };
}

const HAN = /\p{Script=Han}/u;

/** Whether a document holds an alternative, as toTsquery (domain/query.ts) reads it for PostgreSQL. */
function holds(field: string, alt: string, prefix: boolean): Query {
  const chars = Array.from(alt);
  if (HAN.test(alt) && chars.length > 1 && chars.every((c) => HAN.test(c))) {
    // the word, or all its characters (瓷壶 finds 青瓷茶壶)
    return { bool: { should: [{ term: { [field]: alt } }, { bool: { filter: chars.map((c) => ({ term: { [field]: c } })) } }], minimum_should_match: 1 } };
  }
  if (prefix) return { prefix: { [field]: alt } };
  if (alt.includes(' ')) return { bool: { filter: alt.split(' ').map((w) => ({ term: { [field]: w } })) } };
  return { term: { [field]: alt } };
}

function textQuery(q: Pick<EngineQuery, 'text' | 'groups'>, lastIsPrefix: boolean): { filter: Query[]; should: Query[] } {
  const filter: Query[] = [];
  const should: Query[] = [];
  q.groups.forEach((g: TermGroup, gi) => {
    const last = gi === q.groups.length - 1;
    const alts = g.alternatives.map((a) => ({ a, prefix: (g.prefix && a === g.word) || (lastIsPrefix && last && a === g.word) }));
    filter.push(alts.length === 1 ? holds('terms', alts[0]!.a, alts[0]!.prefix) : { bool: { should: alts.map((x) => holds('terms', x.a, x.prefix)), minimum_should_match: 1 } });
    for (const x of alts) {
      for (const w of x.a.split(' ')) {
        for (const [field, boost] of RANKED) {
          if (field === 'name_pinyin' && !/^[a-z]+$/.test(w)) continue; // pinyin is Latin letters only
          should.push({ constant_score: { filter: x.prefix ? { prefix: { [field]: w } } : { term: { [field]: w } }, boost } });
        }
      }
    }
  });
  if (q.text.trim() && q.groups.length > 0) should.push({ multi_match: { query: q.text.slice(0, 200), fields: ['name.zh-CN', 'name.en'], boost: NAME_MATCH_BOOST } });
  return { filter, should };
}

/** The lucene regular expression matching a spec key's values (`colour:…`). */
const specPattern = (keys: readonly string[]) => `(${keys.map((k) => k.replace(/[.?+*|{}[\]()"\\#@&<>~]/g, (c) => `\\${c}`)).join('|')}):.*`;

interface Buckets {
  buckets: { key: string | number; doc_count: number }[];
}
type FacetAggs = Record<string, { doc_count: number; v?: Buckets }>;

/**
 * Search through Elasticsearch: the filters of the shopper's facets go in a
 * post_filter (so the hits obey all of them) and each facet's counts come
 * from a filter aggregation holding every filter but its own (disjunctive
 * facets, as PostgreSQL counts them); pages follow `search_after`.
 */
export class ElasticsearchEngine implements SearchEngine {
  readonly name = 'elasticsearch' as const;
  private client: Promise<Client> | undefined;

  /** `connect` makes the client when first needed (its key comes from the secret store, reachable once the sidecar is up). */
  constructor(
    private readonly connect: () => Promise<Client>,
    private readonly opts: { index: string; replicas: number },
  ) {}

  /** Puts the index template (writes create the index from it). */
  async putTemplate(): Promise<void> {
    await this.call((c) => c.indices.putIndexTemplate(indexTemplate(this.opts.index, this.opts.replicas)));
  }

  async ping(): Promise<string | undefined> {
    try {
      await this.call((c) => c.ping());
      return undefined;
    } catch (err) {
      return `elasticsearch not reachable: ${err instanceof Error ? err.message : String(err)}`;
    }
  }

  /**
   * Writes documents in one bulk request, each under its record's change
   * number as external version; answers those the index now holds at that
   * version or a newer one (a conflict is a newer one already there).
   */
  async index(docs: readonly { doc: EsDocument; version: string }[]): Promise<{ done: { productId: string; changed: string }[]; failed: { productId: string; status: number; reason: string }[] }> {
    if (docs.length === 0) return { done: [], failed: [] };
    const operations = docs.flatMap(({ doc, version }) => [{ index: { _index: this.opts.index, _id: doc.product_id, version: Number(version), version_type: 'external' as const } }, doc]);
    const res = await this.call((c) => c.bulk({ operations }));
    const done: { productId: string; changed: string }[] = [];
    const failed: { productId: string; status: number; reason: string }[] = [];
    res.items.forEach((item, i) => {
      const r = item.index;
      const sent = docs[i]!;
      if (r && ((r.status >= 200 && r.status < 300) || r.status === 409)) done.push({ productId: sent.doc.product_id, changed: sent.version });
      else failed.push({ productId: sent.doc.product_id, status: r?.status ?? 0, reason: r?.error?.reason ?? r?.error?.type ?? 'no answer for this item' });
    });
    return { done, failed };
  }

  async search(q: EngineQuery, sort: SearchSort, limit: number, after: { keys: string[]; id: string } | null): Promise<{ hits: EngineHit[]; facets: FacetRow[] }> {
    const { filter, should } = textQuery(q, false);
    const facetFilters = new Map<string, Query>();
    if (q.category) facetFilters.set('category', { term: { category_path: q.category } });
    if (q.shop) facetFilters.set('shop', { term: { shop_id: q.shop } });
    if (q.minPrice !== undefined || q.maxPrice !== undefined) {
      facetFilters.set('price', { range: { min_price: { ...(q.minPrice !== undefined ? { gte: q.minPrice } : {}), ...(q.maxPrice !== undefined ? { lte: q.maxPrice } : {}) } } });
    }
    if (q.inStock !== undefined) facetFilters.set('in_stock', { term: { in_stock: q.inStock } });
    const specKeys = [...q.specs.keys()];
    specKeys.forEach((key, i) => facetFilters.set(`spec${i}`, { terms: { spec_values: q.specs.get(key)!.map((v) => `${key}:${v}`) } }));
    const allBut = (name: string | null): Query => ({ bool: { filter: [...facetFilters].filter(([n]) => n !== name).map(([, f]) => f) } });

    const aggs: Record<string, estypes.AggregationsAggregationContainer> = {
      category: { filter: allBut('category'), aggs: { v: { terms: { field: 'category_path', size: 1000 } } } },
      shop: { filter: allBut('shop'), aggs: { v: { terms: { field: 'shop_id', size: 30, order: [{ _count: 'desc' }, { _key: 'asc' }] } } } },
      price: {
        filter: allBut('price'),
        aggs: { v: { range: { field: 'min_price', keyed: false, ranges: PRICE_BANDS.map((from, i) => ({ key: String(i + 1), from, ...(PRICE_BANDS[i + 1] !== undefined ? { to: PRICE_BANDS[i + 1] } : {}) })) } } },
      },
      in_stock: { filter: { bool: { filter: [allBut('in_stock'), { term: { in_stock: true } }] } } },
      spec: { filter: allBut(null), aggs: { v: { terms: { field: 'spec_values', size: 1000, ...(specKeys.length ? { exclude: specPattern(specKeys) } : {}) } } } },
    };
    specKeys.forEach((key, i) => (aggs[`spec${i}`] = { filter: allBut(`spec${i}`), aggs: { v: { terms: { field: 'spec_values', size: 1000, include: specPattern([key]) } } } }));

    const res = await this.call((c) =>
      c.search<EsDocument>({
        index: this.opts.index,
        size: limit,
        track_total_hits: true,
        _source: SOURCE,
        query: { bool: { filter: [{ term: { published: true } }, { term: { shop_suspended: false } }, ...filter], ...(should.length ? { should } : {}) } },
        ...(facetFilters.size ? { post_filter: allBut(null) } : {}),
        aggs,
        sort: SORTS[sort],
        ...(after ? { search_after: searchAfter(sort, after) } : {}),
      }),
    );
    const hits = res.hits.hits.map((h): EngineHit => {
      const s = h._source!;
      const sortValues = (h.sort ?? []).map((v) => String(v));
      return {
        productId: s.product_id,
        shopId: s.shop_id,
        categoryId: s.category_id,
        name: s.name,
        brand: s.brand,
        image: s.image,
        currency: s.currency,
        minPrice: s.min_price === null ? null : String(s.min_price),
        maxPrice: s.max_price === null ? null : String(s.max_price),
        inStock: s.in_stock,
        sales: s.sales,
        publishedAt: new Date(s.published_at),
        rank: sort === 'relevance' ? (sortValues[0] ?? '0') : '0',
        keys: sortValues.slice(0, -1),
      };
    });
    const a = (res.aggregations ?? {}) as unknown as FacetAggs;
    const rows = (facet: FacetRow['facet'], agg: string) => (a[agg]?.v?.buckets ?? []).filter((b) => b.doc_count > 0).map((b): FacetRow => ({ facet, key: String(b.key), n: String(b.doc_count) }));
    const total = typeof res.hits.total === 'number' ? res.hits.total : (res.hits.total?.value ?? 0);
    const facets: FacetRow[] = [
      ...rows('category', 'category'),
      ...rows('shop', 'shop'),
      ...rows('price', 'price'),
      ...rows('spec', 'spec'),
      ...specKeys.flatMap((_k, i) => rows('spec', `spec${i}`)),
      { facet: 'in_stock', key: '', n: String(a.in_stock?.doc_count ?? 0) },
      { facet: 'total', key: '', n: String(total) },
    ];
    return { hits, facets };
  }

  async suggest(q: Pick<EngineQuery, 'text' | 'groups'>, limit: number): Promise<{ productId: string; name: BilingualText }[]> {
    if (q.groups.length === 0) return [];
    const { filter, should } = textQuery(q, true);
    const res = await this.call((c) =>
      c.search<Pick<EsDocument, 'product_id' | 'name'>>({
        index: this.opts.index,
        size: limit,
        _source: ['product_id', 'name'],
        query: { bool: { filter: [{ term: { published: true } }, { term: { shop_suspended: false } }, ...filter], should } },
        sort: [{ _score: { order: 'desc' } }, { sales: { order: 'desc' } }, { product_id: { order: 'asc' } }],
      }),
    );
    return res.hits.hits.map((h) => ({ productId: h._source!.product_id, name: h._source!.name }));
  }

  /**
   * Runs a request; the server unreachable, overloaded or failing is a 503
   * to the shopper (try again shortly), an answer refusing what was sent
   * (4xx) is a fault of this code and stays an error.
   */
  private async call<T>(request: (client: Client) => Promise<T>): Promise<T> {
    try {
      this.client ??= this.connect().catch((err: unknown) => {
        this.client = undefined;
        throw err;
      });
      return await request(await this.client);
    } catch (err) {
      const e = err as { name?: string; meta?: { statusCode?: number } };
      const status = e.meta?.statusCode ?? 0;
      if (['ConnectionError', 'TimeoutError', 'NoLivingConnectionsError'].includes(e.name ?? '') || status >= 500 || status === 429) {
        throw new UnavailableError(`elasticsearch did not answer: ${err instanceof Error ? err.message : String(err)}`);
      }
      throw err;
    }
  }
}

/** A cursor's keys as the sort's values again (numbers: score, sales, price, a date's milliseconds). */
function searchAfter(sort: SearchSort, after: { keys: string[]; id: string }): estypes.SortResults {
  const values = after.keys.map(Number);
  if (values.some((v) => !Number.isFinite(v)) || values.length !== SORTS[sort].length - 1) {
    throw new ValidationError([{ field: 'cursor', code: 'invalid', message: 'not a cursor of this search (ask the first page again)' }]);
  }
  return [...values, after.id];
}
