import fc from 'fast-check';
import type { Coupon, MemberBenefits, SkuOffer } from '@emporium/contracts';
import { PricingError, quote, type GroupBuyTerms, type MemberRequest, type Rule } from './pricing';
import type { ReductionTerms } from './reduction-math';

/**
 * The pricing pipeline under random carts (issue #14, "Proofs"): tiers, group-buy lines, each shop's
 * shipping rule and full-reduction activity, a shop coupon per shop and a platform coupon, a member's
 * level discount, free-shipping threshold and points. Whatever the cart, the parts add up, no line
 * goes below one minor unit, the same input gives the same answer, and no discount takes more than
 * its rule allows.
 */
const SHOPS = ['11111111-1111-4111-8111-111111111111', '22222222-2222-4222-8222-222222222222', '33333333-3333-4333-8333-333333333333'];
const id = (prefix: string, n: number) => `${prefix}-0000-4000-8000-${String(n).padStart(12, '0')}`;
const cny = (amount: number) => ({ amount, currency: 'CNY' });
const NOW = new Date('2026-12-02T12:00:00Z');

const lineArb = fc.record({
  shop: fc.integer({ min: 0, max: 2 }),
  // tiny prices too: the one-unit floor matters where a line costs a few fen
  price: fc.oneof(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 200_000 })),
  quantity: fc.oneof(fc.constant(1), fc.integer({ min: 1, max: 20 })),
  tier: fc.option(fc.record({ minQuantity: fc.integer({ min: 2, max: 10 }), cut: fc.integer({ min: 0, max: 90 }) }), { nil: null }),
  companyCut: fc.option(fc.integer({ min: 0, max: 90 }), { nil: null }),
  groupCut: fc.option(fc.integer({ min: 1, max: 90 }), { nil: null }),
});
const ruleArb = fc.record({ fee: fc.integer({ min: 0, max: 2_000 }), freeAbove: fc.option(fc.integer({ min: 0, max: 50_000 }), { nil: null }) });
const reductionArb = fc.option(
  fc.oneof(
    fc.record({ kind: fc.constant('amount-off' as const), threshold: fc.integer({ min: 2, max: 100_000 }), offShare: fc.integer({ min: 1, max: 99 }), repeat: fc.boolean() }),
    fc.record({ kind: fc.constant('percent-off' as const), threshold: fc.integer({ min: 1, max: 100_000 }), percentOff: fc.integer({ min: 1, max: 50 }), repeat: fc.constant(false) }),
  ),
  { nil: null },
);
const couponArb = fc.option(
  fc.oneof(
    fc.record({ kind: fc.constant('fixed' as const), amount: fc.integer({ min: 1, max: 20_000 }), minSpend: fc.option(fc.integer({ min: 1, max: 100_000 }), { nil: null }) }),
    fc.record({ kind: fc.constant('percent' as const), percentOff: fc.integer({ min: 1, max: 90 }), maxOff: fc.option(fc.integer({ min: 1, max: 20_000 }), { nil: null }), minSpend: fc.option(fc.integer({ min: 1, max: 100_000 }), { nil: null }) }),
  ),
  { nil: null },
);
const memberArb = fc.option(
  fc.record({
    discountBps: fc.integer({ min: 0, max: 2_000 }),
    freeShippingAbove: fc.option(fc.integer({ min: 0, max: 20_000 }), { nil: null }),
    points: fc.integer({ min: 0, max: 1_000_000 }),
    pointsPerYuan: fc.constantFrom(1, 10, 100, 1000),
    maxShareBps: fc.integer({ min: 0, max: 10_000 }),
    spendShare: fc.double({ min: 0, max: 1, noNaN: true }),
  }),
  { nil: null },
);
const cartArb = fc.record({
  lines: fc.array(lineArb, { minLength: 1, maxLength: 6 }),
  rules: fc.array(ruleArb, { minLength: 3, maxLength: 3 }),
  reductions: fc.array(reductionArb, { minLength: 3, maxLength: 3 }),
  shopCoupons: fc.array(couponArb, { minLength: 3, maxLength: 3 }),
  platformCoupon: couponArb,
  member: memberArb,
});
type Cart = typeof cartArb extends fc.Arbitrary<infer T> ? T : never;

