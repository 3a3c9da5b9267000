import { CatalogInternal, type Quote, type ShippingRule, type SkuOffer } from '@emporium/contracts';
import { requireShopStaff, UnprocessableError, ValidationError, type Principal, moneyOf } from '@emporium/kit';
import type { ShippingRuleRecord } from '../data/shipping-repository';
import { PricingError, quote, type FlashTerms, type Rule } from './pricing';
import type { MarketingContext } from './marketing-context';



/** A coupon asked for cannot be applied to the selection; `errors` names it and says why. */
export class CouponNotApplicableError extends UnprocessableError {
  override readonly code = 'coupon_not_applicable';
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

/** A quote; `coupons`: the buyer and the coupons of theirs to apply. */
export async function priceSelection(
  ctx: MarketingContext,
  lines: { skuId: string; quantity: number; flashSaleId?: string | undefined; groupBuyCampaignId?: string | undefined }[],
  companyId: string | null,
  coupons?: { userId: string; ids: readonly string[] },
): Promise<Quote> {
  return (await priceSelectionWithOffers(ctx, lines, companyId, coupons)).quote;
}

/** The quote and the catalogue's offers it was made from (promotions scoped by category need the products' categories). */
export async function priceSelectionWithOffers(
  ctx: MarketingContext,
  lines: { skuId: string; quantity: number; flashSaleId?: string | undefined; groupBuyCampaignId?: string | undefined }[],
  companyId: string | null,
  coupons?: { userId: string; ids: readonly string[] },
): Promise<{ quote: Quote; offers: ReadonlyMap<string, SkuOffer> }> {
  const flashIds = [...new Set(lines.flatMap((l) => (l.flashSaleId ? [l.flashSaleId] : [])))];
  const groupIds = [...new Set(lines.flatMap((l) => (l.groupBuyCampaignId ? [l.groupBuyCampaignId] : [])))];
  const [offers, sales, wallet, groupBuys] = await Promise.all([
    ctx.sidecar.call(CatalogInternal.getSkuOffers, { body: { skuIds: lines.map((l) => l.skuId), ...(companyId ? { companyId } : {}) } }).then((r) => r.items),
    ctx.flashSales.many(flashIds),
    coupons?.ids.length ? ctx.coupons.couponsByIds(coupons.userId, coupons.ids) : Promise.resolve([]),
    ctx.groupBuys.campaigns(groupIds),
  ]);
  const shopIds = [...new Set(offers.map((o) => o.shopId))];
  const [rules, running] = await Promise.all([ctx.repo.rules(shopIds), ctx.reductions.runningIn(shopIds)]);
  const ruleOf = (shopId: string): Rule => toRule(shopId, rules.get(shopId), ctx);
  const terms = new Map<string, FlashTerms>(
    [...sales.values()].map((s) => [s.id, { id: s.id, skuId: s.skuId, price: s.price, perUserLimit: s.perUserLimit, startsAt: new Date(s.startsAt), endsAt: new Date(s.endsAt) }]),
  );
  const bySku = new Map(offers.map((o) => [o.skuId, o]));
  try {
    const categoryPathOf = (skuId: string) => bySku.get(skuId)?.categoryPath ?? [];
    const couponRequest = coupons?.ids.length ? { wallet, ids: coupons.ids, categoryPathOf } : undefined;
    return {
      quote: quote(lines, bySku, ruleOf, companyId, new Date(), { sales: terms, graceMs: ctx.flashCheckoutGraceMs, groupBuys }, couponRequest, { terms: running, categoryPathOf }),
      offers: bySku,
    };
  } catch (err) {
    if (err instanceof PricingError) {
      if (err.field.startsWith('lines[')) throw new ValidationError([{ field: err.field, code: err.code, message: err.message }], 'A line cannot be priced');
      if (err.field.startsWith('couponIds.')) throw new CouponNotApplicableError(err.message, undefined, [{ field: err.field, code: err.code, message: err.message }]);
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
