import type { Redis } from 'ioredis';

/**
 * Rate limiting at the gateway, per client, by GCRA (the generic cell rate
 * algorithm: a token bucket kept as one timestamp, the "theoretical arrival
 * time"). A client may send `burst` requests at once and `perSecond` on
 * average. With Redis the timestamp is shared, so N web replicas allow a
 * client what one would; Redis's clock decides, so replicas' clocks do not
 * matter. Without Redis (the embedded profile) each process counts alone.
 *
 * Dapr's state API has no atomic read-modify-write cheaper than an ETag round
 * trip per request, which is why this one counter talks to Redis directly
 * (decision 0011); catalog's product cache does the same.
 */
export interface RateLimitOptions {
  /** sustained requests per second per client; 0 turns limiting off */
  perSecond: number;
  /** how many may come at once after a quiet spell */
  burst: number;
}

export type Verdict = { ok: true; remaining: number } | { ok: false; retryAfterSeconds: number };

export interface RateLimiter {
  readonly enabled: boolean;
  take(client: string): Promise<Verdict>;
  close(): Promise<void>;
}

/** One GCRA step. `tat` is when the client's bucket is full again (ms); answers the verdict and the new tat. */
export function gcra(tat: number | undefined, now: number, o: RateLimitOptions): { verdict: Verdict; tat: number } {
  const interval = 1000 / o.perSecond;
  const tolerance = interval * o.burst;
  const base = Math.max(tat ?? now, now);
  const next = base + interval;
  if (next - now > tolerance) return { verdict: { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((next - now - tolerance) / 1000)) }, tat: base };
  return { verdict: { ok: true, remaining: Math.floor((tolerance - (next - now)) / interval) }, tat: next };
}

/** Counted in this process: the least recently seen clients are forgotten past `maxClients`. */
export class MemoryRateLimiter implements RateLimiter {
  private readonly tats = new Map<string, number>();
  constructor(
    private readonly o: RateLimitOptions,
    private readonly maxClients = 100_000,
    private readonly clock: () => number = Date.now,
  ) {}

  get enabled(): boolean {
    return this.o.perSecond > 0;
  }

  takeNow(client: string): Verdict {
    if (!this.enabled) return { ok: true, remaining: Infinity };
    const { verdict, tat } = gcra(this.tats.get(client), this.clock(), this.o);
    // re-inserted on every request, so the map's order is least recently seen first
    this.tats.delete(client);
    this.tats.set(client, tat);
    if (this.tats.size > this.maxClients) this.tats.delete(this.tats.keys().next().value!);
    return verdict;
  }

  take(client: string): Promise<Verdict> {
    return Promise.resolve(this.takeNow(client));
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

/** The same step in Redis, atomic: `{1, remaining}` or `{0, retry-after seconds}`. Redis's TIME is the clock. */
const GCRA_LUA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local interval = tonumber(ARGV[1])
local tolerance = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then tat = now end
local nxt = tat + interval
if nxt - now > tolerance then
  return {0, math.max(1, math.ceil((nxt - now - tolerance) / 1000))}
end
redis.call('SET', KEYS[1], tostring(nxt), 'PX', math.ceil(nxt - now) + 1000)
return {1, math.floor((tolerance - (nxt - now)) / interval)}
`;

type GcraRedis = Redis & { gcra(key: string, interval: number, tolerance: number): Promise<[number, number]> };

/**
 * Shared through Redis. Every request is also counted in this process, so
 * when Redis does not answer in `timeoutMs` (down, or slow under a flood)
 * the replica falls back to a bucket that already holds what the client
 * spent here: a client cannot win a fresh burst by making the gateway slow.
 * The limit fails open to a smaller scope, the gateway never fails shut; the
 * change is logged, at most every 30 s.
 */
export class RedisRateLimiter implements RateLimiter {
  private readonly redis: GcraRedis;
  private readonly local: MemoryRateLimiter;
  private degraded = false;
  private loggedAt = 0;

  constructor(
    redis: Redis,
    private readonly o: RateLimitOptions,
    private readonly prefix: string,
    private readonly log: (msg: string, err?: unknown) => void,
    private readonly timeoutMs = 250,
  ) {
    redis.defineCommand('gcra', { numberOfKeys: 1, lua: GCRA_LUA });
    this.redis = redis as GcraRedis;
    this.local = new MemoryRateLimiter(o);
  }

  get enabled(): boolean {
    return this.o.perSecond > 0;
  }

  private say(degraded: boolean, err?: unknown): void {
    if (degraded === this.degraded) return;
    this.degraded = degraded;
    if (Date.now() - this.loggedAt < 30_000) return;
    this.loggedAt = Date.now();
    this.log(degraded ? 'rate limit: Redis does not answer; this replica counts alone until it does' : 'rate limit: Redis answers again; counting across replicas', err);
  }

  async take(client: string): Promise<Verdict> {
    if (!this.enabled) return { ok: true, remaining: Infinity };
    const local = this.local.takeNow(client);
    const interval = 1000 / this.o.perSecond;
    let timer: NodeJS.Timeout | undefined;
    try {
      const [ok, n] = await Promise.race([
        this.redis.gcra(`${this.prefix}${client}`, interval, interval * this.o.burst),
        new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`Redis did not answer in ${this.timeoutMs} ms`)), this.timeoutMs))),
      ]);
      this.say(false);
      return ok === 1 ? { ok: true, remaining: n } : { ok: false, retryAfterSeconds: n };
    } catch (err) {
      this.say(true, err);
      return local;
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    if (this.redis.status === 'ready') await this.redis.quit().catch(() => undefined);
    else this.redis.disconnect();
  }
}
