import { z } from 'zod';
import { Price, TierPrice } from './catalog';
import { bilingual } from './i18n';
import { PerUserLimit, Quantity } from './inventory';

/**
 * marketing's pricing engine. Every price of an order is computed here, on the
 * server, from catalog's list prices, quantity tiers and company price lists
 * plus each shop's shipping rule. Coupons and promotions plug into the same
 * quote later.
 */
export const QuoteLineInput = z
  .object({
    skuId: z.uuid(),
    quantity: Quantity,
    /** priced at this flash sale's price (the SKU must be the campaign's, the quantity within its per-user limit) */
    flashSaleId: z.uuid().optional(),
    /** priced at this group-buy campaign's group price (the SKU must be the campaign's; checkout takes the group's seat) */
    groupBuyCampaignId: z.uuid().optional(),
  })
  .strict()
  .refine((l) => !(l.flashSaleId && l.groupBuyCampaignId), { message: 'a line is a flash sale or a group buy, not both', path: ['groupBuyCampaignId'] });
export const QuoteRequest = z
  .object({
    lines: z
      .array(QuoteLineInput)
      .min(1)
      .max(100)
      .refine((lines) => new Set(lines.map((l) => l.skuId)).size === lines.length, 'each SKU once; add up the quantities'),
    /** the buyer's coupons to apply (at most one per shop and one of the platform); a signed-in buyer's only */
    couponIds: z
      .array(z.uuid())
      .max(20)
      .refine((ids) => new Set(ids).size === ids.length, 'each coupon once')
      .optional(),
    /**
     * the buyer's points to spend (a signed-in buyer's): in whole yuan (a multiple of the points a yuan is
     * worth, 100 by default), at most a share of the goods after the other discounts; the quote's `member`
     * says how many can be used
     */
    points: z.number().int().min(1).max(100_000_000).optional(),
  })
  .strict();
export type QuoteRequest = z.infer<typeof QuoteRequest>;

/** order → marketing: the same, for a named buyer (its company's prices apply). */
export const InternalQuoteRequest = QuoteRequest.extend({ buyer: z.object({ userId: z.uuid(), companyId: z.uuid().nullable() }).strict() }).strict();
export type InternalQuoteRequest = z.infer<typeof InternalQuoteRequest>;

export const PriceSource = z.enum(['list', 'tier', 'company', 'flash-sale', 'group-buy']);
export type PriceSource = z.infer<typeof PriceSource>;

/** One step of the pipeline on one line: what it took off and who pays for it (`ref`: the activity or coupon). */
export const QuoteLineStep = z
  .object({
    step: z.enum(['full-reduction', 'shop-coupon', 'platform-coupon', 'level-discount', 'points']),
    amount: Price,
    fundedBy: z.enum(['shop', 'platform']),
    ref: z.uuid().nullable(),
  })
  .strict();
export type QuoteLineStep = z.infer<typeof QuoteLineStep>;

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
    flashSaleId: z.uuid().nullable(),
    explanation: z.string(),
    /** what full-reduction and coupons take off this line (each discount apportioned to the lines it applies to), so a refund of the line gives back what was paid */
    discount: Price,
    /** the trace of `discount`: each step that took something off this line, in the pipeline's order, and who pays for it */
    steps: z.array(QuoteLineStep).optional(),
    /** full-reduction, coupons and member benefits may apply to this line (false: an activity price that does not stack) */
    promotable: z.boolean().optional(),
  })
  .strict();
export type QuoteLine = z.infer<typeof QuoteLine>;

/** A coupon as a quote applied it. */
export const AppliedCoupon = z
  .object({
    couponId: z.uuid(),
    templateId: z.uuid(),
    /** the issuing shop; null: the platform */
    shopId: z.uuid().nullable(),
    fundedBy: z.enum(['platform', 'shop']),
    name: bilingual(60),
    discount: Price,
    explanation: z.string(),
  })
  .strict();
export type AppliedCoupon = z.infer<typeof AppliedCoupon>;

/** A shop's full-reduction activity (满减 / 满折) as a quote applied it. */
export const AppliedReduction = z
  .object({ reductionId: z.uuid(), shopId: z.uuid(), name: bilingual(60), discount: Price, explanation: z.string() })
  .strict();
export type AppliedReduction = z.infer<typeof AppliedReduction>;

/** The cart's hint: spend `shortBy` more on the activity's goods and it takes `saves` off in all ("add ¥41 more to save ¥30"). */
export const ReductionHint = z.object({ reductionId: z.uuid(), name: bilingual(60), shortBy: Price, saves: Price }).strict();
export type ReductionHint = z.infer<typeof ReductionHint>;

