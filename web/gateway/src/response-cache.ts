/**
 * A shared cache at the front door for what the services say anyone may
 * keep: an answer to a GET without credentials that came back 200 with
 * `Cache-Control: public, max-age=N` is kept for N seconds (at most
 * `maxSeconds`) and given to the same request again, with `Age`. The
 * storefront's most read answers (a product, a category's page) then cost
 * the gateway and not web's sidecar, catalog's sidecar and catalog for each
 * shopper: a campaign's landing product asked a thousand times a second is
 * asked of catalog about once per `max-age`. Identical requests that arrive
 * while one is being fetched wait for it.
 *
 * Neither kept nor given: a request with `Authorization`, a cart token,
 * `If-None-Match` or a cookie (a company buyer sees its own prices), or one
 * asking for a fresh answer (`Cache-Control: no-cache`, `Pragma: no-cache`).
 * Never kept: an answer that says `private`, `no-store`, `no-cache` or
 * varies on anything but the language and the format, or one larger than a
 * sixteenth of the room. The key holds the path, the query, `Accept` and
 * `Accept-Language`. Bounded by bytes, least recently used out first;
 * expired answers are dropped every second while any are kept.
 */
export interface CachedAnswer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  /** when it was fetched (ms) */
  at: number;
  /** how long it may be given (ms) */
  ttlMs: number;
}

/** Request headers that make an answer one client's own. */
const personal = ['authorization', 'x-cart-token', 'if-none-match', 'cookie'];

export class ResponseCache {
  private readonly entries = new Map<string, CachedAnswer>();
  private readonly pending = new Map<string, Promise<CachedAnswer | undefined>>();
  private bytes = 0;
  private sweep: NodeJS.Timeout | undefined;
  hits = 0;
  misses = 0;

  constructor(
    private readonly maxSeconds: number,
    private readonly maxBytes: number,
    private readonly clock: () => number = Date.now,
  ) {}

  get enabled(): boolean {
    return this.maxSeconds > 0 && this.maxBytes > 0;
  }

  /** The key of a request whose answer may be shared, or undefined when it may not be. */
  keyOf(method: string, pathAndQuery: string, headers: Record<string, string | string[] | undefined>): string | undefined {
    if (!this.enabled || method !== 'GET') return undefined;
    if (personal.some((h) => headers[h] !== undefined)) return undefined;
    // a client that asks for a fresh answer gets one (and does not refresh what others are given)
    const cc = headers['cache-control'];
    const pragma = headers.pragma;
    if ((typeof cc === 'string' && /no-cache|no-store|max-age=0/i.test(cc)) || (typeof pragma === 'string' && /no-cache/i.test(pragma))) return undefined;
    const one = (h: string) => {
      const v = headers[h];
      return typeof v === 'string' ? v : '';
    };
    return `${pathAndQuery}\n${one('accept')}\n${one('accept-language')}`;
  }

  /** How long an answer may be kept (ms), from its status and headers; 0: not at all. */
  ttlOf(status: number, headers: Record<string, string | string[] | undefined>): number {
    if (status !== 200) return 0;
    const cc = headers['cache-control'];
    if (typeof cc !== 'string') return 0;
    const directives = cc.toLowerCase().split(',').map((d) => d.trim());
    if (!directives.includes('public') || directives.some((d) => d === 'private' || d === 'no-store' || d === 'no-cache')) return 0;
    const vary = headers.vary;
    if (vary !== undefined && (typeof vary !== 'string' || vary.split(',').some((v) => !['accept', 'accept-language', 'accept-encoding'].includes(v.trim().toLowerCase())))) return 0;
    const age = directives.map((d) => /^(?:s-maxage|max-age)=(\d+)$/.exec(d)).find((m) => m !== null);
    if (!age) return 0;
    return Math.min(Number(age[1]), this.maxSeconds) * 1000;
  }

  /** A kept answer still fresh, or the one being fetched for the same key. */
  async lookup(key: string): Promise<CachedAnswer | undefined> {
    const hit = this.entries.get(key);
    if (hit && this.clock() - hit.at < hit.ttlMs) {
      this.hits++;
      // most recently used goes last
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit;
    }
    const waiting = this.pending.get(key);
    if (waiting) {
      const answer = await waiting;
      if (answer) this.hits++;
      return answer;
    }
    return undefined;
  }

  /**
   * Marks `key` as being fetched: identical requests wait for `settled` (the answer if it could be
   * kept, else undefined, and each then asks on its own).
   */
  begin(key: string, settled: Promise<CachedAnswer | undefined>): void {
    this.misses++;
    this.pending.set(key, settled);
    void settled.finally(() => {
      if (this.pending.get(key) === settled) this.pending.delete(key);
    });
  }

  /** Whether an answer of this size is ever kept. */
  fits(bytes: number): boolean {
    return bytes <= this.maxBytes / 16;
  }

  /** Keeps an answer; false when it is too large to be kept. */
  put(key: string, answer: CachedAnswer): boolean {
    const size = sizeOf(key, answer);
    if (!this.fits(answer.body.length)) return false;
    const old = this.entries.get(key);
    if (old) {
      this.bytes -= sizeOf(key, old);
      this.entries.delete(key);
    }
    this.entries.set(key, answer);
    this.bytes += size;
    for (const [k, v] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(k);
      this.bytes -= sizeOf(k, v);
    }
    this.scheduleSweep();
    return true;
  }

  get size(): number {
    return this.entries.size;
  }

  get storedBytes(): number {
    return this.bytes;
  }

  private scheduleSweep(): void {
    if (this.sweep) return;
    this.sweep = setTimeout(() => {
      this.sweep = undefined;
      const now = this.clock();
      for (const [k, v] of this.entries) {
        if (now - v.at < v.ttlMs) continue;
        this.entries.delete(k);
        this.bytes -= sizeOf(k, v);
      }
      if (this.entries.size > 0) this.scheduleSweep();
    }, 1_000);
    // a kept answer never holds the process open
    this.sweep.unref();
  }
}

function sizeOf(key: string, a: CachedAnswer): number {
  return key.length * 2 + a.body.length + 200;
}
