import { z } from 'zod';
import type { FlashRefusal } from '@emporium/contracts';
import { defineActor, parseWith, type ActorContext } from '@emporium/kit';

/**
 * The FlashSaleStock actor, one per campaign and SKU (id `campaignId:skuId`).
 * Dapr runs one call per actor id at a time, so reservation is serial per
 * sale without locks, and every call's state changes are written in one
 * transaction at its end. Callers batch many shoppers' requests into one
 * `hold` call, so one durable write carries many reservations.
 *
 * Units move remaining → held (a shopper's hold, minutes) → attached (an
 * order's reservation) → sold (paid); holds and attached units go back to
 * remaining when they expire or the order is cancelled. A shopper never has
 * more than the per-user limit held, attached and sold together.
 *
 * State keys: `sale` (counters and terms), `u:<userId>` (one shopper), and
 * `b:<bucket>` (who has holds expiring in that time bucket, for the sweep).
 */
export const FLASH_SALE_ACTOR = 'FlashSaleStock';
export const flashActorId = (campaignId: string, skuId: string) => `${campaignId}:${skuId}`;

const BUCKET_MS = 10_000;

export const InitInput = z
  .object({
    campaignId: z.uuid(),
    skuId: z.uuid(),
    quantity: z.number().int().min(1),
    perUserLimit: z.number().int().min(1),
    startsAt: z.iso.datetime(),
    endsAt: z.iso.datetime(),
    holdSeconds: z.number().int().min(1),
    sweepSeconds: z.number().int().min(1),
  })
  .strict();
export type InitInput = z.infer<typeof InitInput>;

export const HoldInput = z
  .object({
    requests: z
      .array(z.object({ userId: z.uuid(), quantity: z.number().int().min(1).max(100), key: z.string().min(1).max(300) }).strict())
      .min(1)
      .max(1_000),
  })
  .strict();
export type HoldRequest = z.infer<typeof HoldInput>['requests'][number];

export const OrderInput = z.object({ orderId: z.string().min(1).max(100), userId: z.uuid(), quantity: z.number().int().min(1).optional() }).strict();

export type HoldResult = { ok: true; quantity: number; holding: number; expiresAt: number } | { ok: false; reason: FlashRefusal };
export interface HoldAnswer {
  results: HoldResult[];
  remaining: number;
}
export type OrderAnswer = { ok: true; quantity: number } | { ok: false; reason: 'no_hold' | 'not_attached' | 'sold' | 'unknown_sale' };

export interface SaleStatus {
  campaignId: string;
  skuId: string;
  quantity: number;
  remaining: number;
  held: number;
  attached: number;
  sold: number;
  startsAt: string;
  endsAt: string;
  closed: boolean;
}

interface Sale {
  campaignId: string;
  skuId: string;
  quantity: number;
  perUserLimit: number;
  startsMs: number;
  endsMs: number;
  holdMs: number;
  remaining: number;
  held: number;
  attached: number;
  sold: number;
  /** time bucket → how many parts (`b:<bucket>:<part>`, who holds units expiring in it) */
  buckets: Record<number, number>;
  closed: boolean;
}

interface Shopper {
  holds: { q: number; exp: number }[];
  orders: Record<string, { q: number; s: 'attached' | 'sold' }>;
  /** answers to recent hold requests by key, so a retried request holds nothing twice */
  keys: Record<string, { q: number; exp: number }>;
}

const MAX_KEYS = 20;

export interface FlashSaleStockDeps {
  /** The sale is over and settled: give unsold units back to the SKU's stock (idempotent by campaign). */
  close(campaignId: string, skuId: string, sold: number): Promise<void>;
  now?: () => number;
}

export class FlashSaleStock {
  private readonly now: () => number;
  constructor(
    private readonly ctx: ActorContext,
    private readonly deps: FlashSaleStockDeps,
  ) {
    this.now = deps.now ?? Date.now;
  }

  private sale(): Promise<Sale | undefined> {
    return this.ctx.state.get<Sale>('sale');
  }

  private async shopper(userId: string): Promise<Shopper> {
    return (await this.ctx.state.get<Shopper>(`u:${userId}`)) ?? { holds: [], orders: {}, keys: {} };
  }

  private used(s: Shopper): number {
    return s.holds.reduce((n, h) => n + h.q, 0) + Object.values(s.orders).reduce((n, o) => n + o.q, 0);
  }

  /** Gives back the shopper's holds that expired; answers whether anything changed. */
  private expireHolds(sale: Sale, s: Shopper, now: number): boolean {
    const live = s.holds.filter((h) => h.exp > now);
    if (live.length === s.holds.length) return false;
    const back = s.holds.reduce((n, h) => n + h.q, 0) - live.reduce((n, h) => n + h.q, 0);
    s.holds = live;
    sale.remaining += back;
    sale.held -= back;
    return true;
  }

