import { AppIds, type PlatformEvents } from '@emporium/contracts';
import { jwksFromIdentity, type ServiceDefinition } from '@emporium/kit';
import { shopConfig } from './config';
import { migrations } from './data/migrations';
import { ShopRepository } from './data/shop-repository';
import type { ShopContext } from './domain/shop-context';
import { shopRoutes } from './routes/shop-routes';

/** shop: merchant applications, shops, staff, commission rates, suspension. */
export const shopService: ServiceDefinition<typeof shopConfig, PlatformEvents> = {
  appId: AppIds.shop,
  schema: 'shop',
  migrations,
  config: shopConfig,
  build({ config, db, sidecar, events, logger }) {
    const ctx: ShopContext = { db, shops: new ShopRepository(db), events, logger, defaultCommissionBps: config.DEFAULT_COMMISSION_BPS };
    return { routes: [shopRoutes(ctx, jwksFromIdentity(sidecar))] };
  },
};
