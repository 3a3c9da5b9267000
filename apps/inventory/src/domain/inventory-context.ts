import type { PlatformEvents } from '@emporium/contracts';
import type { Database, EventBus, Logger, Sidecar } from '@emporium/kit';
import type { Allocation, InventoryRepository } from '../data/inventory-repository';
import type { FlashSaleGate } from './flash-sale-gate';

/** What inventory's use-cases need; built once in app.ts. */
export interface InventoryContext {
  db: Database;
  repo: InventoryRepository;
  events: EventBus<PlatformEvents>;
  sidecar: Sidecar;
  logger: Logger;
  holdSeconds: number;
  gate: FlashSaleGate;
  flash: { holdSeconds: number; sweepSeconds: number };
  /** campaign id → its allocation's unchanging terms, once read */
  allocations: Map<string, Allocation>;
}
