/**
 * The storefront search's address: every choice is in the query string, so a
 * result page is a link that can be shared, bookmarked or opened without
 * scripts. Facet links toggle one value and start again at the first page.
 */
export type SearchParams = { q?: string; category?: string; shop?: string; min?: string; max?: string; spec?: string; inStock?: string; sort?: string; cursor?: string };

export const SORTS = ['relevance', 'sales', 'newest', 'price_asc', 'price_desc'] as const;

/** The chosen spec values (spec=colour:red,size:m). */
export function specsOf(p: SearchParams): string[] {
  return (p.spec ?? '').split(',').filter((s) => /^[a-z0-9-]+:[a-z0-9-]+$/.test(s)).slice(0, 10);
}

/** The same search with `change` applied (undefined removes a key), from its first page. */
export function withChange(p: SearchParams, change: Partial<Record<keyof SearchParams, string | undefined>>): Record<string, string> {
  const next: Record<string, string | undefined> = { ...p, ...change, cursor: change.cursor };
  return Object.fromEntries(Object.entries(next).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1] !== ''));
}

/** The search with one spec value added, or taken away when chosen. */
export function toggleSpec(p: SearchParams, key: string, value: string): Record<string, string> {
  const chosen = specsOf(p);
  const item = `${key}:${value}`;
  const spec = chosen.includes(item) ? chosen.filter((s) => s !== item) : [...chosen, item];
  return withChange(p, { spec: spec.join(',') || undefined });
}
