import { ResponseCache, type CachedAnswer } from './response-cache';

const answer = (body: string, at: number, ttlMs = 2000): CachedAnswer => ({ status: 200, headers: { 'content-type': 'application/json' }, body: Buffer.from(body), at, ttlMs });

describe('the front door keeps only what anyone may read, as long as the service allows', () => {
  it('when a request carries credentials, a cart, a validator or a cookie, asks for a fresh answer, or is not a GET, then it has no key', () => {
    const cache = new ResponseCache(2, 1 << 20);
    expect(cache.keyOf('GET', '/products/1', {})).toBeDefined();
    for (const h of ['authorization', 'x-cart-token', 'if-none-match', 'cookie']) expect(cache.keyOf('GET', '/products/1', { [h]: 'x' })).toBeUndefined();
    expect(cache.keyOf('GET', '/products/1', { 'cache-control': 'no-cache' })).toBeUndefined();
    expect(cache.keyOf('GET', '/products/1', { 'cache-control': 'max-age=0' })).toBeUndefined();
    expect(cache.keyOf('GET', '/products/1', { pragma: 'no-cache' })).toBeUndefined();
    for (const m of ['HEAD', 'POST', 'PUT', 'DELETE']) expect(cache.keyOf(m, '/products/1', {})).toBeUndefined();
    // the language and the format are part of the key; so is the query
    expect(cache.keyOf('GET', '/products/1', { 'accept-language': 'en' })).not.toBe(cache.keyOf('GET', '/products/1', { 'accept-language': 'zh-CN' }));
    expect(cache.keyOf('GET', '/products?page=1', {})).not.toBe(cache.keyOf('GET', '/products?page=2', {}));
    expect(new ResponseCache(0, 1 << 20).keyOf('GET', '/products/1', {})).toBeUndefined();
  });

  it('when an answer is 200 and public with a max-age, then it is kept that long, never longer than the gateway allows', () => {
    const cache = new ResponseCache(2, 1 << 20);
    expect(cache.ttlOf(200, { 'cache-control': 'public, max-age=1' })).toBe(1000);
    expect(cache.ttlOf(200, { 'cache-control': 'public, max-age=60' })).toBe(2000);
    expect(cache.ttlOf(200, { 'cache-control': 'max-age=60, public', vary: 'Accept-Language' })).toBe(2000);
    expect(cache.ttlOf(200, { 'cache-control': 'public, s-maxage=1' })).toBe(1000);
    // not shared, not fresh, not a success, or varying on who asks
    for (const cc of ['private, max-age=60', 'public, no-store, max-age=60', 'public, no-cache, max-age=5', 'max-age=60', 'public', 'public, max-age=0']) expect(cache.ttlOf(200, { 'cache-control': cc })).toBe(0);
    expect(cache.ttlOf(200, {})).toBe(0);
    expect(cache.ttlOf(404, { 'cache-control': 'public, max-age=60' })).toBe(0);
    expect(cache.ttlOf(200, { 'cache-control': 'public, max-age=60', vary: 'Authorization' })).toBe(0);
  });

  it('when a kept answer is older than its time, then it is not given again', async () => {
    let now = 1_000;
    const cache = new ResponseCache(2, 1 << 20, () => now);
    cache.put('k', answer('{"a":1}', now));
    expect((await cache.lookup('k'))?.body.toString()).toBe('{"a":1}');
    now += 1_999;
    expect(await cache.lookup('k')).toBeDefined();
    now += 1;
    expect(await cache.lookup('k')).toBeUndefined();
    expect(cache.hits).toBe(2);
  });

  it('when requests for the same key arrive while one is fetched, then they get its answer, or go on their own when it was not kept', async () => {
    const cache = new ResponseCache(2, 1 << 20);
    let settle!: (a: CachedAnswer | undefined) => void;
    cache.begin('k', new Promise((r) => (settle = r)));
    const waiting = [cache.lookup('k'), cache.lookup('k')];
    const kept = answer('{"b":2}', Date.now());
    cache.put('k', kept);
    settle(kept);
    expect((await Promise.all(waiting)).map((a) => a?.body.toString())).toEqual(['{"b":2}', '{"b":2}']);

    let refuse!: (a: CachedAnswer | undefined) => void;
    cache.begin('other', new Promise((r) => (refuse = r)));
    const alone = cache.lookup('other');
    refuse(undefined);
    expect(await alone).toBeUndefined();
    // once settled, nobody waits on it any more
    expect(await cache.lookup('other')).toBeUndefined();
  });

  it('when the room is full, then the least recently used answers go first; one too large is never kept', async () => {
    const cache = new ResponseCache(2, 16 * 1024);
    const big = 'x'.repeat(800);
    for (let i = 0; i < 30; i++) cache.put(`k${i}`, answer(big, Date.now()));
    expect(cache.storedBytes).toBeLessThanOrEqual(16 * 1024);
    expect(await cache.lookup('k0')).toBeUndefined();
    expect(await cache.lookup('k29')).toBeDefined();
    expect(cache.fits(1025)).toBe(false);
    cache.put('huge', answer('y'.repeat(1025), Date.now()));
    expect(await cache.lookup('huge')).toBeUndefined();
  });
});
