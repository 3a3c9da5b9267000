import { Router, type Request } from 'express';
import { NotFoundError } from '../errors';
import type { Logger } from '../logger';
import type { Sidecar } from './sidecar';

/**
 * Serves Dapr actors over the sidecar's HTTP actor protocol. The sidecar
 * places each actor id on one host and calls it turn by turn, so a method
 * never runs concurrently with another on the same id. State changes made in
 * a turn are written in one transaction when the turn ends.
 */

export interface ActorState {
  get<T>(key: string): Promise<T | undefined>;
  set<T>(key: string, value: T): void;
  remove(key: string): void;
}

export interface ActorReminders {
  /** `dueTime`/`period` take Dapr durations (`5s`, `1m`) or ISO 8601 (`PT5S`). */
  register(name: string, dueTime: string, data?: unknown, period?: string): Promise<void>;
  unregister(name: string): Promise<void>;
}

export interface ActorContext {
  readonly type: string;
  readonly id: string;
  readonly state: ActorState;
  readonly reminders: ActorReminders;
  readonly logger: Logger;
}

export interface ActorDefinition<A> {
  readonly type: string;
  create(ctx: ActorContext): A;
  /** Methods callable through the sidecar, by name. */
  readonly methods: Readonly<Record<string, (actor: A, body: unknown) => Promise<unknown>>>;
  /**
   * A reminder fired. Answer 'stop' to end a recurring reminder. (Deleting a
   * reminder through the API from inside its own callback waits for the
   * actor's lock, which the callback holds: the turn hangs until it times
   * out. And Dapr 1.18's scheduler still ignores the X-DaprReminderCancel
   * answer. So the host sends both: the header, and the delete once the
   * turn is over.)
   */
  onReminder?(actor: A, name: string, data: unknown): Promise<void | 'stop'>;
  onActivate?(actor: A): Promise<void>;
  onDeactivate?(actor: A): Promise<void>;
}

/** An actor definition of any actor type, for lists of them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the actor type is erased in lists; each definition is checked where it is made
export type AnyActorDefinition = ActorDefinition<any>;

export function defineActor<A>(def: ActorDefinition<A>): ActorDefinition<A> {
  return def;
}

class SidecarActorState implements ActorState {
  private readonly cache = new Map<string, unknown>();
  private readonly pending = new Map<string, { op: 'upsert' | 'delete'; value?: unknown }>();
  constructor(
    private readonly sidecar: Sidecar,
    private readonly type: string,
    private readonly id: string,
  ) {}

  async get<T>(key: string): Promise<T | undefined> {
    const change = this.pending.get(key);
    if (change) return change.op === 'delete' ? undefined : (change.value as T);
    if (this.cache.has(key)) return this.cache.get(key) as T | undefined;
    const res = await this.sidecar.request('GET', `/v1.0/actors/${this.type}/${encodeURIComponent(this.id)}/state/${encodeURIComponent(key)}`);
    if (res.status !== 200 && res.status !== 204) throw new Error(`actor state read failed: ${res.status} ${res.text()}`);
    const text = res.status === 204 ? '' : res.text();
    const value = text ? (JSON.parse(text) as T) : undefined;
    this.cache.set(key, value);
    return value;
  }

  set<T>(key: string, value: T): void {
    this.pending.set(key, { op: 'upsert', value });
  }

  remove(key: string): void {
    this.pending.set(key, { op: 'delete' });
  }

  /** Writes every change of the turn in one transaction. */
  async flush(): Promise<void> {
    if (this.pending.size === 0) return;
    const ops = [...this.pending].map(([key, c]) =>
      c.op === 'upsert' ? { operation: 'upsert', request: { key, value: c.value } } : { operation: 'delete', request: { key } },
    );
    const res = await this.sidecar.request('POST', `/v1.0/actors/${this.type}/${encodeURIComponent(this.id)}/state`, ops);
    if (res.status !== 204 && res.status !== 200) throw new Error(`actor state write failed: ${res.status} ${res.text()}`);
    for (const [key, c] of this.pending) this.cache.set(key, c.op === 'delete' ? undefined : c.value);
    this.pending.clear();
  }

  discard(): void {
    this.pending.clear();
  }
}

interface Activation {
  instance: unknown;
  state: SidecarActorState;
}

export interface ActorHostOptions {
  sidecar: Sidecar;
  logger: Logger;
  /** seconds per turn by actor type and phase: `run` (the method) and `write` (its one state write) */
  turnSeconds?: { observe(labels: { type: string; phase: 'run' | 'write' }, v: number): void };
  /** How long an unused actor stays in memory. */
  idleTimeout?: string;
}

export class ActorHost {
  private readonly defs = new Map<string, ActorDefinition<unknown>>();
  private readonly active = new Map<string, Activation>();

  constructor(private readonly opts: ActorHostOptions) {}

  register(def: AnyActorDefinition): this {
    this.defs.set(def.type, def as ActorDefinition<unknown>);
    return this;
  }

  get types(): string[] {
    return [...this.defs.keys()];
  }

