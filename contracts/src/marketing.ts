import { z } from 'zod';
import { Price, TierPrice } from './catalog';
import { Quantity } from './inventory';

/**
 * marketing's pricing engine. Every price of an order is computed here, on the
 * server, from catalog's list prices, quantity tiers and company price lists
 * plus each shop's shipping rule. Coupons and promotions plug into the same
 * quote later.
 */
export const QuoteLineInput = z.object({ skuId: z.uuid(), quantity: Quantity }).strict();
export const QuoteRequest = z
  .object({
    lines: z
      .array(QuoteLineInput)
      .min(1)
      .max(100)
      .refine((lines) => new Set(lines.map((l) => l.skuId)).size === lines.length, 'each SKU once; add up the quantities'),
  })
  .strict();
export type QuoteRequest = z.infer<typeof QuoteRequest>;

/** order → marketing: the same, for a named buyer (its company's prices apply). */
export const InternalQuoteRequest = QuoteRequest.extend({ buyer: z.object({ userId: z.uuid(), companyId: z.uuid().nullable() }).strict() }).strict();
export type InternalQuoteRequest = z.infer<typeof InternalQuoteRequest>;

export const PriceSource = z.enum(['list', 'tier', 'company']);
export type PriceSource = z.infer<typeof PriceSource>;

export const QuoteLine = z
  .object({
    skuId: z.uuid(),
    productId: z.uuid(),
    quantity: Quantity,
    unitPrice: Price,
    lineTotal: Price,
    priceSource: PriceSource,
    /** every price that could apply, so the choice can be checked */
    listPrice: Price,
    tier: TierPrice.nullable(),
    companyPrice: Price.nullable(),
    explanation: z.string(),
  })
  .strict();
export type QuoteLine = z.infer<typeof QuoteLine>;

export const ShopQuote = z
  .object({ shopId: z.uuid(), lines: z.array(QuoteLine), subtotal: Price, shipping: Price, shippingRule: z.string(), total: Price })
  .strict();
export type ShopQuote = z.infer<typeof ShopQuote>;

export const Quote = z
  .object({
    currency: z.string(),
    shops: z.array(ShopQuote),
    subtotal: Price,
    shipping: Price,
    total: Price,
    /** a company's price list applied */
    companyId: z.uuid().nullable(),
    quotedAt: z.iso.datetime(),
  })
  .strict();
export type Quote = z.infer<typeof Quote>;

export const ShippingRule = z
  .object({
    shopId: z.uuid(),
    /** charged once per shop and order */
    flatFee: Price,
    /** no shipping when the shop's subtotal reaches this; null: always charged */
    freeAbove: Price.nullable(),
    isDefault: z.boolean(),
  })
  .strict();
export type ShippingRule = z.infer<typeof ShippingRule>;
export const PutShippingRuleRequest = z
  .object({ flatFee: Price, freeAbove: Price.nullable() })
  .strict()
  .refine((r) => r.freeAbove === null || r.freeAbove.currency === r.flatFee.currency, { message: 'flatFee and freeAbove must share a currency', path: ['freeAbove'] });
