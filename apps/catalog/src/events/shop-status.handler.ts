import type { EventBus } from '@emporium/kit';
import type { PlatformEvents } from '@emporium/contracts';
import type { CatalogRepository } from '../data/catalog-repository';
import type { ProductCache } from '../domain/product-cache';

/**
 * catalog keeps its own copy of each shop's status from shop's events: a
 * suspended shop's products leave browse and detail at once, without a call
 * to shop on every request.
 */
export function subscribeShopStatus(events: EventBus<PlatformEvents>, repo: CatalogRepository, cache: ProductCache): void {
  const dropCache = async (shopId: string) => {
    for (const id of await repo.productIdsOfShop(shopId)) await cache.invalidate(id);
  };
  events.subscribe('shop.approved', async ({ data, transaction }) => {
    await repo.setShopStatus(data.shopId, 'approved', transaction);
  });
  events.subscribe('shop.suspended', async ({ data, transaction }) => {
    await repo.setShopStatus(data.shopId, 'suspended', transaction);
    transaction.afterCommit(() => void dropCache(data.shopId));
  });
  events.subscribe('shop.resumed', async ({ data, transaction }) => {
    await repo.setShopStatus(data.shopId, 'approved', transaction);
    transaction.afterCommit(() => void dropCache(data.shopId));
  });
}
