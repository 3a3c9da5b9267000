import type { RequestHandler } from 'express';
import { OverloadedError } from '../errors';
import { jitteredSeconds } from './retry-after';
import type { Logger } from '../logger';
import type { Metrics } from './metrics';

export interface AdmissionOptions {
  /** What is admitted (the operation), for the problem, the logs and the metrics. */
  name: string;
  /** An answer slower than this means the work behind the operation is backing up. */
  targetMs: number;
  /** How many may run at once before the first answer is measured. */
  initialLimit?: number;
  /** Never fewer at once than this, however slow the answers (a floor, so a slow spell cannot shut the door). */
  minLimit?: number;
  maxLimit?: number;
  /** Performance clock, replaceable in tests. */
  now?: () => number;
  /** Random numbers in [0, 1) for the Retry-After's jitter, replaceable in tests. */
  random?: () => number;
}

export interface AdmissionTicket {
  /** The admitted request ended (answered or abandoned); its time teaches the limit. */
  done(): void;
}

/**
 * Admission control for an operation whose work outlives its answer and
 * whose backlog, once it forms, makes everything slower (a checkout starts a
 * workflow; a queue of them is a queue for every order). Past the limit a
 * request is refused at once (503 with Retry-After) instead of joining a
 * backlog that times out: a client told to come back costs nothing, one that
 * waits and gives up costs the work and the wait.
 *
 * The limit is the number admitted and not yet answered, found by additive
 * increase and multiplicative decrease on the answer time (as TCP finds a
 * window): an answer within `targetMs` while the limit is in use raises it by
 * 1/limit (one per limit's worth of answers), a slower one cuts it by a
 * quarter, at most once per `targetMs` (the answers of one congested spell
 * count once). By Little's law a limit of L at answer time T admits L/T per
 * second, so as the work behind backs up (T grows), fewer get in, until it
 * drains.
 *
 * A process that just started knows nothing of the work behind it, and may
 * meet every client that waited out its restart at once: it starts small
 * (`initialLimit`) and grows as TCP's slow start does, by one per quick
 * answer (doubling per round of answers) until the first slow one. Letting
 * thirty returning checkouts in at once on a restarted order made each take
 * ten seconds, the new ones with them; a few at a time each take one. The
 * same doubling resumes once a whole round of answers after a slow spell was
 * quick: when a peer that was down comes back, the limit (at its floor by
 * then) need not creep up by one a round while clients are turned away.
 */
export class AdmissionControl {
  readonly name: string;
  private readonly targetMs: number;
  private readonly minLimit: number;
  private readonly maxLimit: number;
  private readonly now: () => number;
  private window: number;
  private running = 0;
  private lastCut = -Infinity;
  /** Until the first slow answer, the limit doubles per round of quick answers; and again once a whole round was quick. */
  private slowStart = true;
  /** Quick answers since the last slow one. */
  private quickInARow = 0;
  private readonly random: () => number;
  private smoothedMs: number | undefined;
  private refusedCount = 0;

  constructor(opts: AdmissionOptions) {
    this.name = opts.name;
    this.targetMs = opts.targetMs;
    this.minLimit = Math.max(1, opts.minLimit ?? 4);
    this.maxLimit = Math.max(this.minLimit, opts.maxLimit ?? 256);
    this.window = Math.min(this.maxLimit, Math.max(this.minLimit, opts.initialLimit ?? 32));
    this.now = opts.now ?? (() => performance.now());
    this.random = opts.random ?? Math.random;
  }

  /** How many may run at once now. */
  get limit(): number {
    return Math.floor(this.window);
  }

  get inFlight(): number {
    return this.running;
  }

  /** Refused since start. */
  get refused(): number {
    return this.refusedCount;
  }

  /** A ticket when admitted; undefined when the limit is reached (the caller refuses the request). */
  enter(): AdmissionTicket | undefined {
    if (this.running >= this.limit) {
      this.refusedCount++;
      return undefined;
    }
    this.running++;
    // it found the limit at least half in use: its answer may teach the limit to grow
    const crowded = this.running >= this.window / 2;
    const started = this.now();
    let ended = false;
    return {
      done: () => {
        if (ended) return;
        ended = true;
        this.finished(this.now() - started, crowded);
      },
    };
  }

  /**
   * When a refused client should come back: about when a place frees up (with `limit` running, each
   * for the recent answer time, one ends every answer time / limit), in whole seconds (1 to 30), and up
   * to half as much again at random, so the clients refused in one busy spell do not all come back in
   * the same second. (The whole answer time was too long: while a peer was down each checkout waited
   * 3 s for its page, and a client refused just before the peer came back waited 3–5 s more.)
   */
  retryAfterSeconds(): number {
    const perPlaceMs = (this.smoothedMs ?? this.targetMs) / Math.max(1, this.limit);
    return jitteredSeconds(Math.min(30, Math.max(1, Math.ceil(perPlaceMs / 1000))), this.random);
  }

  private finished(ms: number, crowded: boolean): void {
    const busy = crowded || this.running >= this.window / 2;
    this.running--;
    this.smoothedMs = this.smoothedMs === undefined ? ms : this.smoothedMs * 0.8 + ms * 0.2;
    const at = this.now();
    if (ms > this.targetMs) {
      this.slowStart = false;
      this.quickInARow = 0;
      if (at - this.lastCut >= this.targetMs) {
        this.window = Math.max(this.minLimit, this.window * 0.75);
        this.lastCut = at;
      }
    } else {
      // a whole limit's worth of quick answers after a slow spell: the congestion is over (a peer that
      // was down is back), and the limit doubles again instead of creeping up from the floor by one a round
      if (++this.quickInARow >= this.limit) this.slowStart = true;
      if (busy) this.window = Math.min(this.maxLimit, this.window + (this.slowStart ? 1 : 1 / this.window));
    }
  }
}

/**
 * The middleware in front of the operation's handler (before the
 * Idempotency-Key is taken, so a refused request leaves nothing behind):
 * refuses with 503 `overloaded` and Retry-After past the limit; exposes the
 * limit, the running count and the refusals as metrics.
 */
export function admit(control: AdmissionControl, deps: { metrics?: Metrics; logger?: Logger } = {}): RequestHandler {
  const refusedTotal = deps.metrics?.counter('admission_refused_total', 'Requests refused at the door by admission control', ['operation']);
  deps.metrics?.gauge('admission_limit', 'How many requests of the operation may run at once now', ['operation'], (set) => set({ operation: control.name }, control.limit));
  deps.metrics?.gauge('admission_in_flight', 'Requests of the operation admitted and not yet answered', ['operation'], (set) => set({ operation: control.name }, control.inFlight));
  let lastLogged = 0;
  return (_req, res, next) => {
    const ticket = control.enter();
    if (!ticket) {
      refusedTotal?.inc({ operation: control.name });
      const at = Date.now();
      if (at - lastLogged > 10_000) {
        lastLogged = at;
        deps.logger?.warn({ operation: control.name, limit: control.limit, refused: control.refused }, 'refusing requests at the door: the work behind them is backing up');
      }
      const retryAfter = control.retryAfterSeconds();
      next(new OverloadedError(`Too many ${control.name} requests in progress; try again in ${retryAfter} s`, retryAfter));
      return;
    }
    res.once('close', () => ticket.done());
    next();
  };
}
