import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { deadLetterTopic, type EventInput, type EventOf, type EventRegistry, type TopicOf } from '@emporium/contracts';
import type { Database, Transaction } from '../db/database';
import type { Logger } from '../logger';
import { fieldErrors } from '../http/validate';
import { ValidationError } from '../errors';
import type { Sidecar } from './sidecar';
import { isTransient } from '../transient';

/** What a handler may answer besides success: try again later, or give up (to the dead-letter topic). */
export type HandlerOutcome = void | 'retry' | 'drop';

export interface DeliveredEvent<E> {
  /** CloudEvent id; the same id is never applied twice. */
  id: string;
  topic: string;
  data: E;
  /** The transaction the processed-event mark is written in; write your changes in it too. */
  transaction: Transaction;
}

export type EventHandler<E> = (event: DeliveredEvent<E>) => Promise<HandlerOutcome>;

interface Subscription {
  topic: string;
  name: string;
  route: string;
  /** Where this subscription's poisoned messages go; none for dead-letter subscriptions themselves. */
  deadLetterTopic?: string;
  handle(body: unknown): Promise<'SUCCESS' | 'RETRY' | 'DROP'>;
}

export interface EventBusOptions<R extends EventRegistry> {
  registry: R;
  sidecar: Sidecar;
  pubsub: string;
  logger: Logger;
  /** Needed to subscribe: handlers are idempotent by event id through it. */
  db?: Database;
  /** Prefix of subscription names (defaults to the app-id). */
  subscriber: string;
  /**
   * Prefix of topic names on the wire: `<namespace>.<topic>`. Handlers and
   * the outbox keep the contract's names; only the broker sees the prefix.
   */
  namespace?: string;
}

/**
 * Typed publish and subscribe over Dapr pub/sub. Both sides validate with the
 * registry's schema. A subscription is idempotent by CloudEvent id: the mark
 * and the handler's writes commit in one transaction, so a redelivered event
 * is acknowledged without being applied again.
 */
export class EventBus<R extends EventRegistry> {
  private readonly subscriptions: Subscription[] = [];
  constructor(private readonly opts: EventBusOptions<R>) {}

  /** The topic's name on the broker. */
  wireTopic(topic: string): string {
    return this.opts.namespace ? `${this.opts.namespace}.${topic}` : topic;
  }

  private validated<T extends TopicOf<R>>(topic: T, input: EventInput<R, T>): { body: unknown; type: string } {
    const spec = this.opts.registry[topic];
    if (!spec) throw new Error(`unknown topic ${topic}`);
    const body = { ...input, version: spec.version, occurredAt: input.occurredAt ?? new Date().toISOString() };
    const parsed = spec.schema.safeParse(body);
    if (!parsed.success) throw new ValidationError(fieldErrors(parsed.error), `event ${topic} is not valid`);
    return { body: parsed.data, type: `emporium.${topic}.v${spec.version}` };
  }

  /**
   * Publishes at once. Use only where losing the event on a crash is
   * acceptable; facts that follow a database change go through `stage`.
   */
  async publish<T extends TopicOf<R>>(topic: T, input: EventInput<R, T>): Promise<void> {
    const { body, type } = this.validated(topic, input);
    await this.opts.sidecar.publish(this.opts.pubsub, this.wireTopic(topic), body, { 'cloudevent.type': type });
  }

  /**
   * Transactional outbox: records the event in the same transaction as the
   * change it reports. The relay publishes it after the commit, with the
   * outbox id as CloudEvent id, so a republish after a crash is recognised
   * by subscribers and applied once.
   */
  async stage<T extends TopicOf<R>>(transaction: Transaction, topic: T, input: EventInput<R, T>): Promise<string> {
    const { db } = this.opts;
    if (!db) throw new Error('staging events needs a database');
    const { body } = this.validated(topic, input);
    const id = randomUUID();
    await db.query('INSERT INTO outbox (id, topic, body) VALUES (:id, :topic, :body)', { id, topic, body: JSON.stringify(body) }, transaction);
    transaction.afterCommit(() => this.relay?.kick());
    return id;
  }

  private relay?: OutboxRelay;

  /**
   * Starts publishing staged events (the kit calls this once the sidecar is up): at once after each
   * commit that staged one, and by a look at the outbox every `idleMs` (rows of another instance or
   * left by a crash), every `retryMs` while publishing fails. `idleMs` stays under the pool's idle
   * timeout (10 s, db/database.ts): a look keeps one connection open, where a longer wait would
   * close it and open a new one (a PostgreSQL backend started) at every look.
   */
  startRelay({ retryMs = 1_000, idleMs = 5_000 }: { retryMs?: number; idleMs?: number } = {}): void {
    const { db, sidecar, pubsub, logger, registry } = this.opts;
    if (!db || this.relay) return;
    this.relay = new OutboxRelay(db, async (row) => {
      const spec = registry[row.topic];
      await sidecar.publish(pubsub, this.wireTopic(row.topic), row.body, {
        'cloudevent.id': row.id,
        ...(spec ? { 'cloudevent.type': `emporium.${row.topic}.v${spec.version}` } : {}),
      });
    }, logger, { retryMs, idleMs });
    this.relay.start();
  }

