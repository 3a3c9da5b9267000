import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { endpointsFromEnv, freePort } from '@emporium/devkit/platform';
import { RedisRateLimiter } from '../src/rate-limit';

/** The gateway's rate limit against a real Redis: what two web replicas share, and what one does when Redis is gone. */
describe('the rate limit in Redis', () => {
  const prefix = `test:${randomUUID()}:`;
  const logs: string[] = [];
  const made: RedisRateLimiter[] = [];
  const replica = (url = `redis://${endpointsFromEnv().redis}`, burst = 20) => {
    const r = new RedisRateLimiter(new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: false }), { perSecond: 1, burst }, prefix, (m) => logs.push(m), 200);
    made.push(r);
    return r;
  };
  afterAll(async () => {
    await Promise.all(made.map((r) => r.close()));
  });

  it('when a client spreads its requests over two replicas, then together they allow it one burst, not two', async () => {
    const [a, b] = [replica(), replica()];
    // let both connect
    await new Promise((r) => setTimeout(r, 200));
    const verdicts = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).take('user:spread')));
    expect(verdicts.filter((v) => v.ok)).toHaveLength(20);
    const refused = verdicts.find((v) => !v.ok);
    expect(refused).toEqual({ ok: false, retryAfterSeconds: expect.any(Number) });
    // another client has its own budget on either replica
    expect((await a.take('user:other')).ok).toBe(true);
    expect(logs).toEqual([]);
  });

  it('when Redis does not answer, then the replica counts alone (it still limits) and says so once', async () => {
    const lonely = replica(`redis://127.0.0.1:${await freePort()}`, 5);
    const verdicts = [];
    for (let i = 0; i < 8; i++) verdicts.push(await lonely.take('user:lonely'));
    expect(verdicts.map((v) => v.ok)).toEqual([true, true, true, true, true, false, false, false]);
    expect(logs.filter((m) => /does not answer/.test(m))).toHaveLength(1);
  });

  it('when Redis stops answering after a client spent its burst, then the fallback does not give it a new one', async () => {
    const redis = new Redis(`redis://${endpointsFromEnv().redis}`, { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: false });
    const r = new RedisRateLimiter(redis, { perSecond: 1, burst: 5 }, prefix, (m) => logs.push(m), 200);
    made.push(r);
    await new Promise((res) => setTimeout(res, 200));
    const spent = [];
    for (let i = 0; i < 5; i++) spent.push(await r.take('user:spender'));
    expect(spent.every((v) => v.ok)).toBe(true);
    await redis.quit();
    expect(await r.take('user:spender')).toMatchObject({ ok: false });
  });
});
