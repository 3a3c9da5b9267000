import type { Coupon, MemberBenefits, SkuOffer } from '@emporium/contracts';
import { maxPoints, priceLine, PricingError, quote, shippingFor, type FlashTerms, type GroupBuyTerms, type MemberRequest } from './pricing';

const cny = (amount: number) => ({ amount, currency: 'CNY' });
const shopA = '11111111-1111-4111-8111-111111111111';
const shopB = '22222222-2222-4222-8222-222222222222';
let n = 0;
function offer(over: Partial<SkuOffer> = {}): SkuOffer {
  n += 1;
  return {
    skuId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    productId: '99999999-9999-4999-8999-999999999999',
    shopId: shopA,
    categoryPath: [],
    name: { 'zh-CN': '杯', en: 'cup' },
    specValues: {},
    image: null,
    weightGrams: 100,
    price: cny(6800),
    originalPrice: null,
    tiers: [
      { minQuantity: 12, price: cny(6200) },
      { minQuantity: 48, price: cny(5800) },
    ],
    companyPrice: null,
    purchasable: true,
    unavailableReason: null,
    ...over,
  };
}
const rule = { flatFee: cny(1000), freeAbove: cny(9900) };
let c = 0;
const coupon = (over: Partial<Coupon> = {}): Coupon => {
  c += 1;
  return {
    id: `cccccccc-0000-4000-8000-${String(c).padStart(12, '0')}`,
    templateId: `dddddddd-0000-4000-8000-${String(c).padStart(12, '0')}`,
    shopId: shopA,
    name: { 'zh-CN': '券', en: 'coupon' },
    discount: { kind: 'fixed', amount: cny(1000) },
    minSpend: cny(10000),
    scope: { kind: 'all' },
    validFrom: '2026-01-01T00:00:00.000Z',
    validUntil: '2099-01-01T00:00:00.000Z',
    state: 'usable',
    claimedAt: '2026-01-01T00:00:00.000Z',
    usedAt: null,
    note: null,
    ...over,
  };
};

/** 60.00 and 40.00 from shop A, 50.00 from shop B, one of each. */
function twoShops() {
  const skus = [offer({ price: cny(6000), tiers: [] }), offer({ price: cny(4000), tiers: [] }), offer({ shopId: shopB, price: cny(5000), tiers: [] })];
  return { offers: new Map(skus.map((o) => [o.skuId, o])), lines: skus.map((o) => ({ skuId: o.skuId, quantity: 1 })) };
}

describe('priceLine', () => {
  it('uses the list price below the first tier', () => {
    const l = priceLine(offer(), 11);
    expect([l.priceSource, l.unitPrice.amount, l.lineTotal.amount, l.tier]).toEqual(['list', 6800, 74800, null]);
  });
  it('uses the highest tier the quantity reaches', () => {
    expect(priceLine(offer(), 12)).toMatchObject({ priceSource: 'tier', unitPrice: cny(6200), tier: { minQuantity: 12 } });
    expect(priceLine(offer(), 100)).toMatchObject({ priceSource: 'tier', unitPrice: cny(5800), lineTotal: cny(580000) });
  });
  it('uses the company price when it is the lowest, and explains what it beat', () => {
    const l = priceLine(offer({ companyPrice: cny(5500) }), 12);
    expect(l).toMatchObject({ priceSource: 'company', unitPrice: cny(5500) });
    expect(l.explanation).toBe('company price CNY 55.00 × 12, the lowest of: company CNY 55.00, tier from 12 CNY 62.00, list CNY 68.00');
  });
  it('keeps the tier when it beats a higher company price', () => {
    expect(priceLine(offer({ companyPrice: cny(6500) }), 48)).toMatchObject({ priceSource: 'tier', unitPrice: cny(5800) });
  });
  it('prefers the more specific source on a tie', () => {
    expect(priceLine(offer({ companyPrice: cny(6200) }), 12).priceSource).toBe('company');
  });
});

