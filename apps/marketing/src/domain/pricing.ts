import type { AppliedCoupon, AppliedReduction, Coupon, MemberBenefits, Money, PriceSource, Quote, QuoteLine, QuoteLineStep, QuoteMember, ShopQuote, SkuOffer } from '@emporium/contracts';
import { apportion, fitCoupon, type CouponLine } from './coupon-math';
import { bestReductions, type ReductionFit, type ReductionTerms } from './reduction-math';

/**
 * The pricing engine, pure: no I/O, every input named. A line costs the lowest
 * of the prices that apply to it (list; the tier with the highest minimum at
 * or below the quantity; the buyer's company price), and the answer says which
 * applied and which were beaten.
 */
export interface Rule {
  flatFee: Money;
  freeAbove: Money | null;
}

export class PricingError extends Error {
  constructor(
    readonly field: string,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const fmt = (m: Money) => `${m.currency} ${(m.amount / 100).toFixed(2)}`;

function multiply(unit: Money, quantity: number): Money {
  const amount = unit.amount * quantity;
  if (!Number.isSafeInteger(amount)) throw new PricingError('lines', 'too_large', 'the amount is too large to price');
  return { amount, currency: unit.currency };
}

/** A flash sale's terms as the quote needs them. */
export interface FlashTerms {
  id: string;
  skuId: string;
  price: Money;
  perUserLimit: number;
  startsAt: Date;
  endsAt: Date;
  /** full-reduction, coupons and member benefits apply on top of the flash price (absent: they do not) */
  stacks?: boolean;
}

/**
 * A flash-sale line costs the campaign's price. Checkout may come a little
 * after the window closed (a shopper holds units for a few minutes), so the
 * price holds for `graceMs` after the end.
 */
export function priceFlashLine(offer: SkuOffer, quantity: number, terms: FlashTerms, index: number, now: Date, graceMs: number): QuoteLine {
  const field = `lines[${index}].flashSaleId`;
  if (terms.skuId !== offer.skuId) throw new PricingError(field, 'wrong_sku', `flash sale ${terms.id} does not sell SKU ${offer.skuId}`);
  if (now < terms.startsAt) throw new PricingError(field, 'not_started', `flash sale ${terms.id} starts at ${terms.startsAt.toISOString()}`);
  if (now.getTime() > terms.endsAt.getTime() + graceMs) throw new PricingError(field, 'ended', `flash sale ${terms.id} ended at ${terms.endsAt.toISOString()}`);
  if (quantity > terms.perUserLimit) throw new PricingError(`lines[${index}].quantity`, 'over_limit', `flash sale ${terms.id} sells at most ${terms.perUserLimit} per shopper`);
  return campaignLine(offer, quantity, terms.price, 'flash-sale', terms.id, 'flash sale price');
}

/** A group-buy campaign's terms as the quote needs them (whether a seat can be had is the group's actor's to say). */
export interface GroupBuyTerms {
  id: string;
  skuId: string;
  price: Money;
  perUserLimit: number;
}

/** A group-buy line costs the campaign's group price; no full-reduction or coupon applies to it. */
export function priceGroupBuyLine(offer: SkuOffer, quantity: number, terms: GroupBuyTerms, index: number): QuoteLine {
  const field = `lines[${index}].groupBuyCampaignId`;
  if (terms.skuId !== offer.skuId) throw new PricingError(field, 'wrong_sku', `group buy ${terms.id} does not sell SKU ${offer.skuId}`);
  if (quantity > terms.perUserLimit) throw new PricingError(`lines[${index}].quantity`, 'over_limit', `group buy ${terms.id} sells at most ${terms.perUserLimit} per shopper`);
  return campaignLine(offer, quantity, terms.price, 'group-buy', null, 'group price');
}

/** A line at a campaign's price (a flash sale's, a group buy's), whatever tiers or company prices exist. */
function campaignLine(offer: SkuOffer, quantity: number, price: Money, source: 'flash-sale' | 'group-buy', flashSaleId: string | null, words: string): QuoteLine {
  if (price.currency !== offer.price.currency) throw new PricingError('lines', 'currency', `SKU ${offer.skuId} has prices in two currencies`);
  return {
    skuId: offer.skuId,
    productId: offer.productId,
    quantity,
    unitPrice: price,
    lineTotal: multiply(price, quantity),
    priceSource: source,
    listPrice: offer.price,
    tier: null,
    companyPrice: offer.companyPrice,
    flashSaleId,
    explanation: `${words} ${fmt(price)} × ${quantity} (list ${fmt(offer.price)})`,
    discount: { amount: 0, currency: price.currency },
  };
}

export function priceLine(offer: SkuOffer, quantity: number): QuoteLine {
  const tier = [...offer.tiers].filter((t) => t.minQuantity <= quantity).sort((a, b) => b.minQuantity - a.minQuantity)[0] ?? null;
  // ties go to the more specific source: company, then tier, then list
  const candidates: [PriceSource, Money][] = [
    ['company', offer.companyPrice],
    ['tier', tier?.price ?? null],
    ['list', offer.price],
  ].filter((c): c is [PriceSource, Money] => c[1] !== null);
  for (const [, price] of candidates) {
    if (price.currency !== offer.price.currency) throw new PricingError('lines', 'currency', `SKU ${offer.skuId} has prices in two currencies`);
  }
  const [source, unitPrice] = candidates.reduce((best, c) => (c[1].amount < best[1].amount ? c : best));
  const considered = candidates.map(([s, p]) => `${s === 'tier' && tier ? `tier from ${tier.minQuantity}` : s} ${fmt(p)}`).join(', ');
  return {
    skuId: offer.skuId,
    productId: offer.productId,
    quantity,
    unitPrice,
    lineTotal: multiply(unitPrice, quantity),
    priceSource: source,
    listPrice: offer.price,
    tier,
    companyPrice: offer.companyPrice,
    flashSaleId: null,
    explanation:
      candidates.length === 1 ? `list price ${fmt(unitPrice)} × ${quantity}` : `${source} price ${fmt(unitPrice)} × ${quantity}, the lowest of: ${considered}`,
    discount: { amount: 0, currency: unitPrice.currency },
  };
}

export function shippingFor(subtotal: Money, rule: Rule): { shipping: Money; text: string } {
  if (rule.flatFee.currency !== subtotal.currency) throw new PricingError('lines', 'currency', `the shop's shipping is charged in ${rule.flatFee.currency}, its goods in ${subtotal.currency}`);
  if (rule.freeAbove && subtotal.amount >= rule.freeAbove.amount) return { shipping: { amount: 0, currency: subtotal.currency }, text: `free from ${fmt(rule.freeAbove)}` };
  return { shipping: rule.flatFee, text: rule.freeAbove ? `${fmt(rule.flatFee)}, free from ${fmt(rule.freeAbove)}` : `${fmt(rule.flatFee)} per order` };
}

const sum = (ms: Money[], currency: string): Money => {
  const amount = ms.reduce((a, m) => a + m.amount, 0);
  if (!Number.isSafeInteger(amount)) throw new PricingError('lines', 'too_large', 'the amount is too large to price');
  return { amount, currency };
};

/** The buyer's coupons a quote may apply: their usable coupons, and the ids asked for in order. */
export interface CouponRequest {
  wallet: readonly Coupon[];
  ids: readonly string[];
  /** each line's category path (category scopes), by SKU */
  categoryPathOf: (skuId: string) => readonly string[];
}

const unfitWords: Record<string, string> = {
  'not-usable': 'is not usable now',
  currency: 'is in another currency',
  'no-lines-in-scope': 'applies to none of these lines',
  'below-threshold': 'needs more spent on the lines it applies to',
  'too-small': 'takes nothing off these lines',
};

/**
 * Applies the asked coupons by coupon-math's rules: at most one per shop and
 * one of the platform, shop coupons first and the platform's on what is left;
 * a coupon that is not the buyer's usable one or does not fit is refused by
 * its index, never dropped silently. Returns each line's discount.
 */
function applyCoupons(
  priced: { shopId: string; skuId: string; line: QuoteLine }[],
  /** what each line costs before the coupons (after full-reduction) */
  before: readonly number[],
  req: CouponRequest,
  currency: string,
  now: Date,
): { perLine: number[]; platformPerLine: number[]; applied: AppliedCoupon[]; shares: { couponId: string; platform: boolean; shares: number[] }[] } {
  const wanted = req.ids.map((id, i) => {
    const coupon = req.wallet.find((c) => c.id === id);
    if (!coupon) throw new PricingError(`couponIds.${i}`, 'coupon_unavailable', `coupon ${id} is not one of your usable coupons`);
    return { coupon, i };
  });
  const seen = new Set<string>();
  for (const { coupon, i } of wanted) {
    const slot = coupon.shopId ?? 'platform';
    if (seen.has(slot)) throw new PricingError(`couponIds.${i}`, 'coupon_stacking', coupon.shopId ? `one coupon per shop: two of shop ${coupon.shopId} were asked` : 'one platform coupon per order');
    seen.add(slot);
    if (coupon.shopId && !priced.some((p) => p.shopId === coupon.shopId)) throw new PricingError(`couponIds.${i}`, 'coupon_shop_absent', `coupon ${coupon.id} is of a shop none of these lines are from`);
  }
  const ordered = [...wanted.filter((w) => w.coupon.shopId !== null), ...wanted.filter((w) => w.coupon.shopId === null)];
  const lines: CouponLine[] = priced.map((p, j) => ({ shopId: p.shopId, productId: p.line.productId, categoryPath: req.categoryPathOf(p.skuId), amount: before[j]! }));
  const perLine = lines.map(() => 0);
  const platformPerLine = lines.map(() => 0);
  const applied: AppliedCoupon[] = [];
  const byCoupon: { couponId: string; platform: boolean; shares: number[] }[] = [];
  for (const { coupon, i } of ordered) {
    const fit = fitCoupon(coupon, lines, currency, now);
    if (!fit.fits) {
      const short = fit.shortBy !== null ? ` (${fmt({ amount: fit.shortBy, currency })} more on the lines it applies to)` : '';
      throw new PricingError(`couponIds.${i}`, `coupon_${fit.reason.replace(/-/g, '_')}`, `coupon ${coupon.id} ${unfitWords[fit.reason]}${short}`);
    }
    byCoupon.push({ couponId: coupon.id, platform: coupon.shopId === null, shares: fit.shares });
    fit.shares.forEach((share, j) => {
      perLine[j]! += share;
      if (coupon.shopId === null) platformPerLine[j]! += share;
      lines[j]!.amount -= share;
    });
    const discount = { amount: fit.discount, currency };
    applied.push({
      couponId: coupon.id,
      templateId: coupon.templateId,
      shopId: coupon.shopId,
      fundedBy: coupon.shopId ? 'shop' : 'platform',
      name: coupon.name,
      discount,
      explanation: `${coupon.discount.kind === 'fixed' ? `${fmt(coupon.discount.amount)} off` : `${coupon.discount.percentOff} % off${coupon.discount.maxOff ? `, at most ${fmt(coupon.discount.maxOff)}` : ''}`}${coupon.minSpend ? ` from ${fmt(coupon.minSpend)}` : ''} on ${fmt({ amount: fit.eligible, currency })}: ${fmt(discount)}`,
    });
  }
  return { perLine, platformPerLine, applied, shares: byCoupon };
}

/** An activity's terms in words: "CNY 30.00 off from CNY 300.00, CNY 80.00 off from CNY 500.00", "CNY 20.00 off every CNY 200.00", "10 % off from CNY 500.00". */
export function reductionWords(r: Pick<ReductionTerms, 'tiers' | 'repeat'>): string {
  return r.tiers
    .map((t) => (t.kind === 'amount-off' ? `${fmt(t.off)} off ${r.repeat ? 'every' : 'from'} ${fmt(t.threshold)}` : `${t.percentOff} % off from ${fmt(t.threshold)}`))
    .join(', ');
}

/** The buyer's membership as a quote needs it: their benefits, and the points they ask to spend. */
export interface MemberRequest {
  benefits: MemberBenefits;
  points?: number | undefined;
}

/** The most points `remaining` (what promotable lines cost after the other discounts) lets a member spend: the share cap and the balance, in whole yuan. */
export function maxPoints(remaining: number, benefits: Pick<MemberBenefits, 'points' | 'spend'>): number {
  const { pointsPerYuan, maxShareBps } = benefits.spend;
  const yuanByShare = Math.floor(Math.floor((remaining * maxShareBps) / 10_000) / 100);
  return Math.min(yuanByShare, Math.floor(benefits.points / pointsPerYuan)) * pointsPerYuan;
}

/**
 * The member's level discount and points, after full-reduction and coupons (so neither moves a
 * threshold those judged), on promotable lines only; both are the platform's to fund. Returns what
 * each takes off each line, and the quote's account of it.
 */
function applyMember(before: readonly number[], m: MemberRequest, currency: string): { level: number[]; points: number[]; member: QuoteMember } {
  const b = m.benefits;
  const money = (amount: number) => ({ amount, currency });
  // like every discount, neither takes a line below one minor unit: each is apportioned by what a line can give
  const canGive = (xs: readonly number[]) => xs.map((x) => Math.max(0, x - 1));
  const total = (xs: readonly number[]) => xs.reduce((a, x) => a + x, 0);
  const eligible = total(before);
  const levelWeights = canGive(before);
  const levelTotal = b.discountBps > 0 ? Math.min(Math.floor((eligible * b.discountBps) / 10_000), total(levelWeights)) : 0;
  const level = apportion(levelTotal, levelWeights);
  const pointsWeights = canGive(before.map((x, j) => x - level[j]!));
  const max = Math.min(maxPoints(eligible - levelTotal, b), Math.floor(total(pointsWeights) / 100) * b.spend.pointsPerYuan);
  const asked = m.points ?? 0;
  if (asked > 0) {
    const perYuan = b.spend.pointsPerYuan;
    if (asked % perYuan !== 0) throw new PricingError('points', 'not_whole_yuan', `points are spent in whole yuan: a multiple of ${perYuan}`);
    if (asked > b.points) throw new PricingError('points', 'insufficient', `you have ${b.points} usable points, fewer than ${asked}`);
    if (asked > max) {
      const why = max === 0 ? 'nothing here can be paid with points' : `points pay at most ${b.spend.maxShareBps / 100} % of the goods: ${max} points here`;
      throw new PricingError('points', 'over_limit', why);
    }
  }
  const value = (asked / b.spend.pointsPerYuan) * 100;
  const points = apportion(value, pointsWeights);
  return {
    level,
    points,
    member: {
      level: b.level,
      name: b.name,
      discountBps: b.discountBps,
      levelDiscount: money(levelTotal),
      shippingWaived: money(0),
      points: { available: b.points, used: asked, value: money(value), max, pointsPerYuan: b.spend.pointsPerYuan },
    },
  };
}

/** Prices the lines, grouped by shop in the order they first appear; applies the buyer's coupons, level discount and points when asked. */
export function quote(
  lines: { skuId: string; quantity: number; flashSaleId?: string | undefined; groupBuyCampaignId?: string | undefined }[],
  offers: ReadonlyMap<string, SkuOffer>,
  ruleOf: (shopId: string) => Rule,
  companyId: string | null,
  now = new Date(),
  /** the flash sales and group-buy campaigns the lines name */
  flash: { sales: ReadonlyMap<string, FlashTerms>; graceMs: number; groupBuys?: ReadonlyMap<string, GroupBuyTerms> } = { sales: new Map(), graceMs: 0 },
  coupons?: CouponRequest,
  /** the shops' running full-reduction activities, and each line's category path (their scopes) */
  reductions?: { terms: readonly ReductionTerms[]; categoryPathOf: (skuId: string) => readonly string[] },
  /** a signed-in buyer's membership (null: anonymous, or membership did not answer) */
  member?: MemberRequest | null,
): Quote {
  const priced: { shopId: string; skuId: string; line: QuoteLine }[] = lines.map((l, i) => {
    const offer = offers.get(l.skuId);
    if (!offer) throw new PricingError(`lines[${i}].skuId`, 'unknown', `no SKU ${l.skuId}`);
    if (!offer.purchasable) throw new PricingError(`lines[${i}].skuId`, offer.unavailableReason ?? 'unavailable', `SKU ${l.skuId} cannot be bought now (${offer.unavailableReason})`);
    if (l.groupBuyCampaignId !== undefined) {
      const group = flash.groupBuys?.get(l.groupBuyCampaignId);
      if (!group) throw new PricingError(`lines[${i}].groupBuyCampaignId`, 'unknown', `no group-buy campaign ${l.groupBuyCampaignId}`);
      return { shopId: offer.shopId, skuId: l.skuId, line: priceGroupBuyLine(offer, l.quantity, group, i) };
    }
    if (l.flashSaleId === undefined) return { shopId: offer.shopId, skuId: l.skuId, line: priceLine(offer, l.quantity) };
    const terms = flash.sales.get(l.flashSaleId);
    if (!terms) throw new PricingError(`lines[${i}].flashSaleId`, 'unknown', `no flash sale ${l.flashSaleId}`);
    return { shopId: offer.shopId, skuId: l.skuId, line: priceFlashLine(offer, l.quantity, terms, i, now, flash.graceMs) };
  });
  const currencies = new Set(priced.map((p) => p.line.unitPrice.currency));
  if (currencies.size > 1) throw new PricingError('lines', 'currency', `one order is paid in one currency; these lines use ${[...currencies].join(' and ')}`);
  const currency = [...currencies][0]!;
  const none = priced.map(() => 0);
  // an activity price is the whole discount: no activity, coupon or member benefit takes more off a group-buy
  // line, nor off a flash-sale line unless its campaign says they stack
  const promotable = (p: { line: QuoteLine }) => p.line.priceSource === 'list' || p.line.priceSource === 'tier' || p.line.priceSource === 'company' || (p.line.priceSource === 'flash-sale' && flash.sales.get(p.line.flashSaleId!)?.stacks === true);
  // full-reduction first (one activity per shop), coupons on what is left
  const reduced = reductions?.terms.length
    ? bestReductions(reductions.terms, priced.map((p) => ({ shopId: p.shopId, productId: p.line.productId, categoryPath: reductions.categoryPathOf(p.skuId), amount: promotable(p) ? p.line.lineTotal.amount : 0 })), currency)
    : { applied: [], hints: new Map<string, ReductionFit>() };
  const reductionPerLine = priced.map((_, j) => reduced.applied.reduce((a, f) => a + f.shares[j]!, 0));
  const afterReduction = priced.map((p, j) => (promotable(p) ? p.line.lineTotal.amount - reductionPerLine[j]! : 0));
  const appliedReductions: AppliedReduction[] = reduced.applied.map((f) => {
    const discount = { amount: f.discount, currency };
    return { reductionId: f.reduction.id, shopId: f.reduction.shopId, name: f.reduction.name, discount, explanation: `${reductionWords(f.reduction)} on ${fmt({ amount: f.eligible, currency })}: ${fmt(discount)}` };
  });
  const { perLine, platformPerLine, applied, shares: couponShares } = coupons && coupons.ids.length ? applyCoupons(priced, afterReduction, coupons, currency, now) : { perLine: none, platformPerLine: none, applied: [], shares: [] };
  // the level discount and points on what the coupons left
  const byMember = member ? applyMember(afterReduction.map((x, j) => x - perLine[j]!), member, currency) : null;
  const memberPerLine = priced.map((_, j) => (byMember ? byMember.level[j]! + byMember.points[j]! : 0));
  // each line's trace: every step that took something off it, in order, and who pays
  const stepsOf = (j: number): QuoteLineStep[] =>
    [
      ...reduced.applied.map((f): QuoteLineStep => ({ step: 'full-reduction', amount: { amount: f.shares[j]!, currency }, fundedBy: 'shop', ref: f.reduction.id })),
      ...couponShares.map((c): QuoteLineStep => ({ step: c.platform ? 'platform-coupon' : 'shop-coupon', amount: { amount: c.shares[j]!, currency }, fundedBy: c.platform ? 'platform' : 'shop', ref: c.couponId })),
      ...(byMember
        ? [
            { step: 'level-discount', amount: { amount: byMember.level[j]!, currency }, fundedBy: 'platform', ref: null } as const,
            { step: 'points', amount: { amount: byMember.points[j]!, currency }, fundedBy: 'platform', ref: null } as const,
          ]
        : []),
    ].filter((s) => s.amount.amount > 0);
  priced.forEach((p, j) => (p.line = { ...p.line, discount: { amount: reductionPerLine[j]! + perLine[j]! + memberPerLine[j]!, currency }, steps: stepsOf(j), promotable: promotable(p) }));
  let waived = 0;
  const shopIds = [...new Set(priced.map((p) => p.shopId))];
  // the points each shop's lines took, in proportion to the value they took (what a refund of a sub-order gives back)
  const shopPoints = byMember
    ? apportion(byMember.member.points.used, shopIds.map((id) => priced.reduce((a, p, j) => a + (p.shopId === id ? byMember.points[j]! : 0), 0)))
    : [];
  const shops: ShopQuote[] = shopIds.map((shopId) => {
    const shopLines = priced.filter((p) => p.shopId === shopId).map((p) => p.line);
    const subtotal = sum(shopLines.map((l) => l.lineTotal), currency);
    // free shipping is judged on the goods before coupons: a coupon never costs the buyer their free shipping
    const shop = shippingFor(subtotal, ruleOf(shopId));
    // a member's lower threshold: the platform pays the shop's fee
    const memberFree = member?.benefits.freeShippingAbove;
    const waive = shop.shipping.amount > 0 && memberFree && memberFree.currency === currency && subtotal.amount >= memberFree.amount ? shop.shipping.amount : 0;
    waived += waive;
    const shipping = { amount: shop.shipping.amount - waive, currency };
    const text = waive ? `free for ${member!.benefits.name.en} members from ${fmt(memberFree!)} (the platform pays the shop's ${fmt(shop.shipping)})` : shop.text;
    const discount = sum(shopLines.map((l) => l.discount), currency);
    const platformDiscount = { amount: waive + priced.reduce((a, p, j) => a + (p.shopId === shopId ? platformPerLine[j]! + memberPerLine[j]! : 0), 0), currency };
    const hint = reduced.hints.get(shopId);
    const reductionHint = hint?.next ? { reductionId: hint.reduction.id, name: hint.reduction.name, shortBy: { amount: hint.next.shortBy, currency }, saves: { amount: hint.next.saves, currency } } : null;
    return {
      shopId,
      lines: shopLines,
      subtotal,
      shipping,
      shippingRule: text,
      discount,
      total: { amount: subtotal.amount + shipping.amount - discount.amount, currency },
      platformDiscount,
      reductionHint,
      ...(byMember ? { pointsUsed: shopPoints[shopIds.indexOf(shopId)]!, shippingWaived: { amount: waive, currency } } : {}),
    };
  });
  return {
    currency,
    shops,
    subtotal: sum(shops.map((s) => s.subtotal), currency),
    shipping: sum(shops.map((s) => s.shipping), currency),
    discount: sum(shops.map((s) => s.discount), currency),
    total: sum(shops.map((s) => s.total), currency),
    reductions: appliedReductions,
    coupons: applied,
    companyId,
    member: byMember ? { ...byMember.member, shippingWaived: { amount: waived, currency } } : null,
    quotedAt: now.toISOString(),
  };
}
