import type { PlatformEvents } from '@emporium/contracts';
import type { Database, EventBus, Logger, Sidecar } from '@emporium/kit';
import type { CatalogRepository } from '../data/catalog-repository';
import type { ProductCache } from './product-cache';

export interface CatalogContext {
  db: Database;
  repo: CatalogRepository;
  events: EventBus<PlatformEvents>;
  cache: ProductCache;
  sidecar: Sidecar;
  logger: Logger;
  /** seconds anyone may keep a storefront read asked without credentials (0: not marked) */
  publicMaxAgeSeconds: number;
}
