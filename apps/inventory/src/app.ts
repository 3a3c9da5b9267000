import { AppIds, type PlatformEvents } from '@emporium/contracts';
import { jwksFromIdentity, type ServiceDefinition } from '@emporium/kit';
import { inventoryConfig } from './config';
import { InventoryRepository } from './data/inventory-repository';
import { migrations } from './data/migrations';
import { FlashSaleGate } from './domain/flash-sale-gate';
import { flashSaleStockActor } from './domain/flash-sale-stock';
import { closeSale } from './domain/flash-sales';
import { expireDue } from './domain/inventory';
import { inventoryRoutes } from './routes/inventory-routes';
import type { InventoryContext } from './domain/inventory-context';

/** inventory: stock per SKU, reservations with expiry, low-stock alerts, flash-sale units (FlashSaleStock actor). */
export const inventoryService: ServiceDefinition<typeof inventoryConfig, PlatformEvents> = {
  appId: AppIds.inventory,
  schema: 'inventory',
  migrations,
  config: inventoryConfig,
  build({ config, db, sidecar, events, logger, metrics }) {
    const gate = new FlashSaleGate({
      sidecar,
      logger,
      batchMs: config.FLASH_BATCH_MS,
      pipeline: config.FLASH_PIPELINE,
      soldOutRecheckMs: config.FLASH_SOLD_OUT_RECHECK_MS,
      attempts: metrics.counter('flash_sale_hold_attempts_total', 'Flash-sale hold requests by outcome, and whether the actor or the sold-out flag answered', ['outcome', 'via']),
      turns: metrics.counter('flash_sale_hold_turns_total', 'FlashSaleStock hold turns (one state write each)'),
      turnSeconds: metrics.histogram('flash_sale_hold_turn_seconds', 'Time of one FlashSaleStock hold turn, seen from the gate', [0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1]),
      batchSize: metrics.histogram('flash_sale_hold_batch_size', 'Hold requests carried by one actor turn', [1, 2, 5, 10, 20, 50, 100, 200, 500]),
    });
    const ctx: InventoryContext = {
      db,
      repo: new InventoryRepository(db),
      events,
      sidecar,
      logger,
      holdSeconds: config.RESERVATION_HOLD_SECONDS,
      gate,
      flash: { holdSeconds: config.FLASH_HOLD_SECONDS, sweepSeconds: config.FLASH_SWEEP_SECONDS },
      allocations: new Map(),
    };
    return {
      routes: [inventoryRoutes(ctx, jwksFromIdentity(sidecar))],
      actors: [flashSaleStockActor({ close: (campaignId, skuId, sold) => closeSale(ctx, campaignId, skuId, sold) })],
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