export const ShopQuote = z
  .object({
    shopId: z.uuid(),
    lines: z.array(QuoteLine),
    subtotal: Price,
    shipping: Price,
    shippingRule: z.string(),
    /** full-reduction and the coupons' discounts on this shop's lines (a platform coupon's share included) */
    discount: Price,
    /** subtotal + shipping - discount */
    total: Price,
    /** what the platform pays the shop on top of the buyer's money: its share of `discount` (platform coupons, the level discount, points) and shipping it waived for a member */
    platformDiscount: Price,
    /** how much more to spend for the shop's next full-reduction step; null when none is near */
    reductionHint: ReductionHint.nullable(),
    /** the points spent on this shop's lines (their value is in `discount`) */
    pointsUsed: z.number().int().min(0).optional(),
    /** the shop's shipping fee the platform pays for a member (in `platformDiscount`, not in `discount`) */
    shippingWaived: Price.optional(),
  })
  .strict();
export type ShopQuote = z.infer<typeof ShopQuote>;

/**
 * What the buyer's membership did to a quote: the level discount on the goods, shipping the platform
 * pays for the member (a lower free-shipping threshold), the points spent. All of it is funded by the
 * platform (in the shops' `platformDiscount`).
 */
export const QuoteMember = z
  .object({
    level: z.number().int(),
    name: bilingual(20),
    discountBps: z.number().int().min(0),
    levelDiscount: Price,
    shippingWaived: Price,
    points: z
      .object({
        /** usable now */
        available: z.number().int().min(0),
        used: z.number().int().min(0),
        /** what the used points took off */
        value: Price,
        /** the most this selection can use (the share cap, the balance, whole yuan) */
        max: z.number().int().min(0),
        pointsPerYuan: z.number().int().min(1),
      })
      .strict(),
  })
  .strict();
export type QuoteMember = z.infer<typeof QuoteMember>;

export const Quote = z
  .object({
    currency: z.string(),
    shops: z.array(ShopQuote),
    subtotal: Price,
    shipping: Price,
    discount: Price,
    total: Price,
    /** the full-reduction applied, one per shop at most, before coupons */
    reductions: z.array(AppliedReduction),
    /** the coupons applied, shop coupons first, then the platform's */
    coupons: z.array(AppliedCoupon),
    /** a company's price list applied */
    companyId: z.uuid().nullable(),
    /** a signed-in buyer's membership (null: anonymous, or membership did not answer in time: no benefits) */
    member: QuoteMember.nullable().optional(),
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

/**
 * A flash sale: a SKU sold at a lower price, in a window, a fixed number of
 * units, at most `perUserLimit` per shopper. Its units are set aside from the
 * SKU's stock when it is created (inventory's FlashSaleStock actor sells them).
 */
const MAX_WINDOW_MS = 31 * 24 * 3600 * 1000;
export const CreateFlashSaleRequest = z
  .object({
    skuId: z.uuid(),
    title: bilingual(120),
    /** at most the SKU's list price, in its currency */
    price: Price,
    quantity: Quantity,
    perUserLimit: PerUserLimit,
    startsAt: z.iso.datetime(),
    endsAt: z.iso.datetime(),
    /** the flash price is the whole discount unless this says full-reduction, coupons and member benefits apply on top (the shop pays its own part either way) */
    stacksWithPromotions: z.boolean().default(false),
  })
  .strict()
  .refine((r) => Date.parse(r.endsAt) > Date.parse(r.startsAt), { message: 'must be after startsAt', path: ['endsAt'] })
  .refine((r) => Date.parse(r.endsAt) - Date.parse(r.startsAt) <= MAX_WINDOW_MS, { message: 'a flash sale lasts at most 31 days', path: ['endsAt'] })
  .refine((r) => Date.parse(r.endsAt) > Date.now(), { message: 'must be in the future', path: ['endsAt'] });
export type CreateFlashSaleRequest = z.infer<typeof CreateFlashSaleRequest>;

export const FlashSaleStatus = z.enum(['upcoming', 'running', 'ended']);
export const FlashSale = z
  .object({
    id: z.uuid(),
    shopId: z.uuid(),
    skuId: z.uuid(),
    productId: z.uuid(),
    title: bilingual(120),
    price: Price,
    listPrice: Price,
    quantity: Quantity,
    perUserLimit: PerUserLimit,
    startsAt: z.iso.datetime(),
    endsAt: z.iso.datetime(),
    status: FlashSaleStatus,
    /** full-reduction, coupons and member benefits apply on top of the flash price */
    stacksWithPromotions: z.boolean(),
    createdAt: z.iso.datetime(),
  })
  .strict();
export type FlashSale = z.infer<typeof FlashSale>;
export const FlashSaleQuery = z.object({ shopId: z.uuid().optional(), status: FlashSaleStatus.optional() }).strict();