describe('shipping', () => {
  it('charges the flat fee below the threshold and nothing from it', () => {
    expect(shippingFor(cny(9899), rule).shipping).toEqual(cny(1000));
    expect(shippingFor(cny(9900), rule)).toEqual({ shipping: cny(0), text: 'free from CNY 99.00' });
    expect(shippingFor(cny(1_000_000), { flatFee: cny(500), freeAbove: null }).shipping).toEqual(cny(500));
  });
});

describe('quote', () => {
  it('groups lines by shop, adds shipping per shop, and totals add up', () => {
    const a1 = offer();
    const b1 = offer({ shopId: shopB, price: cny(2000), tiers: [] });
    const a2 = offer({ price: cny(1500), tiers: [] });
    const offers = new Map([a1, b1, a2].map((o) => [o.skuId, o]));
    const q = quote(
      [
        { skuId: a1.skuId, quantity: 2 },
        { skuId: b1.skuId, quantity: 1 },
        { skuId: a2.skuId, quantity: 1 },
      ],
      offers,
      () => rule,
      null,
    );
    expect(q.shops.map((s) => [s.shopId, s.lines.length, s.subtotal.amount, s.shipping.amount, s.total.amount])).toEqual([
      [shopA, 2, 15100, 0, 15100],
      [shopB, 1, 2000, 1000, 3000],
    ]);
    expect([q.subtotal.amount, q.shipping.amount, q.total.amount]).toEqual([17100, 1000, 18100]);
  });

  it('refuses an unknown or unbuyable SKU, naming the line', () => {
    const gone = offer({ purchasable: false, unavailableReason: 'unpublished' });
    const offers = new Map([[gone.skuId, gone]]);
    expect(() => quote([{ skuId: gone.skuId, quantity: 1 }], offers, () => rule, null)).toThrow(expect.objectContaining({ field: 'lines[0].skuId', code: 'unpublished' }));
    expect(() => quote([{ skuId: shopA, quantity: 1 }], offers, () => rule, null)).toThrow(PricingError);
  });

  it('refuses lines in two currencies', () => {
    const a = offer();
    const b = offer({ shopId: shopB, price: { amount: 100, currency: 'USD' }, tiers: [] });
    expect(() =>
      quote(
        [
          { skuId: a.skuId, quantity: 1 },
          { skuId: b.skuId, quantity: 1 },
        ],
        new Map([a, b].map((o) => [o.skuId, o])),
        () => rule,
        null,
      ),
    ).toThrow(/one currency/);
  });
});

