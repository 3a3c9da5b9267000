import { CatalogInternal, type Quote, type ShippingRule, type SkuOffer } from '@emporium/contracts';
import { NotApplicableError, requireShopStaff, UnavailableError, UnprocessableError, ValidationError, type Principal, moneyOf } from '@emporium/kit';
import type { ShippingRuleRecord } from '../data/shipping-repository';
import { PricingError, quote, type FlashTerms, type Rule } from './pricing';
import type { MarketingContext } from './marketing-context';



/** Who a quote is for: a signed-in buyer's coupons and points to apply (their membership's benefits apply in any case). */
export interface QuoteBuyer {
  userId: string;
  couponIds?: readonly string[] | undefined;
  points?: number | undefined;
}

function toRule(shopId: string, row: ShippingRuleRecord | undefined, ctx: MarketingContext): ShippingRule {
  if (!row) {
    const m = (amount: number) => ({ amount, currency: ctx.defaults.currency });
    return { shopId, flatFee: m(ctx.defaults.fee), freeAbove: m(ctx.defaults.freeAbove), isDefault: true };
  }
  const currency = row.currency.trim();
  return {
    shopId,
    flatFee: moneyOf(row.flatFee, currency),
    freeAbove: row.freeAbove === null ? null : moneyOf(row.freeAbove, currency),
    isDefault: false,
  };
}

/** A quote; `buyer`: a signed-in buyer (their membership, and the coupons and points of theirs to apply); absent, an anonymous one. */
export async function priceSelection(
  ctx: MarketingContext,
  lines: { skuId: string; quantity: number; flashSaleId?: string | undefined; groupBuyCampaignId?: string | undefined }[],
  companyId: string | null,
  buyer?: QuoteBuyer,
): Promise<Quote> {
  return (await priceSelectionWithOffers(ctx, lines, companyId, buyer)).quote;
}

/** The quote and the catalogue's offers it was made from (promotions scoped by category need the products' categories). */
export async function priceSelectionWithOffers(
  ctx: MarketingContext,
  lines: { skuId: string; quantity: number; flashSaleId?: string | undefined; groupBuyCampaignId?: string | undefined }[],
  companyId: string | null,
  buyer?: QuoteBuyer,
): Promise<{ quote: Quote; offers: ReadonlyMap<string, SkuOffer> }> {
  const couponIds = buyer?.couponIds ?? [];
  const flashIds = [...new Set(lines.flatMap((l) => (l.flashSaleId ? [l.flashSaleId] : [])))];
  const groupIds = [...new Set(lines.flatMap((l) => (l.groupBuyCampaignId ? [l.groupBuyCampaignId] : [])))];
  const [offers, sales, wallet, groupBuys, benefits] = await Promise.all([
    ctx.sidecar.call(CatalogInternal.getSkuOffers, { body: { skuIds: lines.map((l) => l.skuId), ...(companyId ? { companyId } : {}) } }).then((r) => r.items),
    ctx.flashSales.many(flashIds),
    buyer && couponIds.length ? ctx.coupons.couponsByIds(buyer.userId, couponIds) : Promise.resolve([]),
    ctx.groupBuys.campaigns(groupIds),
    buyer ? ctx.members.of(buyer.userId, Boolean(buyer.points)) : Promise.resolve(null),
  ]);
  if (buyer?.points && !benefits) throw new UnavailableError('points cannot be used right now (membership did not answer): order without them, or try again shortly');
  const shopIds = [...new Set(offers.map((o) => o.shopId))];
  const [rules, running] = await Promise.all([ctx.repo.rules(shopIds), ctx.reductions.runningIn(shopIds)]);
  const ruleOf = (shopId: string): Rule => toRule(shopId, rules.get(shopId), ctx);
  const terms = new Map<string, FlashTerms>(
    [...sales.values()].map((s) => [s.id, { id: s.id, skuId: s.skuId, price: s.price, perUserLimit: s.perUserLimit, startsAt: new Date(s.startsAt), endsAt: new Date(s.endsAt), stacks: s.stacksWithPromotions }]),
  );
  const bySku = new Map(offers.map((o) => [o.skuId, o]));
  try {
    const categoryPathOf = (skuId: string) => bySku.get(skuId)?.categoryPath ?? [];
    const couponRequest = couponIds.length ? { wallet, ids: couponIds, categoryPathOf } : undefined;
    const member = benefits ? { benefits, points: buyer?.points } : null;
    return {
      quote: quote(lines, bySku, ruleOf, companyId, new Date(), { sales: terms, graceMs: ctx.flashCheckoutGraceMs, groupBuys }, couponRequest, { terms: running, categoryPathOf }, member),
      offers: bySku,
    };
  } catch (err) {
    if (err instanceof PricingError) {
      if (err.field.startsWith('lines[')) throw new ValidationError([{ field: err.field, code: err.code, message: err.message }], 'A line cannot be priced');
      if (err.field.startsWith('couponIds.')) throw new NotApplicableError('coupon_not_applicable', err.message, [{ field: err.field, code: err.code, message: err.message }]);
      if (err.field === 'points') throw new NotApplicableError('points_not_applicable', err.message, [{ field: err.field, code: err.code, message: err.message }]);
      throw new UnprocessableError(err.message);
    }
    throw err;
  }
}

export async function shippingRule(ctx: MarketingContext, shopId: string): Promise<ShippingRule> {
  return toRule(shopId, (await ctx.repo.rules([shopId])).get(shopId), ctx);
}

export async function putShippingRule(ctx: MarketingContext, caller: Principal, shopId: string, input: { flatFee: { amount: number; currency: string }; freeAbove: { amount: number } | null }): Promise<ShippingRule> {
  requireShopStaff(caller, shopId);
  await ctx.repo.put(shopId, { currency: input.flatFee.currency, flatFee: input.flatFee.amount, freeAbove: input.freeAbove?.amount ?? null }, caller.userId);
  return shippingRule(ctx, shopId);
}
