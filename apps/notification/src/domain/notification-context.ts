import type { PlatformEvents } from '@emporium/contracts';
import type { ChangeNotifications, Database, EventBus, Logger, Sidecar } from '@emporium/kit';
import type { NotificationRepository } from '../data/notification-repository';

/** What notification's use-cases need; built once in app.ts. */
export interface NotificationContext {
  db: Database;
  repo: NotificationRepository;
  sidecar: Sidecar;
  events: EventBus<PlatformEvents>;
  logger: Logger;
  /** wakes a waiting client when its inbox changes, on whichever replica wrote it */
  changes: ChangeNotifications;
  /** a broadcast wakes every reader's long poll: each re-reads within this many ms, at random, not all at once */
  broadcastSpreadMs: number;
}
