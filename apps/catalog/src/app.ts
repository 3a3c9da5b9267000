import { AppIds, UploadImageRequest, type PlatformEvents } from '@emporium/contracts';
import { jwksFromIdentity, type ServiceDefinition } from '@emporium/kit';
import { catalogConfig } from './config';
import { CatalogRepository } from './data/catalog-repository';
import { migrations } from './data/migrations';
import type { CatalogContext } from './domain/catalog-context';
import { createProductCache } from './domain/product-cache';
import { subscribeShopStatus } from './events/shop-status.handler';
import { catalogRoutes } from './routes/catalog-routes';

/** catalog: categories, spec templates, products and SKUs, B2B prices, media. */
export const catalogService: ServiceDefinition<typeof catalogConfig, PlatformEvents> = {
  appId: AppIds.catalog,
  schema: 'catalog',
  migrations,
  config: catalogConfig,
  build({ config, db, sidecar, events, logger, metrics }) {
    const repo = new CatalogRepository(db);
    const cache = createProductCache({ redisUrl: config.REDIS_URL, ttlSeconds: config.PRODUCT_CACHE_TTL_SECONDS, logger, metrics });
    subscribeShopStatus(events, repo, cache);
    const ctx: CatalogContext = { db, repo, events, cache, sidecar, logger, publicMaxAgeSeconds: config.PUBLIC_MAX_AGE_SECONDS };
    // a body may carry one image (~2 MiB, base64: UploadImageRequest's dataBase64)
    const image = UploadImageRequest.shape.dataBase64.maxLength ?? 2_800_000;
    return { routes: [catalogRoutes(ctx, jwksFromIdentity(sidecar))], close: () => cache.close(), inputLimits: { bodyBytes: image + 64 * 1024, stringLength: image } };
  },
};
