import type { BilingualText, SearchSort } from '@emporium/contracts';
import type { FacetRow, HitRow } from '../data/search-repository';
import type { TermGroup } from './query';

/** A query as every engine reads it: the words as search's analyzer read them, and the filters. */
export interface EngineQuery {
  /** what the shopper typed (an engine may also match it with its own analyzers) */
  text: string;
  /** every group must match, any alternative of a group (see domain/query.ts) */
  groups: readonly TermGroup[];
  category?: string | undefined;
  shop?: string | undefined;
  minPrice?: number | undefined;
  maxPrice?: number | undefined;
  /** spec key → the values any of which a product must have */
  specs: Map<string, string[]>;
  inStock?: boolean | undefined;
}

/** A hit with the values its sort is keyed on (strings, for the cursor). */
export type EngineHit = HitRow & { keys: string[] };

/**
 * Where products are looked up. PostgreSQL is the default and always the
 * record (documents are written there in the event's transaction);
 * Elasticsearch, chosen by SEARCH_ENGINE, answers from a mirror of it. Both
 * answer the same shapes: a page in the sort's order after a cursor's keys,
 * and facet counts where each facet ignores its own filter.
 */
export interface SearchEngine {
  readonly name: 'postgres' | 'elasticsearch';
  search(q: EngineQuery, sort: SearchSort, limit: number, after: { keys: string[]; id: string } | null): Promise<{ hits: EngineHit[]; facets: FacetRow[] }>;
  /** The best matches for what was typed so far (its last word as a prefix). */
  suggest(q: Pick<EngineQuery, 'text' | 'groups'>, limit: number): Promise<{ productId: string; name: BilingualText }[]>;
}