describe('group-buy lines', () => {
  const terms = (skuId: string): GroupBuyTerms => ({ id: 'g0000000-0000-4000-8000-000000000001', skuId, price: cny(4900), perUserLimit: 2 });
  const quoteGroup = (lines: { o: SkuOffer; quantity: number; group?: GroupBuyTerms }[], reductions = true) =>
    quote(
      lines.map(({ o, quantity, group }) => ({ skuId: o.skuId, quantity, ...(group ? { groupBuyCampaignId: group.id } : {}) })),
      new Map(lines.map(({ o }) => [o.skuId, o])),
      () => rule,
      null,
      new Date(),
      { sales: new Map(), graceMs: 0, groupBuys: new Map(lines.flatMap(({ group }) => (group ? [[group.id, group] as const] : []))) },
      undefined,
      reductions
        ? {
            terms: [{ id: 'r0000000-0000-4000-8000-000000000001', shopId: shopA, name: { 'zh-CN': '满减', en: 'off' }, tiers: [{ kind: 'amount-off', threshold: cny(5000), off: cny(1000) }], repeat: false, scope: { kind: 'all' }, endsAt: '2099-01-01T00:00:00.000Z' }],
            categoryPathOf: () => [],
          }
        : undefined,
    );

  it('when a line is a group buy, then it costs the group price and no full-reduction takes more off it', () => {
    const o = offer();
    const q = quoteGroup([{ o, quantity: 2, group: terms(o.skuId) }]);
    expect(q.shops[0]!.lines[0]).toMatchObject({ priceSource: 'group-buy', unitPrice: cny(4900), lineTotal: cny(9800), discount: cny(0), explanation: 'group price CNY 49.00 × 2 (list CNY 68.00)' });
    expect([q.discount.amount, q.reductions]).toEqual([0, []]);
    // the same activity on a plain line beside it still applies, on that line alone
    const plain = offer();
    const mixed = quoteGroup([{ o: offer({ skuId: o.skuId }), quantity: 1, group: terms(o.skuId) }, { o: plain, quantity: 1 }]);
    expect(mixed.shops[0]!.lines.map((l) => l.discount.amount)).toEqual([0, 1000]);
  });

  it('when the campaign sells another SKU, the quantity passes its limit or it is unknown, then the field at fault is named', () => {
    const o = offer();
    expect(() => quoteGroup([{ o, quantity: 1, group: terms(offer().skuId) }])).toThrow(expect.objectContaining({ field: 'lines[0].groupBuyCampaignId', code: 'wrong_sku' }));
    expect(() => quoteGroup([{ o, quantity: 3, group: terms(o.skuId) }])).toThrow(expect.objectContaining({ field: 'lines[0].quantity', code: 'over_limit' }));
    expect(() => quote([{ skuId: o.skuId, quantity: 1, groupBuyCampaignId: 'g0000000-0000-4000-8000-000000000009' }], new Map([[o.skuId, o]]), () => rule, null)).toThrow(
      expect.objectContaining({ field: 'lines[0].groupBuyCampaignId', code: 'unknown' }),
    );
  });
});

describe('flash-sale lines', () => {
  const start = new Date('2026-11-11T00:00:00Z');
  const end = new Date('2026-11-11T01:00:00Z');
  const flashFor = (skuId: string, over: Partial<FlashTerms> = {}): FlashTerms => ({
    id: 'f0000000-0000-4000-8000-000000000001',
    skuId,
    price: cny(3900),
    perUserLimit: 2,
    startsAt: start,
    endsAt: end,
    ...over,
  });
  const quoteFlash = (o: SkuOffer, terms: FlashTerms, quantity: number, now: Date) =>
    quote([{ skuId: o.skuId, quantity, flashSaleId: terms.id }], new Map([[o.skuId, o]]), () => rule, null, now, { sales: new Map([[terms.id, terms]]), graceMs: 5 * 60_000 });

  it('when the campaign does not say its price stacks, then no coupon takes more off the flash line; when it says so, the coupon applies', () => {
    const o = offer({ price: cny(6800), tiers: [] });
    const other = offer({ price: cny(5000), tiers: [] });
    const platform = coupon({ shopId: null, discount: { kind: 'percent', percentOff: 10, maxOff: null }, minSpend: null });
    const priceWith = (stacks: boolean) => {
      const terms = flashFor(o.skuId, { stacks });
      return quote(
        [
          { skuId: o.skuId, quantity: 1, flashSaleId: terms.id },
          { skuId: other.skuId, quantity: 1 },
        ],
        new Map([o, other].map((x) => [x.skuId, x])),
        () => rule,
        null,
        new Date('2026-11-11T00:30:00Z'),
        { sales: new Map([[terms.id, terms]]), graceMs: 0 },
        { wallet: [platform], ids: [platform.id], categoryPathOf: () => [] },
      );
    };
    const alone = priceWith(false);
    expect(alone.shops[0]!.lines.map((l) => [l.priceSource, l.discount.amount, l.promotable])).toEqual([
      ['flash-sale', 0, false],
      ['list', 500, true],
    ]);
    const stacked = priceWith(true);
    // 10 % of 39.00 + 50.00
    expect(stacked.shops[0]!.lines.map((l) => l.discount.amount)).toEqual([390, 500]);
  });

  it('when the sale runs, then the line costs the flash price and says so, whatever tiers exist', () => {
    const o = offer();
    const q = quoteFlash(o, flashFor(o.skuId), 2, new Date('2026-11-11T00:30:00Z'));
    expect(q.shops[0]!.lines[0]).toMatchObject({ priceSource: 'flash-sale', unitPrice: cny(3900), lineTotal: cny(7800), flashSaleId: flashFor(o.skuId).id });
    expect(q.shops[0]!.lines[0]!.explanation).toBe('flash sale price CNY 39.00 × 2 (list CNY 68.00)');
  });

  it('when checkout comes within the grace after the end, then the price holds; after it, the line is refused', () => {
    const o = offer();
    expect(quoteFlash(o, flashFor(o.skuId), 1, new Date('2026-11-11T01:04:00Z')).total).toEqual(cny(4900));
    expect(() => quoteFlash(o, flashFor(o.skuId), 1, new Date('2026-11-11T01:06:00Z'))).toThrow(expect.objectContaining({ field: 'lines[0].flashSaleId', code: 'ended' }));
  });

  it('when the sale has not started, sells another SKU, or the quantity passes the limit, then the field at fault is named', () => {
    const o = offer();
    const during = new Date('2026-11-11T00:30:00Z');
    expect(() => quoteFlash(o, flashFor(o.skuId), 1, new Date('2026-11-10T23:59:00Z'))).toThrow(expect.objectContaining({ code: 'not_started' }));
    expect(() => quoteFlash(o, flashFor(offer().skuId), 1, during)).toThrow(expect.objectContaining({ field: 'lines[0].flashSaleId', code: 'wrong_sku' }));
    expect(() => quoteFlash(o, flashFor(o.skuId), 3, during)).toThrow(expect.objectContaining({ field: 'lines[0].quantity', code: 'over_limit' }));
  });

  it('when the flash sale is unknown, then the line is refused', () => {
    const o = offer();
    expect(() => quote([{ skuId: o.skuId, quantity: 1, flashSaleId: 'f0000000-0000-4000-8000-000000000009' }], new Map([[o.skuId, o]]), () => rule, null)).toThrow(
      expect.objectContaining({ field: 'lines[0].flashSaleId', code: 'unknown' }),
    );
  });
});

