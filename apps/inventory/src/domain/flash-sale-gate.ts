import type { Logger, Sidecar } from '@emporium/kit';
import { FLASH_SALE_ACTOR, type HoldAnswer, type HoldRequest, type HoldResult } from './flash-sale-stock';

/**
 * The way into a FlashSaleStock actor for shoppers' hold requests, one per
 * inventory process.
 *
 * - Requests for one sale are collected for a few milliseconds, and while a
 *   batch is with the actor the next one collects; each batch is one actor
 *   turn and one state write, and each shopper is answered only after it.
 * - Once the actor says the sale is sold out, refusals come from a flag here
 *   without reaching the actor; one request per recheck interval goes through
 *   to learn whether expired holds gave units back.
 */
export interface FlashSaleGateOptions {
  sidecar: Sidecar;
  logger: Logger;
  batchMs: number;
  soldOutRecheckMs: number;
  maxBatch?: number;
  /**
   * Batches for one sale on their way at once (default 1). With 2, the next
   * waits at the sidecar's actor lock while one is written, overlapping the
   * invocation's way there and back; on the 2-core machine it measured
   * slower (smaller batches, same CPU). Turns still run one at a time.
   */
  pipeline?: number;
  /** outcome: held or the refusal; via: actor or cache */
  attempts?: { inc(labels: { outcome: string; via: 'actor' | 'cache' }): void };
  turns?: { inc(): void };
  /** seconds per hold turn, and requests per turn */
  turnSeconds?: { observe(v: number): void };
  batchSize?: { observe(v: number): void };
}

interface Waiting {
  request: HoldRequest;
  /** sent to learn whether a sold-out sale has units again */
  probe: boolean;
  resolve(result: HoldResult & { cached?: true }): void;
  reject(err: unknown): void;
}

interface Queue {
  waiting: Waiting[];
  timer: NodeJS.Timeout | undefined;
  inFlight: number;
}

export class FlashSaleGate {
  private readonly queues = new Map<string, Queue>();
  /** actor id → when the actor last said sold out */
  private readonly soldOut = new Map<string, number>();

  constructor(private readonly opts: FlashSaleGateOptions) {}

  async hold(actorId: string, request: HoldRequest): Promise<HoldResult> {
    let probe = false;
    const since = this.soldOut.get(actorId);
    if (since !== undefined) {
      if (this.fresh(since)) {
        this.opts.attempts?.inc({ outcome: 'sold_out', via: 'cache' });
        return { ok: false, reason: 'sold_out' };
      }
      // this request asks the actor again; the others keep the flag meanwhile
      this.soldOut.set(actorId, Date.now());
      probe = true;
    }
    const { cached, ...result } = await new Promise<HoldResult & { cached?: true }>((resolve, reject) => this.enqueue(actorId, { request, probe, resolve, reject }));
    this.opts.attempts?.inc({ outcome: result.ok ? 'held' : result.reason, via: cached ? 'cache' : 'actor' });
    return result;
  }

  private fresh(since: number): boolean {
    return Date.now() - since < this.opts.soldOutRecheckMs;
  }

  /** Forget the flag (a release gave units back). */
  unitsReturned(actorId: string): void {
    this.soldOut.delete(actorId);
  }

  private enqueue(actorId: string, w: Waiting): void {
    let q = this.queues.get(actorId);
    if (!q) {
      q = { waiting: [], timer: undefined, inFlight: 0 };
      this.queues.set(actorId, q);
    }
    q.waiting.push(w);
    if (q.inFlight >= (this.opts.pipeline ?? 1) || q.timer) return;
    if ((this.opts.maxBatch ?? 500) <= q.waiting.length || this.opts.batchMs === 0) void this.flush(actorId, q);
    else q.timer = setTimeout(() => void this.flush(actorId, q), this.opts.batchMs);
  }

  private async flush(actorId: string, q: Queue): Promise<void> {
    if (q.timer) clearTimeout(q.timer);
    q.timer = undefined;
    // requests that queued while the batch before learnt the sale is sold out: the flag answers them
    const since = this.soldOut.get(actorId);
    if (since !== undefined && this.fresh(since)) {
      for (const w of q.waiting.filter((x) => !x.probe)) w.resolve({ ok: false, reason: 'sold_out', cached: true });
      q.waiting = q.waiting.filter((x) => x.probe);
    }
    const batch = q.waiting.splice(0, this.opts.maxBatch ?? 500);
    if (batch.length === 0) {
      if (q.inFlight === 0) this.queues.delete(actorId);
      return;
    }
    q.inFlight += 1;
    try {
      const started = performance.now();
      const answer = await this.opts.sidecar.invokeActor<HoldAnswer>(FLASH_SALE_ACTOR, actorId, 'hold', { requests: batch.map((w) => w.request) });
      this.opts.turns?.inc();
      this.opts.turnSeconds?.observe((performance.now() - started) / 1000);
      this.opts.batchSize?.observe(batch.length);
      if (answer.remaining === 0) this.soldOut.set(actorId, Date.now());
      else this.soldOut.delete(actorId);
      batch.forEach((w, i) => w.resolve(answer.results[i] ?? { ok: false, reason: 'sold_out' }));
    } catch (err) {
      this.opts.logger.warn({ err, actorId, requests: batch.length }, 'flash-sale hold batch failed');
      for (const w of batch) w.reject(err);
    } finally {
      q.inFlight -= 1;
    }
    // what collected meanwhile goes at once: the wait was the batching (a request may have set a timer meanwhile)
    const timerSet = timerOf(q) !== undefined;
    if (q.waiting.length > 0) {
      if (!timerSet) void this.flush(actorId, q);
    } else if (q.inFlight === 0 && !timerSet) this.queues.delete(actorId);
  }
}

/** Read through a function: the timer changes while a batch is on its way. */
function timerOf(q: Queue): NodeJS.Timeout | undefined {
  return q.timer;
}
