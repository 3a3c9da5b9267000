import type { PlatformEvents } from '@emporium/contracts';
import type { Database, EventBus, Logger, Sidecar } from '@emporium/kit';
import type { LogisticsRepository } from '../data/logistics-repository';
import type { TrackingProvider } from '../tracking/provider';

/** What logistics's use-cases need; built once in app.ts. */
export interface LogisticsContext {
  db: Database;
  repo: LogisticsRepository;
  sidecar: Sidecar;
  events: EventBus<PlatformEvents>;
  logger: Logger;
  /** the provider new parcels are subscribed with */
  provider: TrackingProvider;
  /** every provider whose callbacks are taken, by the name in their path */
  providers: ReadonlyMap<string, TrackingProvider>;
}