describe('quote with coupons', () => {
  const { offers, lines } = twoShops();
  const withCoupons = (wallet: Coupon[], ids: string[]) => quote(lines, offers, () => rule, null, new Date(), undefined, { wallet, ids, categoryPathOf: () => [] });

  it('when a shop coupon and a platform coupon are asked, then the shop’s applies to its lines, the platform’s to what is left, and every total adds up', () => {
    const shop = coupon();
    const platform = coupon({ shopId: null, discount: { kind: 'percent', percentOff: 10, maxOff: null }, minSpend: null });
    // platform first in the request: the order of application is still shop, then platform
    const q = withCoupons([shop, platform], [platform.id, shop.id]);
    expect(q.coupons.map((x) => [x.couponId, x.fundedBy, x.discount.amount])).toEqual([
      [shop.id, 'shop', 1000],
      // 10 % of (100.00 - 10.00 + 50.00)
      [platform.id, 'platform', 1400],
    ]);
    expect(q.shops[0]!.lines.map((l) => l.discount.amount)).toEqual([600 + 540, 400 + 360]);
    expect(q.shops[1]!.lines.map((l) => l.discount.amount)).toEqual([500]);
    // shop A keeps its free shipping (judged on 100.00 before coupons); shop B pays 10.00
    expect(q.shops.map((s) => [s.subtotal.amount, s.shipping.amount, s.discount.amount, s.total.amount])).toEqual([
      [10000, 0, 1900, 8100],
      [5000, 1000, 500, 5500],
    ]);
    expect([q.subtotal.amount, q.shipping.amount, q.discount.amount, q.total.amount]).toEqual([15000, 1000, 2400, 13600]);
    // the platform funds its coupon's share of each shop's discount (shop A: 540 + 360; shop B: 500), the shops their own
    expect(q.shops.map((s) => s.platformDiscount.amount)).toEqual([900, 500]);
    expect(q.coupons[1]!.explanation).toBe('10 % off on CNY 140.00: CNY 14.00');
    // each line says which step took what and who pays: shop A's first line 6.00 of the shop's coupon, 5.40 of the platform's
    expect(q.shops[0]!.lines[0]!.steps).toEqual([
      { step: 'shop-coupon', amount: cny(600), fundedBy: 'shop', ref: shop.id },
      { step: 'platform-coupon', amount: cny(540), fundedBy: 'platform', ref: platform.id },
    ]);

  });

  it('when a coupon is not the buyer’s usable one, does not fit, stacks or names an absent shop, then it is refused by its index', () => {
    const shop = coupon();
    const another = coupon();
    const big = coupon({ minSpend: cny(20000), discount: { kind: 'fixed', amount: cny(3000) } });
    const elsewhere = coupon({ shopId: '33333333-3333-4333-8333-333333333333', minSpend: null });
    expect(() => withCoupons([shop], [shop.id, another.id])).toThrow(expect.objectContaining({ field: 'couponIds.1', code: 'coupon_unavailable' }));
    expect(() => withCoupons([shop, another], [shop.id, another.id])).toThrow(expect.objectContaining({ field: 'couponIds.1', code: 'coupon_stacking' }));
    expect(() => withCoupons([big], [big.id])).toThrow(expect.objectContaining({ field: 'couponIds.0', code: 'coupon_below_threshold', message: expect.stringContaining('CNY 100.00 more') }));
    expect(() => withCoupons([elsewhere], [elsewhere.id])).toThrow(expect.objectContaining({ field: 'couponIds.0', code: 'coupon_shop_absent' }));
  });

  it('when no coupon is asked, then nothing is taken off and the quote says so', () => {
    const q = withCoupons([coupon()], []);
    expect([q.discount.amount, q.coupons, q.total.amount]).toEqual([0, [], 16000]);
  });
});

