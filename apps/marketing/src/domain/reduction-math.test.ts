import type { ReductionTier } from '@emporium/contracts';
import { bestReductions, fitReduction, nextStep, reductionOff, type ReductionTerms } from './reduction-math';

const kiln = '11111111-1111-4111-8111-111111111111';
const loom = '22222222-2222-4222-8222-222222222222';
const cny = (amount: number) => ({ amount, currency: 'CNY' });
const off = (threshold: number, amount: number): ReductionTier => ({ kind: 'amount-off', threshold: cny(threshold), off: cny(amount) });
let n = 0;
const activity = (tiers: ReductionTier[], over: Partial<ReductionTerms> = {}): ReductionTerms => ({
  id: `aaaaaaaa-0000-4000-8000-${String(++n).padStart(12, '0')}`,
  shopId: kiln,
  name: { 'zh-CN': '满减', en: 'Reduction' },
  tiers,
  repeat: false,
  scope: { kind: 'all' },
  endsAt: '2099-01-01T00:00:00.000Z',
  ...over,
});
const line = (amount: number, shopId = kiln, productId = 'p1') => ({ shopId, productId, categoryPath: [], amount });

describe('full-reduction', () => {
  it('takes the highest tier reached: 满 300 减 30, 满 500 减 80', () => {
    const r = activity([off(30_000, 3_000), off(50_000, 8_000)]);
    expect([29_999, 30_000, 49_999, 52_000].map((e) => reductionOff(r, e).off)).toEqual([0, 3_000, 3_000, 8_000]);
  });

  it('repeats once per threshold reached: 每满 200 减 20', () => {
    const r = activity([off(20_000, 2_000)], { repeat: true });
    expect([19_999, 20_000, 52_000].map((e) => reductionOff(r, e).off)).toEqual([0, 2_000, 4_000]);
    expect(nextStep(r, 52_000)).toEqual({ shortBy: 8_000, saves: 6_000 });
  });

  it('takes a percentage rounded down: 满 500 打 9 折', () => {
    const r = activity([{ kind: 'percent-off', threshold: cny(50_000), percentOff: 10 }]);
    expect(reductionOff(r, 50_005).off).toBe(5_000);
  });

  it('says what is missing for the next tier: add 41 more to save 30', () => {
    const r = activity([off(30_000, 3_000), off(50_000, 8_000)]);
    expect(nextStep(r, 25_900)).toEqual({ shortBy: 4_100, saves: 3_000 });
    expect(nextStep(r, 30_000)).toEqual({ shortBy: 20_000, saves: 8_000 });
    expect(nextStep(r, 50_000)).toBeNull();
  });

  it('counts its own shop’s lines in scope only, apportions its discount and leaves every line one unit', () => {
    const r = activity([off(10_000, 9_000)], { scope: { kind: 'products', productIds: ['p1', 'p2'] } });
    const fit = fitReduction(r, [line(6_000), line(4_000, kiln, 'p2'), line(50_000, kiln, 'p3'), line(50_000, loom)]);
    expect([fit.eligible, fit.discount]).toEqual([10_000, 9_000]);
    expect(fit.shares).toEqual([5_400, 3_600, 0, 0]);
    // 满 2 减 1.99 on two lines of 1.00: each keeps a fen
    const tiny = fitReduction(activity([off(200, 199)]), [line(100), line(100)]);
    expect([tiny.discount, tiny.shares]).toEqual([198, [99, 99]]);
  });

  it('applies one activity per shop, the one that takes most off, and hints at the next step', () => {
    const small = activity([off(10_000, 1_000), off(20_000, 3_000)]);
    const big = activity([off(15_000, 2_500)]);
    const elsewhere = activity([off(10_000, 500)], { shopId: loom });
    const { applied, hints } = bestReductions([small, big, elsewhere], [line(16_000), line(9_000, loom)], 'CNY');
    expect(applied.map((f) => [f.reduction.id, f.discount])).toEqual([[big.id, 2_500]]);
    // kiln: 40.00 more reaches the small activity's second tier, 30.00 off, more than the 25.00 now; loom: 10.00 more to save 5.00
    expect([hints.get(kiln)?.reduction.id, hints.get(kiln)?.next]).toEqual([small.id, { shortBy: 4_000, saves: 3_000 }]);
    expect(hints.get(loom)?.next).toEqual({ shortBy: 1_000, saves: 500 });
    expect(bestReductions([small], [line(16_000)], 'USD').applied).toEqual([]);
  });
});
