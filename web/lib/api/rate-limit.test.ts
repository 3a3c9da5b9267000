import { clientOf, RateLimiter } from './rate-limit';

describe('RateLimiter', () => {
  it('when a client sends more than its burst at once, then the rest waits as long as the rate says', () => {
    const limiter = new RateLimiter({ perSecond: 2, burst: 3 });
    const t0 = 1_000_000;
    expect([1, 2, 3].map(() => limiter.take('a', t0).ok)).toEqual([true, true, true]);
    expect(limiter.take('a', t0)).toEqual({ ok: false, retryAfterSeconds: 1 });
    // another client is not affected
    expect(limiter.take('b', t0).ok).toBe(true);
    // half a second later one token is back
    expect(limiter.take('a', t0 + 500)).toEqual({ ok: true, remaining: 0 });
    expect(limiter.take('a', t0 + 500).ok).toBe(false);
  });

  it('when limiting is off, then everything passes', () => {
    const limiter = new RateLimiter({ perSecond: 0, burst: 0 });
    expect(Array.from({ length: 1000 }, () => limiter.take('a').ok).every(Boolean)).toBe(true);
  });

  it('when more clients come than it tracks, then the least recently seen is forgotten', () => {
    const limiter = new RateLimiter({ perSecond: 1, burst: 1, maxClients: 2 });
    limiter.take('a', 0);
    limiter.take('b', 0);
    limiter.take('c', 0); // forgets a
    expect(limiter.take('a', 0).ok).toBe(true);
    expect(limiter.take('c', 0).ok).toBe(false);
  });

  it('when a client sends a token, then the token is who it is; else its first forwarded address', () => {
    expect(clientOf(new Headers({ authorization: 'Bearer abc' }))).toMatch(/^token:/);
    expect(clientOf(new Headers({ authorization: 'Bearer abc' }))).not.toContain('abc');
    expect(clientOf(new Headers({ 'x-forwarded-for': '203.0.113.9, 10.0.0.1' }))).toBe('address:203.0.113.9');
    expect(clientOf(new Headers())).toBe('address:unknown');
  });
});
