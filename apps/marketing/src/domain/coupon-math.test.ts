import { apportion, bestCoupons, fitCoupon, type CouponLine, type CouponTerms } from './coupon-math';

const cny = (amount: number) => ({ amount, currency: 'CNY' });
const shopA = '11111111-1111-4111-8111-111111111111';
const shopB = '22222222-2222-4222-8222-222222222222';
const cup = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
const tea = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';
const kitchen = 'cccccccc-cccc-4ccc-8ccc-cccccccccccc';
const mugs = 'dddddddd-dddd-4ddd-8ddd-dddddddddddd';
const now = new Date('2026-12-02T12:00:00Z');
let n = 0;

function coupon(over: Partial<CouponTerms> = {}): CouponTerms {
  n += 1;
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    shopId: shopA,
    discount: { kind: 'fixed', amount: cny(1000) },
    minSpend: cny(10000),
    scope: { kind: 'all' },
    validFrom: '2026-12-01T00:00:00.000Z',
    validUntil: '2026-12-31T00:00:00.000Z',
    state: 'usable',
    ...over,
  };
}
const line = (over: Partial<CouponLine> = {}): CouponLine => ({ shopId: shopA, productId: cup, categoryPath: [kitchen, mugs], amount: 6000, ...over });

describe('apportion', () => {
  it('splits in proportion and the shares add up exactly, the odd units to the largest remainders', () => {
    expect(apportion(1000, [6000, 4000])).toEqual([600, 400]);
    expect(apportion(100, [1, 1, 1])).toEqual([34, 33, 33]);
    expect(apportion(7, [0, 5, 5])).toEqual([0, 4, 3]);
    expect(apportion(0, [5, 5])).toEqual([0, 0]);
    expect(apportion(5, [0, 0])).toEqual([0, 0]);
  });
});

describe('fitCoupon', () => {
  it('when the lines in scope reach the threshold, then a fixed coupon takes its amount, shared over those lines', () => {
    const fit = fitCoupon(coupon(), [line(), line({ amount: 4000 })], 'CNY', now);
    expect(fit).toEqual({ fits: true, eligible: 10000, discount: 1000, shares: [600, 400] });
  });

  it('when the lines fall short of the threshold, then it does not fit and says by how much', () => {
    expect(fitCoupon(coupon(), [line({ amount: 5900 })], 'CNY', now)).toEqual({ fits: false, reason: 'below-threshold', eligible: 5900, shortBy: 4100 });
  });

  it('when lines belong to another shop, then a shop coupon does not count them; a platform coupon does', () => {
    const lines = [line({ amount: 6000 }), line({ shopId: shopB, amount: 6000 })];
    expect(fitCoupon(coupon(), lines, 'CNY', now)).toMatchObject({ fits: false, reason: 'below-threshold', eligible: 6000 });
    expect(fitCoupon(coupon({ shopId: null }), lines, 'CNY', now)).toMatchObject({ fits: true, eligible: 12000, shares: [500, 500] });
  });

  it('when scoped to products or categories, then only those lines count; a category reaches its sub-categories', () => {
    const lines = [line({ amount: 8000 }), line({ productId: tea, categoryPath: [kitchen], amount: 8000 })];
    expect(fitCoupon(coupon({ scope: { kind: 'products', productIds: [tea] } }), lines, 'CNY', now)).toMatchObject({ fits: false, reason: 'below-threshold', eligible: 8000 });
    expect(fitCoupon(coupon({ scope: { kind: 'categories', categoryIds: [mugs] } }), lines, 'CNY', now)).toMatchObject({ eligible: 8000, fits: false });
    expect(fitCoupon(coupon({ scope: { kind: 'categories', categoryIds: [kitchen] } }), lines, 'CNY', now)).toMatchObject({ fits: true, eligible: 16000, shares: [500, 500] });
    expect(fitCoupon(coupon({ scope: { kind: 'products', productIds: [tea] }, minSpend: null }), [line()], 'CNY', now)).toMatchObject({ fits: false, reason: 'no-lines-in-scope' });
  });

  it('when a percentage applies, then it rounds down to the minor unit and stops at its cap', () => {
    const pct = (percentOff: number, maxOff: number | null) => coupon({ discount: { kind: 'percent', percentOff, maxOff: maxOff === null ? null : cny(maxOff) }, minSpend: null });
    expect(fitCoupon(pct(15, null), [line({ amount: 999 })], 'CNY', now)).toMatchObject({ discount: 149 });
    expect(fitCoupon(pct(15, 1000), [line({ amount: 100000 })], 'CNY', now)).toMatchObject({ discount: 1000 });
    expect(fitCoupon(pct(1, null), [line({ amount: 99 })], 'CNY', now)).toMatchObject({ fits: false, reason: 'too-small' });
  });

  it('when a coupon without threshold is worth more than the goods, then the goods still cost one minor unit', () => {
    const free = coupon({ minSpend: null, discount: { kind: 'fixed', amount: cny(5000) } });
    expect(fitCoupon(free, [line({ amount: 3000 })], 'CNY', now)).toMatchObject({ fits: true, discount: 2999 });
    expect(fitCoupon(free, [line({ amount: 1 })], 'CNY', now)).toMatchObject({ fits: false, reason: 'too-small' });
    // each line keeps its unit, not only the lines together
    expect(fitCoupon(coupon({ minSpend: null }), [line({ amount: 1 }), line({ amount: 1000 })], 'CNY', now)).toMatchObject({ fits: true, discount: 999, shares: [0, 999] });
  });

  it('when the coupon is used, expired, not yet valid or in another currency, then it does not fit', () => {
    const lines = [line({ amount: 20000 })];
    expect(fitCoupon(coupon({ state: 'used' }), lines, 'CNY', now)).toMatchObject({ fits: false, reason: 'not-usable' });
    expect(fitCoupon(coupon({ validUntil: '2026-12-02T12:00:00.000Z' }), lines, 'CNY', now)).toMatchObject({ fits: false, reason: 'not-usable' });
    expect(fitCoupon(coupon({ validFrom: '2026-12-03T00:00:00.000Z' }), lines, 'CNY', now)).toMatchObject({ fits: false, reason: 'not-usable' });
    expect(fitCoupon(coupon({ minSpend: { amount: 100, currency: 'USD' }, discount: { kind: 'fixed', amount: { amount: 10, currency: 'USD' } } }), lines, 'CNY', now)).toMatchObject({ fits: false, reason: 'currency' });
  });
});

