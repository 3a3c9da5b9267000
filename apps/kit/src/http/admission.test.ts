import express from 'express';
import request from 'supertest';
import { admit, AdmissionControl } from './admission';
import { createApp } from './create-app';
import { Metrics } from './metrics';
import { createLogger } from '../logger';

const logger = createLogger({ service: 'test', level: 'silent' });

/** A control on a clock the test moves. */
function control(opts: { targetMs?: number; initialLimit?: number; minLimit?: number; maxLimit?: number; random?: () => number } = {}) {
  let t = 0;
  const c = new AdmissionControl({ name: 'checkout', targetMs: opts.targetMs ?? 1000, initialLimit: opts.initialLimit ?? 4, minLimit: opts.minLimit ?? 2, maxLimit: opts.maxLimit ?? 64, now: () => t, random: opts.random ?? (() => 0) });
  return { c, advance: (ms: number) => (t += ms) };
}

describe('admission control', () => {
  it('when the limit is reached, then the next request is refused until one ends', () => {
    const { c } = control({ initialLimit: 2 });
    const a = c.enter();
    const b = c.enter();
    expect(a && b).toBeTruthy();
    expect(c.enter()).toBeUndefined();
    expect(c.refused).toBe(1);
    a!.done();
    a!.done(); // a second done changes nothing
    expect(c.inFlight).toBe(1);
    expect(c.enter()).toBeDefined();
  });

  it('when answers are slower than the target, then the limit shrinks, once per target interval, never below the floor', () => {
    const { c, advance } = control({ initialLimit: 16, minLimit: 3 });
    const tickets = Array.from({ length: 8 }, () => c.enter()!);
    advance(1500);
    for (const t of tickets) t.done(); // one congested spell: cut once
    expect(c.limit).toBe(12);
    for (let i = 0; i < 20; i++) {
      const t = c.enter()!;
      advance(1500);
      t.done();
    }
    expect(c.limit).toBe(3);
    expect(c.retryAfterSeconds()).toBe(1); // three places, 1.5 s each: one frees every half second
  });

  it('when a fresh control gets quick answers, then its limit doubles per round of them until the first slow answer, and grows by about one a round after it', () => {
    const { c, advance } = control({ initialLimit: 4, maxLimit: 64 });
    const round = (ms: number) => {
      const tickets = Array.from({ length: c.limit }, () => c.enter()!);
      advance(ms);
      for (const t of tickets) t.done();
    };
    round(100);
    expect(c.limit).toBe(8);
    round(100);
    expect(c.limit).toBe(16);
    round(1500); // slow: cut by a quarter, and slow start is over
    expect(c.limit).toBe(12);
    advance(1000);
    round(100); // one per round, until the round's last quick answer ends the slow spell (see below)
    expect(c.limit).toBe(13);
  });

  it('when a whole round of answers is quick again after a slow spell, then the limit doubles again', () => {
    const { c, advance } = control({ initialLimit: 8, minLimit: 4, maxLimit: 64 });
    for (let i = 0; i < 6; i++) {
      const tickets = Array.from({ length: c.limit }, () => c.enter()!);
      advance(1500); // a peer was down: every answer slow
      for (const t of tickets) t.done();
    }
    expect(c.limit).toBe(4);
    const round = () => {
      const tickets = Array.from({ length: c.limit }, () => c.enter()!);
      advance(100);
      for (const t of tickets) t.done();
    };
    round(); // the first quick round: the congestion is over
    expect(c.limit).toBe(5);
    round();
    round();
    expect(c.limit).toBeGreaterThanOrEqual(16); // about doubled per round (5 → 10 → 19)
  });

  it('when refused clients are told to come back, then each hears when a place frees up (answer time / limit) and up to half as much again, so they spread', () => {
    let r = 0;
    const { c, advance } = control({ initialLimit: 1, random: () => r });
    const t = c.enter()!;
    advance(3600);
    t.done(); // answered in 3.6 s with two places (the floor): one frees every 1.8 s, so come back in 2 or 3 s
    expect(c.limit).toBe(2);
    const heard = [0, 0.34, 0.67, 0.99].map((x) => ((r = x), c.retryAfterSeconds()));
    expect(heard).toEqual([2, 2, 3, 3]);
  });

  it('when answers are quick and the limit is in use, then it grows by about one per limit answers, up to the ceiling', () => {
    const { c, advance } = control({ initialLimit: 4, maxLimit: 6 });
    c.enter()!.done(); // nothing slow seen yet: the first cut
    for (let round = 0; round < 40; round++) {
      const tickets = Array.from({ length: c.limit }, () => c.enter()!);
      advance(100);
      for (const t of tickets) t.done();
    }
    expect(c.limit).toBe(6);
  });

  it('when answers are quick but the limit is hardly used, then it does not grow', () => {
    const { c, advance } = control({ initialLimit: 8 });
    for (let i = 0; i < 100; i++) {
      const t = c.enter()!;
      advance(10);
      t.done();
    }
    expect(c.limit).toBe(8);
  });

  it('when the middleware refuses, then the answer is 503 overloaded with Retry-After, the handler never runs, and the metrics say so', async () => {
    const { c } = control({ initialLimit: 2, minLimit: 1 });
    const metrics = new Metrics('test');
    const router = express.Router();
    let ran = 0;
    const release: (() => void)[] = [];
    router.post('/checkout', admit(c, { metrics, logger }), async (_req, res) => {
      ran++;
      await new Promise<void>((r) => release.push(r));
      res.status(202).json({ ok: true });
    });
    const app = createApp({ logger, routes: [router] });
    const server = app.listen(0);
    try {
      const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/checkout`;
      const slow = [fetch(url, { method: 'POST' }), fetch(url, { method: 'POST' })];
      while (ran < 2) await new Promise((r) => setTimeout(r, 5));
      const refused = await request(server).post('/checkout').send({});
      expect(refused.status).toBe(503);
      expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(refused.body.code).toBe('overloaded');
      expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(ran).toBe(2);
      for (const r of release) r();
      expect((await Promise.all(slow)).map((r) => r.status)).toEqual([202, 202]);
      // both answered: their slots are free again
      for (let i = 0; i < 100 && c.inFlight > 0; i++) await new Promise((r) => setTimeout(r, 5));
      expect(c.inFlight).toBe(0);
      const text = await metrics.registry.metrics();
      expect(text).toMatch(/admission_refused_total\{operation="checkout",service="test"\} 1/);
      // two quick answers of a full limit: slow start doubled it
      expect(text).toMatch(/admission_limit\{operation="checkout",service="test"\} 4/);
    } finally {
      for (const r of release) r();
      server.close();
    }
  });
});
