import './node-navigator';
import { Client } from 'pg';
import type { Transaction } from './database';
import type { Logger } from '../logger';
import type { Database } from './database';

/**
 * Waiting for a row to change without polling it: PostgreSQL's LISTEN/NOTIFY.
 * A writer calls `notifyChange` in the transaction that changes the row (the
 * notification leaves at commit, never for a rolled-back change); a reader
 * `watch`es the key and wakes when it comes, on whichever replica wrote it,
 * since they share the database. One listening connection per process, made
 * on first use and made again after it breaks. Notifications are a hint:
 * a watcher also wakes after `fallbackMs`, so a lost one costs a delay,
 * never a wrong answer (the caller reads the row again each time it wakes).
 */
export async function notifyChange(db: Database, channel: string, key: string, t?: Transaction): Promise<void> {
  if (t) {
    // PostgreSQL delivers identical notifications of one transaction once: the same again costs a
    // statement for nothing (an order's sub-orders and the order itself change in one transaction)
    const sent = notified.get(t) ?? new Set<string>();
    const id = `${channel}\n${key}`;
    if (sent.has(id)) return;
    sent.add(id);
    notified.set(t, sent);
  }
  await db.query('SELECT pg_notify(:channel, :key)', { channel, key }, t);
}

/** What each open transaction has notified (gone with the transaction; the kit uses no savepoints that could undo one). */
const notified = new WeakMap<Transaction, Set<string>>();

export interface Watch {
  /** Resolves when the key was notified since the last call (at once if it was meanwhile), or after `ms`. */
  next(ms: number): Promise<void>;
  close(): void;
}

interface Watcher {
  pending: boolean;
  wake?: () => void;
}

export class ChangeNotifications {
  private client: Promise<Client> | undefined;
  private readonly watchers = new Map<string, Set<Watcher>>();

  constructor(
    private readonly url: string,
    private readonly channel: string,
    private readonly logger: Logger,
  ) {
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(channel)) throw new Error(`invalid channel name ${channel}`);
  }

  private listen(): Promise<Client> {
    this.client ??= (async () => {
      const client = new Client({ connectionString: this.url, application_name: `listen:${this.channel}` });
      const drop = (err?: Error) => {
        if (err) this.logger.warn({ err, channel: this.channel }, 'the notification connection broke; watchers fall back to polling until the next watch connects again');
        this.client = undefined;
        client.end().catch(() => undefined);
      };
      client.on('error', drop);
      client.on('end', () => (this.client = undefined));
      client.on('notification', (msg) => {
        for (const w of this.watchers.get(msg.payload ?? '') ?? []) {
          w.pending = true;
          w.wake?.();
        }
      });
      try {
        await client.connect();
        await client.query(`LISTEN ${this.channel}`);
      } catch (err) {
        drop(err as Error);
        throw err;
      }
      return client;
    })();
    return this.client;
  }

  /** Starts watching `key` (before the change it waits for is set off, so none is missed). */
  async watch(key: string): Promise<Watch> {
    const w: Watcher = { pending: false };
    let set = this.watchers.get(key);
    if (!set) this.watchers.set(key, (set = new Set()));
    set.add(w);
    // without a listening connection the watch still works, by its fallback
    await this.listen().catch(() => undefined);
    return {
      next: (ms) =>
        new Promise<void>((resolve) => {
          if (w.pending) {
            w.pending = false;
            resolve();
            return;
          }
          const timer = setTimeout(done, ms);
          function done() {
            clearTimeout(timer);
            w.pending = false;
            w.wake = undefined;
            resolve();
          }
          w.wake = done;
        }),
      close: () => {
        set.delete(w);
        if (set.size === 0) this.watchers.delete(key);
        w.wake?.();
      },
    };
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client) await (await client.catch(() => undefined))?.end().catch(() => undefined);
  }
}
