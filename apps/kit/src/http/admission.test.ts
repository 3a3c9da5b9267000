import express from 'express';
import request from 'supertest';
import { admit, AdmissionControl } from './admission';
import { createApp } from './create-app';
import { Metrics } from './metrics';
import { createLogger } from '../logger';

const logger = createLogger({ service: 'test', level: 'silent' });

/** A control on a clock the test moves. */
function control(opts: { targetMs?: number; initialLimit?: number; minLimit?: number; maxLimit?: number } = {}) {
  let t = 0;
  const c = new AdmissionControl({ name: 'checkout', targetMs: opts.targetMs ?? 1000, initialLimit: opts.initialLimit ?? 4, minLimit: opts.minLimit ?? 2, maxLimit: opts.maxLimit ?? 64, now: () => t });
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
    expect(c.retryAfterSeconds()).toBe(2);
  });

  it('when answers are quick and the limit is in use, then it grows by about one per limit answers, up to the ceiling', () => {
    const { c, advance } = control({ initialLimit: 4, maxLimit: 6 });
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
      const text = await metrics.registry.metrics();
      expect(text).toMatch(/admission_refused_total\{operation="checkout",service="test"\} 1/);
      expect(text).toMatch(/admission_limit\{operation="checkout",service="test"\} 2/);
      // both answered: their slots are free again
      for (let i = 0; i < 100 && c.inFlight > 0; i++) await new Promise((r) => setTimeout(r, 5));
      expect(c.inFlight).toBe(0);
    } finally {
      for (const r of release) r();
      server.close();
    }
  });
});