function build(cart: Cart) {
  const offers = new Map<string, SkuOffer>();
  const groupBuys = new Map<string, GroupBuyTerms>();
  const lines = cart.lines.map((l, i) => {
    const skuId = id('aaaaaaaa', i + 1);
    const cut = (pct: number) => cny(Math.max(1, Math.floor((l.price * (100 - pct)) / 100)));
    offers.set(skuId, {
      skuId,
      productId: id('bbbbbbbb', i + 1),
      shopId: SHOPS[l.shop]!,
      categoryPath: [],
      name: { 'zh-CN': '货', en: 'goods' },
      specValues: {},
      image: null,
      weightGrams: 100,
      price: cny(l.price),
      originalPrice: null,
      tiers: l.tier ? [{ minQuantity: l.tier.minQuantity, price: cut(l.tier.cut) }] : [],
      companyPrice: l.companyCut === null ? null : cut(l.companyCut),
      purchasable: true,
      unavailableReason: null,
    });
    if (l.groupCut === null) return { skuId, quantity: l.quantity };
    const campaign = id('cccccccc', i + 1);
    groupBuys.set(campaign, { id: campaign, skuId, price: cut(l.groupCut), perUserLimit: 100 });
    return { skuId, quantity: l.quantity, groupBuyCampaignId: campaign };
  });
  const ruleOf = (shopId: string): Rule => {
    const r = cart.rules[SHOPS.indexOf(shopId)]!;
    return { flatFee: cny(r.fee), freeAbove: r.freeAbove === null ? null : cny(r.freeAbove) };
  };
  const reductions: ReductionTerms[] = cart.reductions.flatMap((r, s) => {
    if (!r) return [];
    const tier = r.kind === 'amount-off' ? { kind: 'amount-off' as const, threshold: cny(r.threshold), off: cny(Math.max(1, Math.floor((r.threshold * r.offShare) / 100))) } : { kind: 'percent-off' as const, threshold: cny(r.threshold), percentOff: r.percentOff };
    if (tier.kind === 'amount-off' && tier.off.amount >= tier.threshold.amount) return [];
    return [{ id: id('dddddddd', s + 1), shopId: SHOPS[s]!, name: { 'zh-CN': '满减', en: 'reduction' }, tiers: [tier], repeat: r.repeat, scope: { kind: 'all' }, endsAt: '2099-01-01T00:00:00.000Z' }];
  });
  const coupon = (c: NonNullable<Cart['platformCoupon']>, n: number, shopId: string | null): Coupon | null => {
    if (c.kind === 'fixed' && c.minSpend !== null && c.amount >= c.minSpend) return null;
    return {
      id: id('eeeeeeee', n),
      templateId: id('ffffffff', n),
      shopId,
      name: { 'zh-CN': '券', en: 'coupon' },
      discount: c.kind === 'fixed' ? { kind: 'fixed', amount: cny(c.amount) } : { kind: 'percent', percentOff: c.percentOff, maxOff: c.maxOff === null ? null : cny(c.maxOff) },
      minSpend: c.minSpend === null ? null : cny(c.minSpend),
      scope: { kind: 'all' },
      validFrom: '2026-01-01T00:00:00.000Z',
      validUntil: '2099-01-01T00:00:00.000Z',
      state: 'usable',
      claimedAt: '2026-01-01T00:00:00.000Z',
      usedAt: null,
      note: null,
    };
  };
  const present = new Set(cart.lines.map((l) => SHOPS[l.shop]!));
  const wallet = [
    ...cart.shopCoupons.flatMap((c, s) => (c && present.has(SHOPS[s]!) ? [coupon(c, s + 1, SHOPS[s]!)] : [])),
    ...(cart.platformCoupon ? [coupon(cart.platformCoupon, 9, null)] : []),
  ].filter((c): c is Coupon => c !== null);
  const benefits: MemberBenefits | null = cart.member
    ? {
        userId: id('99999999', 1),
        level: 1,
        name: { 'zh-CN': '会员', en: 'Member' },
        discountBps: cart.member.discountBps,
        freeShippingAbove: cart.member.freeShippingAbove === null ? null : cny(cart.member.freeShippingAbove),
        points: cart.member.points,
        spend: { pointsPerYuan: cart.member.pointsPerYuan, maxShareBps: cart.member.maxShareBps },
      }
    : null;
  const price = (member: MemberRequest | null, ids = wallet.map((c) => c.id)) =>
    quote(lines, offers, ruleOf, null, NOW, { sales: new Map(), graceMs: 0, groupBuys }, ids.length ? { wallet, ids, categoryPathOf: () => [] } : undefined, { terms: reductions, categoryPathOf: () => [] }, member);
  return { price, benefits, wallet, ruleOf };
}

/** The cart priced with every coupon that fits (a coupon that does not is dropped, as the storefront would) and a share of the points it allows. */
function priced(cart: Cart) {
  const b = build(cart);
  let ids = b.wallet.map((c) => c.id);
  const attempt = (member: MemberRequest | null) => {
    for (;;) {
      try {
        return b.price(member, ids);
      } catch (err) {
        if (!(err instanceof PricingError) || !err.field.startsWith('couponIds.')) throw err;
        ids = ids.filter((_, i) => `couponIds.${i}` !== err.field);
      }
    }
  };
  const plain = attempt(b.benefits ? { benefits: b.benefits } : null);
  if (!b.benefits || !plain.member) return { quote: plain, again: () => b.price(b.benefits ? { benefits: b.benefits } : null, ids), cart, b, ids };
  const perYuan = b.benefits.spend.pointsPerYuan;
  const points = Math.floor((plain.member.points.max / perYuan) * cart.member!.spendShare) * perYuan;
  const member = { benefits: b.benefits, points };
  return { quote: attempt(member), again: () => b.price(member, ids), cart, b, ids };
}