  async stopRelay(): Promise<void> {
    await this.relay?.stop();
    this.relay = undefined;
  }

  subscribe<T extends TopicOf<R>>(topic: T, handler: EventHandler<EventOf<R, T>>, opts: { name?: string } = {}): this {
    const { db } = this.opts;
    if (!db) throw new Error('subscribing needs a database for idempotency');
    return this.add(topic, opts, (name, id, data) =>
      db.transaction(async (transaction) => {
        const inserted = await db.query('INSERT INTO processed_events (subscription, event_id) VALUES (:name, :id) ON CONFLICT DO NOTHING RETURNING event_id', { name, id }, transaction);
        if (inserted.length === 0) return; // already applied
        const outcome = await handler({ id, topic, data: data as EventOf<R, T>, transaction });
        if (outcome === 'retry' || outcome === 'drop') throw new Outcome(outcome);
      }),
    );
  }

  /**
   * Like `subscribe`, for a handler that only calls out (raises a workflow's event, asks a peer)
   * and writes nothing of its own: it runs outside any transaction, so no database connection is
   * held while it waits on the network (five such handlers waiting on a recovering workflow engine
   * held a service's whole pool of five). The event is marked applied once the handler succeeded:
   * at least once, so the handler must tolerate running twice.
   */
  subscribeCalling<T extends TopicOf<R>>(topic: T, handler: (event: Omit<DeliveredEvent<EventOf<R, T>>, 'transaction'>) => Promise<HandlerOutcome>, opts: { name?: string } = {}): this {
    const { db } = this.opts;
    if (!db) throw new Error('subscribing needs a database for idempotency');
    return this.add(topic, opts, async (name, id, data) => {
      const seen = await db.query('SELECT event_id FROM processed_events WHERE subscription = :name AND event_id = :id', { name, id });
      if (seen.length > 0) return; // already applied
      const outcome = await handler({ id, topic, data: data as EventOf<R, T> });
      if (outcome === 'retry' || outcome === 'drop') throw new Outcome(outcome);
      await db.query('INSERT INTO processed_events (subscription, event_id) VALUES (:name, :id) ON CONFLICT DO NOTHING', { name, id });
    });
  }

  /** A subscription of `topic` whose valid events go to `apply` (name, CloudEvent id, parsed data); an Outcome it throws says retry or drop. */
  private add(topic: TopicOf<R>, opts: { name?: string }, apply: (name: string, id: string, data: unknown) => Promise<void>): this {
    const spec = this.opts.registry[topic];
    if (!spec) throw new Error(`unknown topic ${topic}`);
    const { logger } = this.opts;
    const name = `${this.opts.subscriber}:${opts.name ?? topic}`;
    this.subscriptions.push({
      topic: this.wireTopic(topic),
      name,
      route: `/dapr/events/${encodeURIComponent(opts.name ?? topic)}`,
      deadLetterTopic: this.wireTopic(deadLetterTopic(topic)),
      handle: async (raw) => {
        const cloudEvent = (raw ?? {}) as { id?: unknown; data?: unknown };
        if (typeof cloudEvent.id !== 'string') {
          logger.warn({ topic }, 'event without a CloudEvent id dropped');
          return 'DROP';
        }
        const parsed = spec.schema.safeParse(cloudEvent.data);
        if (!parsed.success) {
          logger.warn({ topic, eventId: cloudEvent.id, errors: fieldErrors(parsed.error) }, 'invalid event sent to dead letters');
          return 'DROP';
        }
        try {
          await apply(name, cloudEvent.id, parsed.data);
          return 'SUCCESS';
        } catch (err) {
          if (err instanceof Outcome) return err.outcome === 'retry' ? 'RETRY' : 'DROP';
          // a peer, the sidecar or the database away is a delay (warn); anything else may be a bug (error)
          logger[isTransient(err) ? 'warn' : 'error']({ err, topic, eventId: cloudEvent.id }, 'event handler failed; will be redelivered');
          return 'RETRY';
        }
      },
    });
    return this;
  }

  /**
   * Keeps what lands on a topic's dead-letter topic (events this or another
   * subscriber refused or could not apply after its retries) in the service's
   * `dead_letters` table, once per event id, for inspection and replay.
   */
  captureDeadLetters(topic: TopicOf<R>): this {
    const { db, logger } = this.opts;
    if (!db) throw new Error('capturing dead letters needs a database');
    const dlq = deadLetterTopic(topic);
    this.subscriptions.push({
      topic: this.wireTopic(dlq),
      name: `${this.opts.subscriber}:${dlq}`,
      route: `/dapr/events/${encodeURIComponent(dlq)}`,
      handle: async (raw) => {
        const cloudEvent = (raw ?? {}) as { id?: unknown; data?: unknown };
        const id = typeof cloudEvent.id === 'string' ? cloudEvent.id : `no-id-${Date.now()}`;
        try {
          await db.query(`INSERT INTO dead_letters (topic, event_id, body) VALUES (:topic, :id, :body)
             ON CONFLICT (topic, event_id) DO NOTHING`, { topic, id, body: JSON.stringify(raw) });
          logger.warn({ topic, eventId: id }, 'event dead-lettered');
          return 'SUCCESS';
        } catch (err) {
          logger.error({ err, topic }, 'dead letter not stored; will be redelivered');
          return 'RETRY';
        }
      },
    });
    return this;
  }