  async init(input: InitInput): Promise<SaleStatus> {
    const existing = await this.sale();
    if (existing) return this.statusOf(existing);
    const sale: Sale = {
      campaignId: input.campaignId,
      skuId: input.skuId,
      quantity: input.quantity,
      perUserLimit: input.perUserLimit,
      startsMs: Date.parse(input.startsAt),
      endsMs: Date.parse(input.endsAt),
      holdMs: input.holdSeconds * 1000,
      remaining: input.quantity,
      held: 0,
      attached: 0,
      sold: 0,
      buckets: {},
      closed: false,
    };
    this.ctx.state.set('sale', sale);
    // until the sale is closed: expired holds go back, and after the end the rest goes back to stock
    await this.ctx.reminders.register('sweep', `${input.sweepSeconds}s`, null, `${input.sweepSeconds}s`);
    return this.statusOf(sale);
  }

  /** Many shoppers' requests in one turn, in arrival order; one state write for all. */
  async hold(requests: HoldRequest[]): Promise<HoldAnswer> {
    const sale = await this.sale();
    if (!sale) return { results: requests.map(() => ({ ok: false, reason: 'ended' })), remaining: 0 };
    const now = this.now();
    const shoppers = new Map<string, Shopper>();
    await Promise.all([...new Set(requests.map((r) => r.userId))].map(async (u) => shoppers.set(u, await this.shopper(u))));
    const touched = new Set<string>();
    const bucketAdds = new Map<number, Set<string>>();
    const results = requests.map((r): HoldResult => {
      const s = shoppers.get(r.userId)!;
      const known = s.keys[r.key];
      if (known) return { ok: true, quantity: known.q, holding: s.holds.reduce((n, h) => n + h.q, 0), expiresAt: known.exp };
      if (sale.closed || now >= sale.endsMs) return { ok: false, reason: 'ended' };
      if (now < sale.startsMs) return { ok: false, reason: 'not_started' };
      if (this.expireHolds(sale, s, now)) touched.add(r.userId);
      if (this.used(s) + r.quantity > sale.perUserLimit) return { ok: false, reason: 'limit_reached' };
      if (sale.remaining < r.quantity) return { ok: false, reason: 'sold_out' };
      const exp = now + sale.holdMs;
      // holds within a second of each other are one entry (the earlier units live that much longer)
      const last = s.holds.at(-1);
      if (last && exp - last.exp < 1000) {
        last.q += r.quantity;
        last.exp = exp;
      } else s.holds.push({ q: r.quantity, exp });
      s.keys[r.key] = { q: r.quantity, exp };
      if (Object.keys(s.keys).length > MAX_KEYS) s.keys = Object.fromEntries(Object.entries(s.keys).slice(-MAX_KEYS));
      sale.remaining -= r.quantity;
      sale.held += r.quantity;
      touched.add(r.userId);
      const bucket = Math.floor(exp / BUCKET_MS);
      if (!bucketAdds.has(bucket)) bucketAdds.set(bucket, new Set());
      bucketAdds.get(bucket)!.add(r.userId);
      return { ok: true, quantity: r.quantity, holding: s.holds.reduce((n, h) => n + h.q, 0), expiresAt: exp };
    });
    // each turn adds a small part to its expiry bucket instead of rewriting the bucket's whole list
    for (const [bucket, users] of bucketAdds) {
      const parts = sale.buckets[bucket] ?? 0;
      this.ctx.state.set(`b:${bucket}:${parts}`, [...users]);
      sale.buckets[bucket] = parts + 1;
    }
    for (const u of touched) this.ctx.state.set(`u:${u}`, shoppers.get(u)!);
    if (touched.size > 0) this.ctx.state.set('sale', sale);
    return { results, remaining: sale.remaining };
  }

  /** Checkout: the order takes `quantity` of the shopper's held units. Again for the same order answers the same. */
  async attach(orderId: string, userId: string, quantity: number): Promise<OrderAnswer> {
    const sale = await this.sale();
    if (!sale) return { ok: false, reason: 'unknown_sale' };
    const s = await this.shopper(userId);
    const existing = s.orders[orderId];
    if (existing) return { ok: true, quantity: existing.q };
    const now = this.now();
    const expired = this.expireHolds(sale, s, now);
    const holding = s.holds.reduce((n, h) => n + h.q, 0);
    if (holding < quantity) {
      if (expired) {
        this.ctx.state.set(`u:${userId}`, s);
        this.ctx.state.set('sale', sale);
      }
      return { ok: false, reason: 'no_hold' };
    }
    let need = quantity;
    const holds = [...s.holds].sort((a, b) => a.exp - b.exp);
    for (const h of holds) {
      const take = Math.min(h.q, need);
      h.q -= take;
      need -= take;
      if (need === 0) break;
    }
    s.holds = holds.filter((h) => h.q > 0);
    s.orders[orderId] = { q: quantity, s: 'attached' };
    sale.held -= quantity;
    sale.attached += quantity;
    this.ctx.state.set(`u:${userId}`, s);
    this.ctx.state.set('sale', sale);
    return { ok: true, quantity };
  }

