import 'server-only';
import { CatalogPublic, MarketingPublic, ShopPublic } from '@emporium/contracts';
import { call, orNull } from './sidecar';

/** Every category, parents before their children, in their order (the tree flattened). */
export async function allCategories() {
  const items = (await call(CatalogPublic.listCategories, {})).items;
  const children = (parent: string | null): typeof items => items.filter((c) => c.parentId === parent).sort((a, b) => a.position - b.position).flatMap((c) => [c, ...children(c.id)]);
  return children(null);
}

/** A page of published products; the query is BrowseQuery's (checked by catalog). */
export async function browse(query: URLSearchParams) {
  return call(CatalogPublic.browseProducts, { query: Object.fromEntries(query) });
}

/** Top-level categories, in their order. */
export async function topCategories() {
  return (await call(CatalogPublic.listCategories, {})).items.filter((c) => c.parentId === null).sort((a, b) => a.position - b.position);
}

export async function newestProducts(limit = 8) {
  return (await call(CatalogPublic.browseProducts, { query: { sort: 'newest', limit } })).items;
}

/** Running flash sales, the soonest to end first. */
export async function runningFlashSales() {
  return (await call(MarketingPublic.listFlashSales, { query: { status: 'running' } })).items;
}

/** An approved shop as shoppers see it; null once it is not (suspended, or never approved). */
export async function publicShop(id: string) {
  return orNull(call(ShopPublic.getPublicShop, { params: { shopId: id } }), [404]);
}
