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
    // every replica sweeps; SKIP LOCKED gives each its own due orders
    let sweeping = false;
    const sweeper = setInterval(() => {
      if (sweeping) return;
      sweeping = true;
      expireDue(ctx)
        .then((n) => n > 0 && logger.info({ orders: n }, 'released expired reservations'))
        .catch((err: unknown) => logger.warn({ err }, 'reservation sweep failed'))
        .finally(() => (sweeping = false));
    }, config.EXPIRY_SWEEP_MS);
    sweeper.unref();
    return {
      routes: [inventoryRoutes(ctx, jwksFromIdentity(sidecar))],
      close: () => {
        clearInterval(sweeper);
        return Promise.resolve();
      },
    };
  },
};
