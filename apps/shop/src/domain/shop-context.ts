import type { PlatformEvents } from '@emporium/contracts';
import type { Database, EventBus, Logger } from '@emporium/kit';
import type { ShopRepository } from '../data/shop-repository';

export interface ShopContext {
  db: Database;
  shops: ShopRepository;
  events: EventBus<PlatformEvents>;
  logger: Logger;
  defaultCommissionBps: number;
}
