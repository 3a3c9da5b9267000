/**
 * Answers of searches and suggestions, kept as the JSON sent for a few
 * seconds: storefront traffic asks the same few queries over and over (the
 * home page's, a campaign's, what everyone types first), and each costs a
 * statement that counts every facet over every match. Identical queries
 * asked while one is being answered wait for that answer instead of asking
 * again. Bounded by bytes, least recently used out first; `ttlMs` 0 turns it
 * off. An answer may be up to `ttlMs` old: a product published, sold out or
 * of a shop just suspended shows (or goes) that much later. Answers past
 * their time are dropped every `ttlMs` while any are kept, so a quiet replica
 * does not hold the last busy minute's answers (up to the byte bound) for good.
 */
export class AnswerCache {
  private readonly entries = new Map<string, { body: string; at: number }>();
  private readonly pending = new Map<string, Promise<string>>();
  private bytes = 0;
  /** moves on with each clear(): an answer begun before it is neither kept nor shared after it */
  private generation = 0;
  private sweep: NodeJS.Timeout | undefined;
  hits = 0;
  misses = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly maxBytes: number,
  ) {}

  async get(key: string, answer: () => Promise<unknown>): Promise<string> {
    if (this.ttlMs <= 0) return JSON.stringify(await answer());
    const hit = this.entries.get(key);
    if (hit && Date.now() - hit.at < this.ttlMs) {
      this.hits++;
      // most recently used goes last
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit.body;
    }
    const waiting = this.pending.get(key);
    if (waiting) {
      this.hits++;
      return waiting;
    }
    this.misses++;
    const at = Date.now();
    const generation = this.generation;
    const body = (async () => JSON.stringify(await answer()))();
    this.pending.set(key, body);
    try {
      const text = await body;
      if (generation === this.generation) this.put(key, text, at);
      return text;
    } finally {
      if (this.pending.get(key) === body) this.pending.delete(key);
    }
  }

  /** Forgets every answer (synonyms changed: the same words now find more), and those being worked out now. */
  clear(): void {
    this.generation++;
    this.entries.clear();
    this.pending.clear();
    this.bytes = 0;
  }

  /** How many answers are kept now (expired ones not yet dropped included). */
  get size(): number {
    return this.entries.size;
  }

  private dropExpired(): void {
    const now = Date.now();
    for (const [k, v] of this.entries) {
      if (now - v.at < this.ttlMs) continue;
      this.entries.delete(k);
      this.bytes -= (k.length + v.body.length) * 2;
    }
  }

  private scheduleSweep(): void {
    if (this.sweep) return;
    this.sweep = setTimeout(() => {
      this.sweep = undefined;
      this.dropExpired();
      if (this.entries.size > 0) this.scheduleSweep();
    }, this.ttlMs);
    // a kept answer never holds the process open
    this.sweep.unref();
  }

  private put(key: string, body: string, at: number): void {
    const size = (key.length + body.length) * 2;
    // one answer may take half the room at most (a huge one would empty the cache for itself)
    if (size > this.maxBytes / 2) return;
    const old = this.entries.get(key);
    if (old) {
      this.bytes -= (key.length + old.body.length) * 2;
      this.entries.delete(key);
    }
    this.entries.set(key, { body, at });
    this.bytes += size;
    this.scheduleSweep();
    for (const [k, v] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(k);
      this.bytes -= (k.length + v.body.length) * 2;
    }
  }
}
