import 'server-only';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { CatalogStats, IdentityStats, OrderStats, Shop, ShopStats, type DashboardSummary } from '@emporium/contracts';
import { invoke } from './sidecar';

/** The platform summary: every service counts its own rows, asked at once. */
export async function summary(token: string): Promise<DashboardSummary> {
  const [identity, shops, products, orders] = await Promise.all([
    invoke('identity', '/admin/stats/identity', IdentityStats, { token }),
    invoke('shop', '/admin/stats/shops', ShopStats, { token }),
    invoke('catalog', '/admin/stats/products', CatalogStats, { token }),
    invoke('order', '/admin/stats/orders', OrderStats, { token }),
  ]);
  return { users: identity.users, companies: identity.companies, shops: shops.shops, products: products.products, orders, generatedAt: new Date().toISOString() };
}

export async function pendingShops(token: string) {
  return (await invoke('shop', '/admin/shops?status=pending', z.object({ items: z.array(Shop) }), { token })).items;
}

export async function decideShop(token: string, shopId: string, decision: { decision: 'approve' } | { decision: 'reject'; reason: string }, key: string = randomUUID()) {
  return invoke('shop', `/admin/shops/${shopId}/decision`, Shop, { token, method: 'POST', body: decision, headers: { 'idempotency-key': key } });
}
