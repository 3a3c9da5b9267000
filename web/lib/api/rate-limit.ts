import { createHash } from 'node:crypto';

/**
 * Rate limiting per client at the gateway: a token bucket per client, kept in
 * this process. A client is its bearer token when it sends one, else its
 * address (the first X-Forwarded-For hop the ingress set, else X-Real-IP).
 * Each web replica counts on its own, so N replicas let a client through N
 * times as often; a shared limiter (Redis) is the step after this one.
 */
export interface RateLimitOptions {
  /** sustained requests per second per client; 0 turns limiting off */
  perSecond: number;
  /** how many may come at once after a quiet spell */
  burst: number;
  /** at most this many clients are tracked; the least recently seen go first */
  maxClients?: number;
}

export type Verdict = { ok: true; remaining: number } | { ok: false; retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  at: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  constructor(private readonly opts: RateLimitOptions) {}

  get enabled(): boolean {
    return this.opts.perSecond > 0;
  }

  take(client: string, now = Date.now()): Verdict {
    if (!this.enabled) return { ok: true, remaining: Infinity };
    const { perSecond, burst } = this.opts;
    const b = this.buckets.get(client) ?? { tokens: burst, at: now };
    b.tokens = Math.min(burst, b.tokens + ((now - b.at) / 1000) * perSecond);
    b.at = now;
    // re-inserted on every request, so the map's order is least recently seen first
    this.buckets.delete(client);
    this.buckets.set(client, b);
    if (this.buckets.size > (this.opts.maxClients ?? 100_000)) this.buckets.delete(this.buckets.keys().next().value!);
    if (b.tokens < 1) return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - b.tokens) / perSecond)) };
    b.tokens -= 1;
    return { ok: true, remaining: Math.floor(b.tokens) };
  }
}

/** Who the client is: its token (hashed, never kept) or its address. */
export function clientOf(headers: Headers): string {
  const auth = headers.get('authorization');
  if (auth?.startsWith('Bearer ')) return `token:${createHash('sha256').update(auth.slice(7)).digest('base64url').slice(0, 22)}`;
  const address = headers.get('x-forwarded-for')?.split(',')[0]?.trim() ?? headers.get('x-real-ip') ?? 'unknown';
  return `address:${address}`;
}
