import 'server-only';
import { SearchPublic } from '@emporium/contracts';
import { call } from './sidecar';

/** Hits, facets and a page for a search; the query is SearchQuery's (checked by search, which names a wrong field). */
export async function searchProducts(query: Record<string, string | undefined>) {
  return call(SearchPublic.searchProducts, { query });
}
