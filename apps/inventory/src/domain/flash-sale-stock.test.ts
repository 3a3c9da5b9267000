import type { ActorContext, ActorState, Logger } from '@emporium/kit';
import { FlashSaleStock, type HoldRequest } from './flash-sale-stock';

/**
 * The actor's rules on their own, over a state that keeps what a turn wrote
 * (the sidecar's transactional write is covered by the kit's actor tests and
 * the platform e2e).
 */
class TurnState implements ActorState {
  readonly stored = new Map<string, unknown>();
  private pending = new Map<string, unknown>();
  writes = 0;
  get<T>(key: string): Promise<T | undefined> {
    const v = this.pending.has(key) ? this.pending.get(key) : this.stored.get(key);
    return Promise.resolve(v === undefined ? undefined : (structuredClone(v) as T));
  }
  set<T>(key: string, value: T): void {
    this.pending.set(key, structuredClone(value));
  }
  remove(key: string): void {
    this.pending.set(key, undefined);
  }
  endTurn(): void {
    if (this.pending.size > 0) this.writes += 1;
    for (const [k, v] of this.pending) {
      if (v === undefined) this.stored.delete(k);
      else this.stored.set(k, v);
    }
    this.pending = new Map();
  }
}

const campaignId = 'c0000000-0000-4000-8000-000000000001';
const skuId = '50000000-0000-4000-8000-000000000001';
const user = (n: number) => `a0000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const T0 = Date.parse('2026-11-11T00:00:00Z');

function setup(quantity = 10, perUserLimit = 2) {
  let now = T0 + 1000;
  const state = new TurnState();
  const reminders: string[] = [];
  const closed: { sold: number }[] = [];
  const ctx: ActorContext = {
    type: 'FlashSaleStock',
    id: `${campaignId}:${skuId}`,
    state,
    reminders: {
      register: (name) => Promise.resolve(void reminders.push(`+${name}`)),
      unregister: (name) => Promise.resolve(void reminders.push(`-${name}`)),
    },
    logger: { info: () => undefined } as unknown as Logger,
  };
  const deps = { close: (_c: string, _s: string, sold: number) => Promise.resolve(void closed.push({ sold })), now: () => now };
  // every call is a new activation over the stored state, as after a restart
  const actor = () => new FlashSaleStock(ctx, deps);
  const turn = async <R>(fn: (a: FlashSaleStock) => Promise<R>): Promise<R> => {
    const r = await fn(actor());
    state.endTurn();
    return r;
  };
  const init = () =>
    turn((a) =>
      a.init({ campaignId, skuId, quantity, perUserLimit, startsAt: new Date(T0).toISOString(), endsAt: new Date(T0 + 3_600_000).toISOString(), holdSeconds: 300, sweepSeconds: 10 }),
    );
  return { state, reminders, closed, turn, init, advance: (ms: number) => (now += ms), at: (t: number) => (now = t) };
}

const req = (u: number, quantity = 1, key = `k${u}-${quantity}-${Math.random()}`): HoldRequest => ({ userId: user(u), quantity, key });

describe('FlashSaleStock', () => {
  it('when many shoppers ask in one turn, then each gets an answer and the turn writes once', async () => {
    const s = setup(3);
    await s.init();
    const writesBefore = s.state.writes;
    const answer = await s.turn((a) => a.hold([req(1, 2), req(2, 1), req(3, 1), req(4, 1)]));
    expect(answer.results.map((r) => (r.ok ? r.quantity : r.reason))).toEqual([2, 1, 'sold_out', 'sold_out']);
    expect(answer.remaining).toBe(0);
    expect(s.state.writes - writesBefore).toBe(1);
  });

  it('when a shopper asks past the per-user limit, over several requests, then the excess is refused', async () => {
    const s = setup(10, 2);
    await s.init();
    const answer = await s.turn((a) => a.hold([req(1), req(1), req(1), req(2, 3)]));
    expect(answer.results.map((r) => (r.ok ? 'held' : r.reason))).toEqual(['held', 'held', 'limit_reached', 'limit_reached']);
    // units bought count against the limit too
    await s.turn((a) => a.attach('order-1', user(1), 2));
    await s.turn((a) => a.confirm('order-1', user(1)));
    expect((await s.turn((a) => a.hold([req(1)]))).results[0]).toEqual({ ok: false, reason: 'limit_reached' });
  });

  it('when a request is retried with its key, then nothing is held twice', async () => {
    const s = setup(10, 5);
    await s.init();
    const first = await s.turn((a) => a.hold([req(1, 2, 'same')]));
    const again = await s.turn((a) => a.hold([req(1, 2, 'same')]));
    expect(again.results[0]).toEqual(first.results[0]);
    expect((await s.turn((a) => a.status()))!.remaining).toBe(8);
  });

  it('when the window is not open, then holds are refused', async () => {
    const s = setup();
    await s.init();
    s.at(T0 - 1);
    expect((await s.turn((a) => a.hold([req(1)]))).results[0]).toEqual({ ok: false, reason: 'not_started' });
    s.at(T0 + 3_600_000);
    expect((await s.turn((a) => a.hold([req(1)]))).results[0]).toEqual({ ok: false, reason: 'ended' });
  });

  it('when holds expire, then the sweep gives their units back and the shopper may hold again', async () => {
    const s = setup(2, 2);
    await s.init();
    await s.turn((a) => a.hold([req(1, 2)]));
    expect((await s.turn((a) => a.hold([req(2)]))).results[0]).toEqual({ ok: false, reason: 'sold_out' });
    s.advance(301_000);
    await s.turn((a) => a.sweep());
    expect(await s.turn((a) => a.status())).toMatchObject({ remaining: 2, held: 0 });
    expect((await s.turn((a) => a.hold([req(2, 2)]))).results[0]).toMatchObject({ ok: true, quantity: 2 });
    expect([...s.state.stored.keys()].filter((k) => k.startsWith('b:'))).toHaveLength(1);
  });

  it('when an order takes held units, then confirm sells them and release gives them back; an order without holds is refused', async () => {
    const s = setup(5, 2);
    await s.init();
    await s.turn((a) => a.hold([req(1, 2), req(2, 1)]));
    expect(await s.turn((a) => a.attach('o1', user(1), 2))).toEqual({ ok: true, quantity: 2 });
    expect(await s.turn((a) => a.attach('o1', user(1), 2))).toEqual({ ok: true, quantity: 2 });
    expect(await s.turn((a) => a.attach('o3', user(3), 1))).toEqual({ ok: false, reason: 'no_hold' });
    expect(await s.turn((a) => a.attach('o2', user(2), 2))).toEqual({ ok: false, reason: 'no_hold' });
    expect(await s.turn((a) => a.attach('o2', user(2), 1))).toEqual({ ok: true, quantity: 1 });
    expect(await s.turn((a) => a.confirm('o1', user(1)))).toEqual({ ok: true, quantity: 2 });
    expect(await s.turn((a) => a.release('o1', user(1)))).toEqual({ ok: false, reason: 'sold' });
    expect(await s.turn((a) => a.release('o2', user(2)))).toEqual({ ok: true, quantity: 1 });
    expect(await s.turn((a) => a.confirm('o2', user(2)))).toEqual({ ok: false, reason: 'not_attached' });
    expect(await s.turn((a) => a.status())).toMatchObject({ remaining: 3, held: 0, attached: 0, sold: 2 });
  });

  it('when the sale is over and nothing is held, then the sweep closes it once with the units sold', async () => {
    const s = setup(5, 2);
    await s.init();
    await s.turn((a) => a.hold([req(1, 2), req(2, 1)]));
    await s.turn((a) => a.attach('o1', user(1), 2));
    await s.turn((a) => a.confirm('o1', user(1)));
    s.at(T0 + 3_600_000 + 1);
    expect(await s.turn((a) => a.sweep())).toBeUndefined();
    expect(s.closed).toEqual([]); // user 2's hold has not expired yet
    s.at(T0 + 3_600_000 + 300_000 + 10_001);
    expect(await s.turn((a) => a.sweep())).toBe('stop');
    expect(await s.turn((a) => a.sweep())).toBe('stop');
    expect(s.closed).toEqual([{ sold: 2 }]);
    expect(s.reminders).toEqual(['+sweep']);
    expect(await s.turn((a) => a.status())).toMatchObject({ closed: true, remaining: 0, sold: 2 });
  });

  it('when 500 shoppers make 2000 attempts for 100 units with a limit of 2, then exactly 100 are held and nobody passes the limit', async () => {
    const s = setup(100, 2);
    await s.init();
    const attempts = Array.from({ length: 2000 }, (_, i) => req(i % 500, 1 + (i % 2)));
    const held = new Map<string, number>();
    for (let i = 0; i < attempts.length; i += 37) {
      const batch = attempts.slice(i, i + 37);
      const answer = await s.turn((a) => a.hold(batch));
      answer.results.forEach((r, j) => {
        if (r.ok) held.set(batch[j]!.userId, (held.get(batch[j]!.userId) ?? 0) + r.quantity);
      });
    }
    expect([...held.values()].reduce((a, b) => a + b, 0)).toBe(100);
    expect(Math.max(...held.values())).toBeLessThanOrEqual(2);
    expect(await s.turn((a) => a.status())).toMatchObject({ remaining: 0, held: 100 });
  });
});
