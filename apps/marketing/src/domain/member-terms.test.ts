import { createLogger, UnavailableError, type Sidecar } from '@emporium/kit';
import type { MemberBenefits } from '@emporium/contracts';
import { MemberTerms } from './member-terms';

const terms = { level: 1 } as unknown as MemberBenefits;

/** membership as its sidecar call answers: `answer` decides each call */
function membership(answer: () => Promise<MemberBenefits>) {
  const calls: string[] = [];
  const sidecar = {
    call: (_op: unknown, req: { params: { userId: string } }) => {
      calls.push(req.params.userId);
      return answer();
    },
  } as unknown as Sidecar;
  return { calls, terms: new MemberTerms(sidecar, createLogger({ service: 'test', level: 'silent' }), { timeoutMs: 100, retryAfterMs: 60_000 }) };
}

describe('member terms in a quote', () => {
  it('when membership did not answer, then quotes without points skip it for a while, and one that spends points asks it anyway', async () => {
    let up = false;
    const m = membership(() => (up ? Promise.resolve(terms) : Promise.reject(new UnavailableError('membership is away'))));
    expect(await m.terms.of('a')).toBeNull();
    expect(await m.terms.of('b')).toBeNull();
    expect(m.calls).toEqual(['a']);
    up = true;
    // points need membership: asked even within the back-off, and its answer ends the back-off for everyone
    expect(await m.terms.of('c', true)).toBe(terms);
    expect(await m.terms.of('d')).toBe(terms);
    expect(m.calls).toEqual(['a', 'c', 'd']);
  });
});
