import { z } from 'zod';
import { bilingual } from './i18n';
import { Price } from './catalog';

/** search: the product index shoppers query, with facets, highlights and suggestions. */

export const SearchSort = z.enum(['relevance', 'newest', 'price_asc', 'price_desc', 'sales']);
export type SearchSort = z.infer<typeof SearchSort>;

const SPEC_FILTER = /^[a-z0-9][a-z0-9-]{0,39}:[a-z0-9][a-z0-9-]{0,39}$/;

/** Query parameters of a search: `spec=` (repeated or comma-separated) narrows by spec values; values of one spec are alternatives. */
export const SearchQuery = z
  .object({
    q: z.string().trim().max(100, 'at most 100 characters').default(''),
    category: z.uuid().optional().describe('Includes its sub-categories'),
    shop: z.uuid().optional(),
    minPrice: z.coerce.number().int().min(0).max(1_000_000_000_000).optional().describe('Minor units, inclusive'),
    maxPrice: z.coerce.number().int().min(0).max(1_000_000_000_000).optional().describe('Minor units, inclusive'),
    spec: z
      .union([z.string().max(1000), z.array(z.string().max(100)).max(10)])
      .transform((v, ctx) => {
        const parts = (Array.isArray(v) ? v : [v]).flatMap((x) => x.split(',')).filter(Boolean);
        if (parts.length > 10) ctx.addIssue({ code: 'custom', message: 'at most 10 spec values' });
        for (const p of parts) if (!SPEC_FILTER.test(p)) ctx.addIssue({ code: 'custom', message: `${p.slice(0, 40)} is not spec:value (e.g. colour:red)` });
        return parts;
      })
      .optional()
      .describe('spec:value, repeated or comma-separated; values of one spec are alternatives'),
    inStock: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
    sort: SearchSort.default('relevance'),
    limit: z.coerce.number().int().min(1).max(50).default(20),
    cursor: z.string().max(300).optional(),
  })
  .strict()
  .refine((q) => q.minPrice === undefined || q.maxPrice === undefined || q.minPrice <= q.maxPrice, { path: ['maxPrice'], message: 'not below minPrice' });
export type SearchQuery = z.infer<typeof SearchQuery>;

/** A piece of text and whether it matched the query: the client marks the matched pieces (never HTML). */
export const HighlightSegment = z.object({ text: z.string(), hit: z.boolean() }).strict();
export const Highlight = z.object({ 'zh-CN': z.array(HighlightSegment), en: z.array(HighlightSegment) }).strict();
export type Highlight = z.infer<typeof Highlight>;

export const SearchHit = z
  .object({
    productId: z.uuid(),
    shopId: z.uuid(),
    categoryId: z.uuid(),
    name: bilingual(120),
    brand: z.string(),
    image: z.string().nullable().describe('Path under /media'),
    minPrice: Price.nullable(),
    maxPrice: Price.nullable(),
    inStock: z.boolean(),
    sales: z.number().int().min(0).describe('Units sold (paid orders)'),
    publishedAt: z.iso.datetime(),
    highlight: Highlight.describe("The product's name in both languages, matched pieces marked"),
  })
  .strict();
export type SearchHit = z.infer<typeof SearchHit>;

const Count = z.number().int().min(0);
/**
 * Facet counts. Each facet counts the hits of the query with every other
 * filter applied but its own (so choosing one shop still shows the others);
 * the categories count each hit once under its category and each ancestor.
 */
export const SearchFacets = z
  .object({
    categories: z.array(z.object({ categoryId: z.uuid(), parentId: z.uuid().nullable(), name: bilingual(40).nullable(), count: Count }).strict()),
    shops: z.array(z.object({ shopId: z.uuid(), name: bilingual(60).nullable(), count: Count }).strict()),
    priceRanges: z.array(z.object({ min: z.number().int().min(0), max: z.number().int().min(0).nullable().describe('exclusive; null: no upper bound'), count: Count }).strict()),
    specs: z.array(
      z
        .object({
          key: z.string(),
          name: bilingual(30).nullable(),
          values: z.array(z.object({ value: z.string(), name: bilingual(30).nullable(), count: Count }).strict()),
        })
        .strict(),
    ),
    inStock: Count.describe('Hits with at least one SKU in stock'),
  })
  .strict();
export type SearchFacets = z.infer<typeof SearchFacets>;

export const SearchResult = z
  .object({
    items: z.array(SearchHit),
    total: Count.describe('Hits with every filter applied'),
    facets: SearchFacets,
    nextCursor: z.string().nullable(),
    /** the words the query was read as, after folding traditional characters and adding synonyms */
    terms: z.array(z.string()),
  })
  .strict();
export type SearchResult = z.infer<typeof SearchResult>;

export const SuggestQuery = z.object({ q: z.string().trim().min(1, 'type something').max(50), limit: z.coerce.number().int().min(1).max(10).default(8) }).strict();
export type SuggestQuery = z.infer<typeof SuggestQuery>;
export const Suggestion = z.object({ productId: z.uuid(), name: bilingual(120), highlight: Highlight }).strict();
export type Suggestion = z.infer<typeof Suggestion>;
export const SuggestResult = z.object({ items: z.array(Suggestion) }).strict();
export type SuggestResult = z.infer<typeof SuggestResult>;

const Term = z.string().trim().min(1).max(40);
/** Words that mean the same to a shopper: a query for any of them finds every one. */
export const SynonymSets = z.object({ sets: z.array(z.array(Term).min(2).max(20)).max(500) }).strict();
export type SynonymSets = z.infer<typeof SynonymSets>;

export const IndexRebuild = z
  .object({
    status: z.enum(['idle', 'running', 'done', 'failed']),
    indexed: Count,
    /** products catalog had published when the rebuild began */
    total: Count,
    removed: Count.describe('Documents no longer published, dropped at the end'),
    startedAt: z.iso.datetime().nullable(),
    finishedAt: z.iso.datetime().nullable(),
    error: z.string().nullable(),
  })
  .strict();
export type IndexRebuild = z.infer<typeof IndexRebuild>;