describe('the pricing pipeline, on random carts', () => {
  it('adds up: lines to shops, shops to the quote, every total what the buyer pays; no line below one minor unit', () => {
    fc.assert(
      fc.property(cartArb, (cart) => {
        const { quote: q } = priced(cart);
        for (const s of q.shops) {
          expect(s.discount.amount).toBe(s.lines.reduce((a, l) => a + l.discount.amount, 0));
          expect(s.subtotal.amount).toBe(s.lines.reduce((a, l) => a + l.lineTotal.amount, 0));
          expect(s.total.amount).toBe(s.subtotal.amount + s.shipping.amount - s.discount.amount);
          expect(s.total.amount).toBeGreaterThanOrEqual(0);
          const waived = s.shippingWaived?.amount ?? 0;
          expect(s.platformDiscount.amount).toBeGreaterThanOrEqual(0);
          expect(s.platformDiscount.amount).toBeLessThanOrEqual(s.discount.amount + waived);
          expect(s.shipping.amount + waived).toBeLessThanOrEqual(cart.rules[SHOPS.indexOf(s.shopId)]!.fee);
          // the trace explains every line's discount, and the platform's steps are what it pays the shop (beside waived shipping)
          expect(s.lines.reduce((a, l) => a + (l.steps ?? []).filter((x) => x.fundedBy === 'platform').reduce((b, x) => b + x.amount.amount, 0), 0)).toBe(s.platformDiscount.amount - waived);
          for (const l of s.lines) {
            expect((l.steps ?? []).reduce((a, x) => a + x.amount.amount, 0)).toBe(l.discount.amount);
            expect(l.discount.amount).toBeGreaterThanOrEqual(0);
            if (l.priceSource === 'group-buy') expect(l.discount.amount).toBe(0);
            else if (l.discount.amount > 0) expect(l.lineTotal.amount - l.discount.amount).toBeGreaterThanOrEqual(1);
          }
        }
        for (const k of ['subtotal', 'shipping', 'discount', 'total'] as const) expect(q[k].amount).toBe(q.shops.reduce((a, s) => a + s[k].amount, 0));
        // every minor unit off is accounted for by a step
        const steps = q.reductions.reduce((a, r) => a + r.discount.amount, 0) + q.coupons.reduce((a, c) => a + c.discount.amount, 0) + (q.member?.levelDiscount.amount ?? 0) + (q.member?.points.value.amount ?? 0);
        expect(q.discount.amount).toBe(steps);
      }),
      { numRuns: 400 },
    );
  });

  it('is deterministic: the same cart gives the same answer', () => {
    fc.assert(
      fc.property(cartArb, (cart) => {
        const p = priced(cart);
        expect(p.again()).toEqual(p.quote);
      }),
      { numRuns: 200 },
    );
  });

  it('never gives more than the rules allow', () => {
    fc.assert(
      fc.property(cartArb, (cart) => {
        const { quote: q, b } = priced(cart);
        const promotable = q.shops.flatMap((s) => s.lines).filter((l) => l.priceSource !== 'group-buy');
        const goods = promotable.reduce((a, l) => a + l.lineTotal.amount, 0);
        for (const c of q.coupons) {
          const terms = b.wallet.find((w) => w.id === c.couponId)!;
          if (terms.discount.kind === 'fixed') expect(c.discount.amount).toBeLessThanOrEqual(terms.discount.amount.amount);
          else {
            expect(c.discount.amount).toBeLessThanOrEqual(Math.floor((goods * terms.discount.percentOff) / 100));
            if (terms.discount.maxOff) expect(c.discount.amount).toBeLessThanOrEqual(terms.discount.maxOff.amount);
          }
        }
        if (q.member && b.benefits) {
          const m = q.member;
          expect(m.levelDiscount.amount).toBeLessThanOrEqual(Math.floor((goods * b.benefits.discountBps) / 10_000));
          expect(m.points.used).toBeLessThanOrEqual(Math.min(b.benefits.points, m.points.max));
          expect(m.points.used % b.benefits.spend.pointsPerYuan).toBe(0);
          expect(m.points.value.amount).toBe((m.points.used / b.benefits.spend.pointsPerYuan) * 100);
          expect(m.points.value.amount).toBeLessThanOrEqual(Math.floor((goods * b.benefits.spend.maxShareBps) / 10_000));
          expect(q.shops.reduce((a, s) => a + (s.pointsUsed ?? 0), 0)).toBe(m.points.used);
        }
        // a buyer never pays less than one minor unit per promotable line
        expect(promotable.reduce((a, l) => a + l.lineTotal.amount - l.discount.amount, 0)).toBeGreaterThanOrEqual(promotable.length);
      }),
      { numRuns: 400 },
    );
  });
});