  private async activation(type: string, id: string): Promise<{ def: ActorDefinition<unknown>; act: Activation }> {
    const def = this.defs.get(type);
    if (!def) throw new NotFoundError(`no actor type ${type} here`);
    const key = `${type}||${id}`;
    let act = this.active.get(key);
    if (!act) {
      const { sidecar, logger } = this.opts;
      const state = new SidecarActorState(sidecar, type, id);
      const actorPath = `/v1.0/actors/${type}/${encodeURIComponent(id)}/reminders`;
      const reminders: ActorReminders = {
        async register(name, dueTime, data, period) {
          const res = await sidecar.request('POST', `${actorPath}/${encodeURIComponent(name)}`, { dueTime, data, ...(period ? { period } : {}) });
          if (res.status !== 204 && res.status !== 200) throw new Error(`reminder ${name} not registered: ${res.status} ${res.text()}`);
        },
        async unregister(name) {
          const res = await sidecar.request('DELETE', `${actorPath}/${encodeURIComponent(name)}`);
          if (res.status !== 204 && res.status !== 200) throw new Error(`reminder ${name} not removed: ${res.status} ${res.text()}`);
        },
      };
      const ctx: ActorContext = { type, id, state, reminders, logger: logger.child({ actorType: type, actorId: id }) };
      act = { instance: def.create(ctx), state };
      this.active.set(key, act);
      await def.onActivate?.(act.instance);
      await state.flush();
    }
    return { def, act };
  }

  /** Runs one turn: the call, then one durable write of its state changes. */
  private async turn(type: string, id: string, fn: (def: ActorDefinition<unknown>, instance: unknown) => Promise<unknown>): Promise<unknown> {
    const { def, act } = await this.activation(type, id);
    try {
      const t0 = performance.now();
      const result = await fn(def, act.instance);
      const t1 = performance.now();
      await act.state.flush();
      this.opts.turnSeconds?.observe({ type, phase: 'run' }, (t1 - t0) / 1000);
      this.opts.turnSeconds?.observe({ type, phase: 'write' }, (performance.now() - t1) / 1000);
      return result;
    } catch (err) {
      // the turn's changes were not written, but it may have changed objects it read from the state cache in
      // place (a flash sale's counters): the activation goes, and the next call reads what the store holds.
      // Kept, a hold whose write failed while PostgreSQL was down lived on in memory as a unit held by nobody
      act.state.discard();
      if (this.active.get(`${type}||${id}`) === act) this.active.delete(`${type}||${id}`);
      throw err;
    }
  }

  router(): Router {
    const router = Router();
    const params = (req: Request) => ({ type: req.params.type as string, id: req.params.id as string });
    router.get('/dapr/config', (_req, res) => {
      res.json({
        entities: this.types,
        actorIdleTimeout: this.opts.idleTimeout ?? '1h',
        // a turn takes milliseconds; Dapr 1.18 caps the drain at 80 % of placement's 30 s dissemination
        // timeout and warned at every sidecar start while ours was 30 s ("clamping to 24s")
        drainOngoingCallTimeout: '10s',
        drainRebalancedActors: true,
      });
    });
    router.put('/actors/:type/:id/method/remind/:name', async (req, res) => {
      const { type, id } = params(req);
      const body = (req.body ?? {}) as { data?: unknown };
      const name = req.params.name;
      const outcome = await this.turn(type, id, async (def, actor) => def.onReminder?.(actor, name, body.data));
      if (outcome === 'stop') {
        res.set('X-DaprReminderCancel', 'true');
        res.once('finish', () => {
          const { sidecar, logger } = this.opts;
          sidecar
            .request('DELETE', `/v1.0/actors/${type}/${encodeURIComponent(id)}/reminders/${encodeURIComponent(name)}`)
            .then((r) => {
              if (r.status !== 204 && r.status !== 200) logger.warn({ actorType: type, actorId: id, reminder: name, status: r.status }, 'reminder not deleted');
            })
            .catch((err: unknown) => logger.warn({ err, actorType: type, actorId: id, reminder: name }, 'reminder not deleted'));
        });
      }
      res.status(200).end();
    });
    router.put('/actors/:type/:id/method/timer/:name', (_req, res) => {
      res.status(200).end(); // timers are not used; reminders survive restarts
    });
    router.put('/actors/:type/:id/method/:method', async (req, res) => {
      const { type, id } = params(req);
      const name = req.params.method;
      const result = await this.turn(type, id, async (def, actor) => {
        const method = Object.hasOwn(def.methods, name) ? def.methods[name] : undefined;
        if (!method) throw new NotFoundError(`actor ${type} has no method ${name}`);
        return method(actor, req.body);
      });
      res.status(200).json(result ?? null);
    });
    router.delete('/actors/:type/:id', async (req, res) => {
      const { type, id } = params(req);
      const key = `${type}||${id}`;
      const act = this.active.get(key);
      if (act) {
        this.active.delete(key);
        await this.defs.get(type)?.onDeactivate?.(act.instance);
      }
      res.status(200).end();
    });
    return router;
  }
}
