import { Redis } from 'ioredis';
import type { Product } from '@emporium/contracts';
import type { Logger, Metrics } from '@emporium/kit';

/** Cache-aside for public product detail. A cache failure never fails a request: it counts as a miss. */
export interface ProductCache {
  get(id: string): Promise<Product | undefined>;
  set(id: string, product: Product): Promise<void>;
  invalidate(id: string): Promise<void>;
  close(): Promise<void>;
}

export function createProductCache(opts: { redisUrl?: string | undefined; ttlSeconds: number; logger: Logger; metrics: Metrics }): ProductCache {
  const lookups = opts.metrics.counter('catalog_product_cache_lookups_total', 'Product detail cache lookups, by result', ['result'] as const);
  if (!opts.redisUrl) {
    opts.logger.info('no REDIS_URL: product detail is served uncached');
    return {
      get: () => {
        lookups.inc({ result: 'disabled' });
        return Promise.resolve(undefined);
      },
      set: () => Promise.resolve(),
      invalidate: () => Promise.resolve(),
      close: () => Promise.resolve(),
    };
  }
  const redis = new Redis(opts.redisUrl, { lazyConnect: false, maxRetriesPerRequest: 1, enableOfflineQueue: false, keyPrefix: 'catalog:product:' });
  redis.on('error', (err: Error) => opts.logger.debug({ err: err.message }, 'redis'));
  return {
    async get(id) {
      try {
        const text = await redis.get(id);
        lookups.inc({ result: text ? 'hit' : 'miss' });
        return text ? (JSON.parse(text) as Product) : undefined;
      } catch {
        lookups.inc({ result: 'error' });
        return undefined;
      }
    },
    async set(id, product) {
      await redis.set(id, JSON.stringify(product), 'EX', opts.ttlSeconds).catch(() => undefined);
    },
    async invalidate(id) {
      // a failed invalidation would serve stale data until the TTL: log it loudly
      await redis.del(id).catch((err: unknown) => opts.logger.warn({ err, productId: id }, 'cache invalidation failed'));
    },
    async close() {
      await redis.quit().catch(() => undefined);
    },
  };
}
