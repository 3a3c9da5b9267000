import type { PlatformEvents } from '@emporium/contracts';
import type { Database, EventBus, Logger, Sidecar } from '@emporium/kit';
import type { AnalyticsRepository } from '../data/analytics-repository';

/** What analytics' use-cases need; built once in app.ts. */
export interface AnalyticsContext {
  db: Database;
  repo: AnalyticsRepository;
  sidecar: Sidecar;
  events: EventBus<PlatformEvents>;
  logger: Logger;
  /** the one currency figures add up in */
  currency: string;
}