  /** `/dapr/subscribe` and one route per subscription. */
  router(): Router {
    const router = Router();
    router.get('/dapr/subscribe', (_req, res) => {
      res.json(
        this.subscriptions.map((s) => ({
          pubsubname: this.opts.pubsub,
          topic: s.topic,
          route: s.route,
          ...(s.deadLetterTopic ? { deadLetterTopic: s.deadLetterTopic } : {}),
        })),
      );
    });
    router.post('/dapr/events/:name', async (req, res) => {
      const route = `/dapr/events/${encodeURIComponent(req.params.name)}`;
      const sub = this.subscriptions.find((s) => s.route === route);
      // an unknown route is a subscription this instance no longer has: let another take it
      res.status(200).json({ status: sub ? await sub.handle(req.body) : 'RETRY' });
    });
    return router;
  }
}

class Outcome extends Error {
  constructor(readonly outcome: 'retry' | 'drop') {
    super(outcome);
  }
}

interface OutboxRow {
  id: string;
  topic: string;
  body: unknown;
}

/**
 * Publishes staged events in order, a batch per transaction; rows stay until their publish succeeded.
 * A commit in this process kicks it; a timer looks at the outbox for the rest: every `idleMs` while
 * publishing works (rows staged by another instance or left by a crash: rare, and a few seconds
 * late is fine), every `retryMs` once a publish or a look failed (the sidecar or the database away),
 * until one succeeds. Each look is a statement and a promise chain: with fourteen services looking
 * every second, the looks were a tenth of the platform's CPU at rest.
 */
export class OutboxRelay {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  /** the last look or drain failed: look again every retryMs */
  private failing = false;
  /** when the outbox was last read (performance.now()), by a look or a drain */
  private lastLook = -Infinity;

  constructor(
    private readonly db: Database,
    private readonly send: (row: OutboxRow) => Promise<void>,
    private readonly logger: Logger,
    private readonly every: { retryMs: number; idleMs: number },
  ) {}

  start(): void {
    // the timer ticks at the short interval; a tick reads the outbox only when it is due
    this.timer = setInterval(() => this.poll(), Math.min(this.every.retryMs, this.every.idleMs));
    this.timer.unref();
    this.kick();
  }

  /**
   * The timer's look, for events staged by another instance or left by a crash: one read of the
   * partial index of unpublished rows, and the locking drain only when it finds one (an idle
   * service made a transaction of three statements every second before).
   */
  private poll(): void {
    if (this.running) return;
    if (performance.now() - this.lastLook < (this.failing ? this.every.retryMs : this.every.idleMs)) return;
    this.lastLook = performance.now();
    this.running = this.db
      .query<{ one: number }>('SELECT 1 AS one FROM outbox WHERE published_at IS NULL LIMIT 1')
      .then((rows) => (rows.length ? this.drain() : undefined))
      .then(() => this.succeeded(), (err: unknown) => this.failed(err))
      .finally(() => this.settled());
  }

  /** Runs a drain now, or right after the one under way. */
  kick(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.lastLook = performance.now();
    this.running = this.drain()
      .then(() => this.succeeded(), (err: unknown) => this.failed(err))
      .finally(() => this.settled());
  }

  private succeeded(): void {
    this.failing = false;
  }

  private failed(err: unknown): void {
    this.failing = true;
    this.logger.warn({ err }, 'outbox relay will retry');
  }

  private settled(): void {
    this.running = undefined;
    if (this.again) {
      this.again = false;
      this.kick();
    }
  }

  private async drain(): Promise<void> {
    for (;;) {
      const { fetched, error } = await this.db.transaction(async (t) => {
        const rows = await this.db.query<OutboxRow>('SELECT id, topic, body FROM outbox WHERE published_at IS NULL ORDER BY seq LIMIT 100 FOR UPDATE SKIP LOCKED', undefined, t);
        const done: string[] = [];
        let failure: unknown;
        for (const row of rows) {
          try {
            await this.send(row);
          } catch (err) {
            failure = err; // keep order: stop at the first that fails, commit those before it
            break;
          }
          done.push(row.id);
        }
        if (done.length) {
          await this.db.query('UPDATE outbox SET published_at = now() WHERE id IN (:done)', { done }, t);
        }
        return { fetched: rows.length, error: failure };
      });
      if (error) throw error instanceof Error ? error : new Error('outbox publish failed', { cause: error });
      if (fetched < 100) return;
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
