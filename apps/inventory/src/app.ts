import type { PlatformEvents } from '@emporium/contracts';
import { jwksFromIdentity, type ServiceDefinition } from '@emporium/kit';
import { inventoryConfig } from './config';
import { InventoryRepository } from './data/inventory-repository';
import { migrations } from './data/migrations';
import { expireDue, type InventoryContext } from './domain/inventory';
import { inventoryRoutes } from './routes/inventory-routes';

/** inventory: stock per SKU, reservations with expiry, low-stock alerts. */
export const inventoryService: ServiceDefinition<typeof inventoryConfig, PlatformEvents> = {
  schema: 'inventory',
  migrations,
  config: inventoryConfig,
  build({ config, db, sidecar, events, logger }) {
    const ctx: InventoryContext = { db, repo: new InventoryRepository(db), events, sidecar, logger, holdSeconds: config.RESERVATION_HOLD_SECONDS };
    return {
      routes: [inventoryRoutes(ctx, jwksFromIdentity(sidecar))],
      // every replica sweeps; SKIP LOCKED gives each its own due orders
      periodic: [
        {
          name: 'reservation-expiry',
          everyMs: config.EXPIRY_SWEEP_MS,
          run: async () => {
            const n = await expireDue(ctx);
            if (n > 0) logger.info({ orders: n }, 'released expired reservations');
          },
        },
      ],
    };
  },
};
