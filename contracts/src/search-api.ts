import { defineOperations, type ApiOperation } from './operation';
import { IndexRebuild, SearchResult, SuggestResult, SynonymSets } from './search';

const app = 'search' as const;

/** search's public operations (the gateway routes them at /api/v1). The queries are SearchQuery and SuggestQuery. */
export const SearchPublic = defineOperations({
  searchProducts: { operationId: 'searchProducts', method: 'get', path: '/search', appId: app, access: 'anyone',
    summary: 'Products matching words in Chinese or English, pinyin or its initials, with typos forgiven; facets, sorts and keyset pages (q, category, shop, minPrice, maxPrice, spec=key:value…, inStock, sort, limit, cursor)',
    responses: { 200: { description: 'Hits and facets', schema: SearchResult } } },
  suggestProducts: { operationId: 'suggestProducts', method: 'get', path: '/search/suggestions', appId: app, access: 'anyone',
    summary: 'Product names for what a shopper has typed so far (q, limit)', responses: { 200: { description: 'Suggestions', schema: SuggestResult } } },
  getSynonyms: { operationId: 'getSynonyms', method: 'get', path: '/admin/search/synonyms', appId: app, summary: 'The synonym sets search expands queries with (platform admins)',
    responses: { 200: { description: 'Sets', schema: SynonymSets } } },
  putSynonyms: { operationId: 'putSynonyms', method: 'put', path: '/admin/search/synonyms', appId: app, summary: 'Replace the synonym sets; queries use them at once (platform admins)',
    request: SynonymSets, example: { sets: [['手机', '电话', 'phone', 'mobile'], ['壶', '茶壶', 'teapot']] },
    responses: { 200: { description: 'Sets', schema: SynonymSets } } },
  rebuildSearchIndex: { operationId: 'rebuildSearchIndex', method: 'post', path: '/admin/search/rebuild', appId: app,
    summary: "Rebuild the index from catalog's published products and inventory's stock; events keep arriving meanwhile (platform admins)",
    responses: { 202: { description: 'Started (or already running)', schema: IndexRebuild } } },
  getSearchIndexRebuild: { operationId: 'getSearchIndexRebuild', method: 'get', path: '/admin/search/rebuild', appId: app, summary: 'How the latest rebuild is going (platform admins)',
    responses: { 200: { description: 'Progress', schema: IndexRebuild } } },
});
export const SearchOperations: readonly ApiOperation[] = Object.values<ApiOperation>(SearchPublic);

/** Operations other services call through their sidecars, each with `internal: true` and its `callers`. */
export const SearchInternal = defineOperations({});