describe('bestCoupons', () => {
  it('when a shopper holds several, then each shop gets its best and the platform coupon is taken of what is left', () => {
    const lines = [line({ amount: 20000 }), line({ shopId: shopB, amount: 10000 })];
    const aSmall = coupon({ discount: { kind: 'fixed', amount: cny(1000) } });
    const aBig = coupon({ discount: { kind: 'fixed', amount: cny(3000) }, minSpend: cny(20000) });
    const b = coupon({ shopId: shopB, discount: { kind: 'percent', percentOff: 10, maxOff: null }, minSpend: null });
    // 满 270 减 20 on what is left after the shop coupons (300 - 30 - 10 = 260): it does not fit; 满 250 减 15 does
    const platformHigh = coupon({ shopId: null, discount: { kind: 'fixed', amount: cny(2000) }, minSpend: cny(27000) });
    const platformLow = coupon({ shopId: null, discount: { kind: 'fixed', amount: cny(1500) }, minSpend: cny(25000) });
    const best = bestCoupons([aSmall, aBig, b, platformHigh, platformLow], lines, 'CNY', now);
    expect(best.picks.map((p) => [p.couponId, p.discount.amount])).toEqual([
      [aBig.id, 3000],
      [b.id, 1000],
      [platformLow.id, 1500],
    ]);
    expect(best.discount).toEqual(cny(5500));
    // every minor unit is on a line, and no line goes below one
    const taken = lines.map((_, i) => best.picks.reduce((a, p) => a + p.shares[i]!, 0));
    expect(taken.reduce((a, t) => a + t, 0)).toBe(5500);
    lines.forEach((l, i) => expect(l.amount - taken[i]!).toBeGreaterThanOrEqual(1));
  });

  it('when two coupons take off the same, then the one expiring first is picked', () => {
    const later = coupon({ validUntil: '2026-12-30T00:00:00.000Z' });
    const sooner = coupon({ validUntil: '2026-12-10T00:00:00.000Z' });
    expect(bestCoupons([later, sooner], [line({ amount: 20000 })], 'CNY', now).picks.map((p) => p.couponId)).toEqual([sooner.id]);
  });

  it('when nothing fits, then nothing is picked', () => {
    expect(bestCoupons([coupon()], [line({ amount: 100 })], 'CNY', now)).toEqual({ picks: [], discount: cny(0) });
  });
});
