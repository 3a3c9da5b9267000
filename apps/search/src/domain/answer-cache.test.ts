import { AnswerCache } from './answer-cache';

describe('the answer cache', () => {
  const later = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('answers a repeated query from memory until it is ttl old, then asks again', async () => {
    const cache = new AnswerCache(50, 1 << 20);
    let asked = 0;
    const answer = () => Promise.resolve({ n: ++asked });
    expect(await cache.get('q', answer)).toBe('{"n":1}');
    expect(await cache.get('q', answer)).toBe('{"n":1}');
    await later(60);
    expect(await cache.get('q', answer)).toBe('{"n":2}');
    expect([cache.hits, cache.misses]).toEqual([1, 2]);
  });

  it('when answers are past their time and nobody asks again, then they are dropped', async () => {
    // the clock is the test's: on a loaded machine a real 200 ms sleep may outlast two sweeps
    jest.useFakeTimers();
    try {
      const cache = new AnswerCache(200, 1 << 20);
      await cache.get('a', () => Promise.resolve({ a: 1 }));
      jest.advanceTimersByTime(100);
      await cache.get('b', () => Promise.resolve({ b: 1 }));
      expect(cache.size).toBe(2);
      jest.advanceTimersByTime(100);
      // the sweep at 200 ms dropped a; b was 100 ms old then, kept until the next one
      expect(cache.size).toBe(1);
      jest.advanceTimersByTime(199);
      expect(cache.size).toBe(1);
      jest.advanceTimersByTime(1);
      expect(cache.size).toBe(0);
      // nothing kept, no sweep left waiting
      expect(jest.getTimerCount()).toBe(0);
    } finally {
      jest.useRealTimers();
    }
  });

  it('lets identical queries asked at once share one answer', async () => {
    const cache = new AnswerCache(1_000, 1 << 20);
    let asked = 0;
    const answer = async () => {
      asked++;
      await later(20);
      return { ok: true };
    };
    const bodies = await Promise.all(Array.from({ length: 5 }, () => cache.get('q', answer)));
    expect(new Set(bodies).size).toBe(1);
    expect(asked).toBe(1);
  });

  it('when cleared while a query is being answered, then that answer is neither kept nor shared with queries asked after', async () => {
    const cache = new AnswerCache(10_000, 1 << 20);
    let version = 1;
    let asked = 0;
    const answer = async () => {
      asked++;
      const seen = version;
      await later(30);
      return { seen };
    };
    const before = cache.get('q', answer);
    await later(5);
    // the synonyms change while the first answer is being worked out
    version = 2;
    cache.clear();
    const after = await cache.get('q', answer);
    expect([await before, after]).toEqual(['{"seen":1}', '{"seen":2}']);
    expect(await cache.get('q', answer)).toBe('{"seen":2}');
    expect(asked).toBe(2);
  });

  it('keeps no failure: the next ask tries again', async () => {
    const cache = new AnswerCache(1_000, 1 << 20);
    await expect(cache.get('q', () => Promise.reject(new Error('database gone')))).rejects.toThrow('database gone');
    expect(await cache.get('q', () => Promise.resolve(1))).toBe('1');
  });

  it('stays within its bytes, the least recently used going first', async () => {
    const cache = new AnswerCache(60_000, 2_000);
    const body = (c: string) => () => Promise.resolve(c.repeat(300));
    await cache.get('a', body('a'));
    await cache.get('b', body('b'));
    await cache.get('a', body('x')); // a used again: b is now the oldest
    await cache.get('c', body('c'));
    await cache.get('d', body('d'));
    let asked = 0;
    const counting = () => {
      asked++;
      return Promise.resolve('again');
    };
    await cache.get('b', counting);
    await cache.get('d', counting);
    expect(asked).toBe(1);
  });

  it('is off at ttl 0: every query is answered afresh', async () => {
    const cache = new AnswerCache(0, 1 << 20);
    let asked = 0;
    for (let i = 0; i < 3; i++) await cache.get('q', () => Promise.resolve(++asked));
    expect(asked).toBe(3);
  });
});