describe('quote for a member', () => {
  const { offers, lines } = twoShops();
  const gold: MemberBenefits = {
    userId: '44444444-4444-4444-8444-444444444444',
    level: 2,
    name: { 'zh-CN': '黄金会员', en: 'Gold' },
    discountBps: 200,
    freeShippingAbove: cny(4900),
    points: 10_000,
    spend: { pointsPerYuan: 100, maxShareBps: 5_000 },
  };
  const shopCoupon = coupon();
  const asMember = (m: MemberRequest, coupons = true) =>
    quote(lines, offers, () => rule, null, new Date(), undefined, coupons ? { wallet: [shopCoupon], ids: [shopCoupon.id], categoryPathOf: () => [] } : undefined, undefined, m);

  it('when a Gold member spends points beside a shop coupon, then the level discount and the points come after the coupon, the platform funds both and the waived shipping, and every total adds up', () => {
    const q = asMember({ benefits: gold, points: 3000 });
    // the coupon first (10.00 off shop A's 100.00), then 2 % of what is left (54.00 + 36.00 + 50.00 = 140.00): 2.80
    expect(q.member).toMatchObject({ level: 2, levelDiscount: cny(280), shippingWaived: cny(1000), points: { available: 10_000, used: 3000, value: cny(3000), max: 6800, pointsPerYuan: 100 } });
    // shop B's 50.00 reaches Gold's free shipping from 49.00: the platform pays the shop's 10.00
    expect(q.shops.map((s) => s.shipping.amount)).toEqual([0, 0]);
    expect(q.shops[1]!.shippingRule).toBe("free for Gold members from CNY 49.00 (the platform pays the shop's CNY 10.00)");
    expect(q.shops.reduce((a, s) => a + s.pointsUsed!, 0)).toBe(3000);
    // shop B's scarf: its level share (1.00 of 2.80) and its points, both the platform's
    expect(q.shops[1]!.lines[0]!.steps!.map((x) => [x.step, x.fundedBy])).toEqual([
      ['level-discount', 'platform'],
      ['points', 'platform'],
    ]);
    expect(q.shops[1]!.lines[0]!.steps![0]!.amount).toEqual(cny(100));
    for (const s of q.shops) {
      expect(s.discount.amount).toBe(s.lines.reduce((a, l) => a + l.discount.amount, 0));
      expect(s.total.amount).toBe(s.subtotal.amount + s.shipping.amount - s.discount.amount);
    }
    // what the platform pays: A its level share (1.08 + 0.72) and the points A took; B its level share 1.00, its points and the shipping
    const [a, b] = q.shops;
    expect(a!.platformDiscount.amount).toBe(180 + a!.pointsUsed!);
    expect(b!.platformDiscount.amount).toBe(100 + b!.pointsUsed! + 1000);
    expect(q.discount.amount).toBe(1000 + 280 + 3000);
    expect(q.total.amount).toBe(15000 - 4280);
  });

  it('when no points are asked, then the quote still says how many could be used', () => {
    const q = asMember({ benefits: gold }, false);
    // 2 % of 150.00 is 3.00; half of the 147.00 left is 73.50: 73 whole yuan
    expect(q.member).toMatchObject({ levelDiscount: cny(300), points: { used: 0, value: cny(0), max: 7300 } });
    expect(q.shops.map((s) => s.pointsUsed)).toEqual([0, 0]);
  });

  it('when the points are not whole yuan, more than the member has or more than the share allows, then `points` is refused and why', () => {
    expect(() => asMember({ benefits: gold, points: 150 })).toThrow(expect.objectContaining({ field: 'points', code: 'not_whole_yuan' }));
    expect(() => asMember({ benefits: { ...gold, points: 500 }, points: 600 })).toThrow(expect.objectContaining({ field: 'points', code: 'insufficient' }));
    expect(() => asMember({ benefits: gold, points: 6900 })).toThrow(expect.objectContaining({ field: 'points', code: 'over_limit', message: expect.stringContaining('6800 points') }));
  });

  it('when the member is at level 0, then nothing is taken off and shipping is the shop’s', () => {
    const q = asMember({ benefits: { ...gold, level: 0, discountBps: 0, freeShippingAbove: null } }, false);
    expect([q.discount.amount, q.shipping.amount, q.member!.levelDiscount.amount, q.shops.map((s) => s.platformDiscount.amount)]).toEqual([0, 1000, 0, [0, 0]]);
  });

  it('never takes a line below one minor unit, however small the lines', () => {
    const priceOf = (cents: number[]) => {
      const os = cents.map((c) => offer({ price: cny(c), tiers: [] }));
      return quote(os.map((o) => ({ skuId: o.skuId, quantity: 1 })), new Map(os.map((o) => [o.skuId, o])), () => rule, null, new Date(), undefined, undefined, undefined, { benefits: { ...gold, discountBps: 2_000 } });
    };
    // 20 % of five lines of 0.01 would be 0.01, and no line can give it
    const fen = priceOf([1, 1, 1, 1, 1]);
    expect(fen.shops[0]!.lines.map((l) => l.lineTotal.amount - l.discount.amount)).toEqual([1, 1, 1, 1, 1]);
    expect(fen.member).toMatchObject({ levelDiscount: cny(0), points: { max: 0 } });
    // beside a 0.02 line, that line gives it
    const two = priceOf([1, 1, 1, 1, 1, 2]);
    expect(two.shops[0]!.lines.map((l) => l.lineTotal.amount - l.discount.amount)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(two.member!.levelDiscount).toEqual(cny(1));
  });

  it('caps points by the share and the balance, in whole yuan', () => {
    expect(maxPoints(14_700, gold)).toBe(7300);
    expect(maxPoints(14_700, { ...gold, points: 4_250 })).toBe(4200);
    expect(maxPoints(199, gold)).toBe(0);
    expect(maxPoints(100_000, { points: 10_000, spend: { pointsPerYuan: 50, maxShareBps: 1000 } })).toBe(5000);
  });
});
