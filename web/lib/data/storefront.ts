import 'server-only';
import { z } from 'zod';
import { Category, FlashSale, ProductPage, PublicShop } from '@emporium/contracts';
import { invoke, orNull } from './sidecar';

const Categories = z.object({ items: z.array(Category) });
const FlashSales = z.object({ items: z.array(FlashSale) });

/** Every category, parents before their children, in their order (the tree flattened). */
export async function allCategories() {
  const items = (await invoke('catalog', '/categories', Categories)).items;
  const children = (parent: string | null): typeof items => items.filter((c) => c.parentId === parent).sort((a, b) => a.position - b.position).flatMap((c) => [c, ...children(c.id)]);
  return children(null);
}

/** A page of published products; the query is BrowseQuery's (checked by catalog). */
export async function browse(query: URLSearchParams) {
  return invoke('catalog', `/products?${query.toString()}`, ProductPage);
}

/** Top-level categories, in their order. */
export async function topCategories() {
  return (await invoke('catalog', '/categories', Categories)).items.filter((c) => c.parentId === null).sort((a, b) => a.position - b.position);
}

export async function newestProducts(limit = 8) {
  return (await invoke('catalog', `/products?sort=newest&limit=${limit}`, ProductPage)).items;
}

/** Running flash sales, the soonest to end first. */
export async function runningFlashSales() {
  return (await invoke('marketing', '/flash-sales?status=running', FlashSales)).items;
}

/** An approved shop as shoppers see it; null once it is not (suspended, or never approved). */
export async function publicShop(id: string) {
  return orNull(invoke('shop', `/public/shops/${id}`, PublicShop), [404]);
}