  /** Paid: the order's units are sold. */
  async confirm(orderId: string, userId: string): Promise<OrderAnswer> {
    const sale = await this.sale();
    if (!sale) return { ok: false, reason: 'unknown_sale' };
    const s = await this.shopper(userId);
    const o = s.orders[orderId];
    if (!o) return { ok: false, reason: 'not_attached' };
    if (o.s === 'attached') {
      o.s = 'sold';
      sale.attached -= o.q;
      sale.sold += o.q;
      this.ctx.state.set(`u:${userId}`, s);
      this.ctx.state.set('sale', sale);
    }
    return { ok: true, quantity: o.q };
  }

  /** Cancelled or expired unpaid: the order's units go back to the sale. Sold units stay sold. */
  async release(orderId: string, userId: string): Promise<OrderAnswer> {
    const sale = await this.sale();
    if (!sale) return { ok: false, reason: 'unknown_sale' };
    const s = await this.shopper(userId);
    const o = s.orders[orderId];
    if (!o) return { ok: true, quantity: 0 };
    if (o.s === 'sold') return { ok: false, reason: 'sold' };
    s.orders = Object.fromEntries(Object.entries(s.orders).filter(([id]) => id !== orderId));
    sale.attached -= o.q;
    sale.remaining += sale.closed ? 0 : o.q;
    this.ctx.state.set(`u:${userId}`, s);
    this.ctx.state.set('sale', sale);
    return { ok: true, quantity: o.q };
  }

  async status(): Promise<SaleStatus | null> {
    const sale = await this.sale();
    return sale ? this.statusOf(sale) : null;
  }

  /**
   * The reminder: give back expired holds; once the sale is over and settled,
   * the rest goes back to stock. Answers 'stop' when there is nothing left to
   * do, which ends the recurring reminder.
   */
  async sweep(): Promise<'stop' | undefined> {
    const sale = await this.sale();
    if (!sale || sale.closed) return 'stop';
    const now = this.now();
    let swept = false;
    for (const bucket of Object.keys(sale.buckets).map(Number).filter((b) => b * BUCKET_MS <= now)) {
      const keys = Array.from({ length: sale.buckets[bucket] ?? 0 }, (_, part) => `b:${bucket}:${part}`);
      const users = new Set<string>();
      for (const key of keys) for (const u of (await this.ctx.state.get<string[]>(key)) ?? []) users.add(u);
      const inBucket = (h: { exp: number }) => Math.floor(h.exp / BUCKET_MS) === bucket;
      const waiting: string[] = [];
      for (const userId of users) {
        const s = await this.shopper(userId);
        if (this.expireHolds(sale, s, now)) this.ctx.state.set(`u:${userId}`, s);
        if (s.holds.some(inBucket)) waiting.push(userId);
      }
      for (const key of keys) this.ctx.state.remove(key);
      if (waiting.length === 0) sale.buckets = Object.fromEntries(Object.entries(sale.buckets).filter(([b]) => Number(b) !== bucket));
      else {
        this.ctx.state.set(`b:${bucket}:0`, waiting);
        sale.buckets[bucket] = 1;
      }
      swept = true;
    }
    if (swept) this.ctx.state.set('sale', sale);
    if (now >= sale.endsMs + sale.holdMs && sale.held === 0 && sale.attached === 0) {
      await this.deps.close(sale.campaignId, sale.skuId, sale.sold);
      sale.closed = true;
      sale.remaining = 0;
      this.ctx.state.set('sale', sale);
      this.ctx.logger.info({ campaignId: sale.campaignId, sold: sale.sold, returned: sale.quantity - sale.sold }, 'flash sale closed');
      return 'stop';
    }
    return undefined;
  }

  private statusOf(sale: Sale): SaleStatus {
    return {
      campaignId: sale.campaignId,
      skuId: sale.skuId,
      quantity: sale.quantity,
      remaining: sale.remaining,
      held: sale.held,
      attached: sale.attached,
      sold: sale.sold,
      startsAt: new Date(sale.startsMs).toISOString(),
      endsAt: new Date(sale.endsMs).toISOString(),
      closed: sale.closed,
    };
  }
}

export function flashSaleStockActor(deps: FlashSaleStockDeps) {
  const order = (body: unknown) => parseWith(OrderInput, body);
  return defineActor<FlashSaleStock>({
    type: FLASH_SALE_ACTOR,
    create: (ctx) => new FlashSaleStock(ctx, deps),
    methods: {
      init: (a, body) => a.init(parseWith(InitInput, body)),
      hold: (a, body) => a.hold(parseWith(HoldInput, body).requests),
      attach: (a, body) => {
        const o = order(body);
        return a.attach(o.orderId, o.userId, o.quantity ?? 1);
      },
      confirm: (a, body) => {
        const o = order(body);
        return a.confirm(o.orderId, o.userId);
      },
      release: (a, body) => {
        const o = order(body);
        return a.release(o.orderId, o.userId);
      },
      status: (a) => a.status(),
    },
    onReminder: async (a, name) => (name === 'sweep' ? a.sweep() : 'stop'),
  });
}
