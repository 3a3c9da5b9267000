import type { Database } from './database';
import type { PeriodicTask } from '../periodic';
import type { Logger } from '../logger';

/**
 * How long the kit's own bookkeeping is kept. Idempotency answers outlive any
 * sane client retry (and hold tokens of refresh answers, so they must not stay
 * forever); a processed-event mark must outlive the broker's redelivery window.
 */
export const retention = {
  idempotencyKeys: '24 hours',
  publishedOutbox: '7 days',
  processedEvents: '30 days',
  deadLetters: '90 days',
} as const;

/** Deletes what is past its retention; answers how many rows went, by table. */
export async function sweepKitTables(db: Database): Promise<Record<string, number>> {
  const statements: [string, string][] = [
    ['idempotency_keys', `DELETE FROM idempotency_keys WHERE created_at < now() - interval '${retention.idempotencyKeys}'`],
    ['outbox', `DELETE FROM outbox WHERE published_at < now() - interval '${retention.publishedOutbox}'`],
    ['processed_events', `DELETE FROM processed_events WHERE processed_at < now() - interval '${retention.processedEvents}'`],
    ['dead_letters', `DELETE FROM dead_letters WHERE received_at < now() - interval '${retention.deadLetters}'`],
  ];
  const removed: Record<string, number> = {};
  for (const [table, sql] of statements) {
    removed[table] = await db.run(sql);
  }
  return removed;
}

/** The kit's own sweep as a periodic task: hourly by default, first after a minute. */
export function kitSweepTask(db: Database, logger: Logger, everyMs = 60 * 60_000): PeriodicTask {
  return {
    name: 'kit-retention',
    everyMs,
    firstAfterMs: 60_000,
    async run() {
      const removed = await sweepKitTables(db);
      if (Object.values(removed).some((n) => n > 0)) logger.info({ removed }, 'kit tables swept');
    },
  };
}
