import type { Money, PriceSource, Quote, QuoteLine, ShopQuote, SkuOffer } from '@emporium/contracts';

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
    explanation:
      candidates.length === 1 ? `list price ${fmt(unitPrice)} × ${quantity}` : `${source} price ${fmt(unitPrice)} × ${quantity}, the lowest of: ${considered}`,
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

/** Prices the lines, grouped by shop in the order they first appear. */
export function quote(
  lines: { skuId: string; quantity: number }[],
  offers: ReadonlyMap<string, SkuOffer>,
  ruleOf: (shopId: string) => Rule,
  companyId: string | null,
  now = new Date(),
): Quote {
  const priced: { shopId: string; line: QuoteLine }[] = lines.map((l, i) => {
    const offer = offers.get(l.skuId);
    if (!offer) throw new PricingError(`lines[${i}].skuId`, 'unknown', `no SKU ${l.skuId}`);
    if (!offer.purchasable) throw new PricingError(`lines[${i}].skuId`, offer.unavailableReason ?? 'unavailable', `SKU ${l.skuId} cannot be bought now (${offer.unavailableReason})`);
    return { shopId: offer.shopId, line: priceLine(offer, l.quantity) };
  });
  const currencies = new Set(priced.map((p) => p.line.unitPrice.currency));
  if (currencies.size > 1) throw new PricingError('lines', 'currency', `one order is paid in one currency; these lines use ${[...currencies].join(' and ')}`);
  const currency = [...currencies][0]!;
  const shopIds = [...new Set(priced.map((p) => p.shopId))];
  const shops: ShopQuote[] = shopIds.map((shopId) => {
    const shopLines = priced.filter((p) => p.shopId === shopId).map((p) => p.line);
    const subtotal = sum(shopLines.map((l) => l.lineTotal), currency);
    const { shipping, text } = shippingFor(subtotal, ruleOf(shopId));
    return { shopId, lines: shopLines, subtotal, shipping, shippingRule: text, total: sum([subtotal, shipping], currency) };
  });
  return {
    currency,
    shops,
    subtotal: sum(shops.map((s) => s.subtotal), currency),
    shipping: sum(shops.map((s) => s.shipping), currency),
    total: sum(shops.map((s) => s.total), currency),
    companyId,
    quotedAt: now.toISOString(),
  };
}
