import { generateKeyPairSync } from 'node:crypto';
import { keyId, signAccessToken } from '@emporium/kit/jwt';
import { clientAddress, clientOf, TokenSubjects } from './client';
import { MemoryRateLimiter } from './rate-limit';

describe('the rate limit (GCRA)', () => {
  it('when a client sends more than its burst at once, then the rest waits as long as the rate says', () => {
    let now = 1_000_000;
    const limiter = new MemoryRateLimiter({ perSecond: 2, burst: 3 }, 100, () => now);
    expect([1, 2, 3].map(() => limiter.takeNow('a'))).toEqual([
      { ok: true, remaining: 2 },
      { ok: true, remaining: 1 },
      { ok: true, remaining: 0 },
    ]);
    expect(limiter.takeNow('a')).toEqual({ ok: false, retryAfterSeconds: 1 });
    // another client is not affected
    expect(limiter.takeNow('b').ok).toBe(true);
    // half a second later one request may go again, not two
    now += 500;
    expect(limiter.takeNow('a')).toEqual({ ok: true, remaining: 0 });
    expect(limiter.takeNow('a').ok).toBe(false);
    // after a quiet spell the whole burst is back, never more
    now += 60_000;
    expect(Array.from({ length: 5 }, () => limiter.takeNow('a').ok)).toEqual([true, true, true, false, false]);
  });

  it('when the rate is steady at the limit, then every request passes; above it, the excess is refused', () => {
    let now = 0;
    const limiter = new MemoryRateLimiter({ perSecond: 10, burst: 1 }, 100, () => now);
    const at = (gapMs: number, n: number) => Array.from({ length: n }, () => ((now += gapMs), limiter.takeNow('a').ok)).filter(Boolean).length;
    expect(at(100, 50)).toBe(50);
    expect(at(50, 100)).toBe(50);
  });

  it('when limiting is off, then everything passes', () => {
    const limiter = new MemoryRateLimiter({ perSecond: 0, burst: 1 });
    expect(Array.from({ length: 1000 }, () => limiter.takeNow('a').ok).every(Boolean)).toBe(true);
  });

  it('when more clients come than it tracks, then the least recently seen is forgotten', () => {
    const limiter = new MemoryRateLimiter({ perSecond: 1, burst: 1 }, 2, () => 0);
    limiter.takeNow('a');
    limiter.takeNow('b');
    limiter.takeNow('c'); // forgets a
    expect(limiter.takeNow('a').ok).toBe(true);
    expect(limiter.takeNow('c').ok).toBe(false);
  });
});

describe('who the client is', () => {
  it('when no proxy is trusted, then the socket peer is the client, whatever X-Forwarded-For says', () => {
    expect(clientAddress('198.51.100.7', '203.0.113.9', 0)).toBe('198.51.100.7');
    expect(clientAddress('198.51.100.7', undefined, 0)).toBe('198.51.100.7');
  });

  it('when one proxy (an ingress) is trusted, then the client is the address it appended; what the client wrote before it is ignored', () => {
    // the client forged "1.2.3.4"; the ingress appended the address it saw, 203.0.113.9, and connected from 10.0.0.5
    expect(clientAddress('10.0.0.5', '1.2.3.4, 203.0.113.9', 1)).toBe('203.0.113.9');
    expect(clientAddress('10.0.0.5', '203.0.113.9', 1)).toBe('203.0.113.9');
    expect(clientAddress('10.0.0.5', ['1.2.3.4', '203.0.113.9'], 1)).toBe('203.0.113.9');
    // two trusted hops (a CDN, then the ingress)
    expect(clientAddress('10.0.0.5', '1.2.3.4, 203.0.113.9, 192.0.2.1', 2)).toBe('203.0.113.9');
    // fewer hops than trusted: the leftmost there is
    expect(clientAddress('10.0.0.5', undefined, 1)).toBe('10.0.0.5');
  });

  it('when a token verifies, then its subject is the client; a random, forged or expired bearer string is its address', async () => {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const kid = keyId(publicKey);
    const subjects = new TokenSubjects({ keys: () => Promise.resolve(new Map([[kid, publicKey]])) });
    const sub = '7b0e4c36-9d0f-4a8e-8f33-2f9cf3a4f1b2';
    const token = signAccessToken({ sub, email: null, roles: [] }, privateKey, publicKey, 900);
    expect(await clientOf(`Bearer ${token}`, '198.51.100.7', subjects)).toBe(`user:${sub}`);
    // the second time from the kit's VerifiedTokens (apps/kit/src/auth/jwt.test.ts)
    expect(await clientOf(`Bearer ${token}`, '198.51.100.7', subjects)).toBe(`user:${sub}`);
    expect(await clientOf('Bearer not-a-token', '198.51.100.7', subjects)).toBe('address:198.51.100.7');
    const [h, p] = token.split('.');
    expect(await clientOf(`Bearer ${h}.${p}.${'A'.repeat(86)}`, '198.51.100.7', subjects)).toBe('address:198.51.100.7');
    const expired = signAccessToken({ sub, email: null, roles: [] }, privateKey, publicKey, -10);
    expect(await clientOf(`Bearer ${expired}`, '198.51.100.7', subjects)).toBe('address:198.51.100.7');
    expect(await clientOf(undefined, '198.51.100.7', subjects)).toBe('address:198.51.100.7');
  });
});
