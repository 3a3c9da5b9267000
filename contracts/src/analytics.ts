import { z } from 'zod';
import { bilingual } from './i18n';
import { Money } from './money';
import { defineEvent } from './events';

/** analytics: facts from events, daily aggregates, user tags and recommendations. */

const Count = z.number().int().min(0);
const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).describe('A calendar day in the platform time zone');

/**
 * What a shopper did with a product, as web saw it: a product page viewed or
 * a SKU put in the cart. The session is web's first-party id (a cookie); the
 * shop and category are analytics' own, from catalog's events, never the sender's.
 */
export const Interaction = z
  .object({
    kind: z.enum(['view', 'cart']),
    productId: z.uuid(),
    sessionId: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, '16-64 letters, digits, dashes or underscores'),
  })
  .strict();
export type Interaction = z.infer<typeof Interaction>;
export const RecordInteractionsRequest = z.object({ items: z.array(Interaction).min(1).max(20) }).strict();
export type RecordInteractionsRequest = z.infer<typeof RecordInteractionsRequest>;

export const AnalyticsRangeQuery = z.object({ days: z.coerce.number().int().min(1).max(365).default(30) }).strict();
export type AnalyticsRangeQuery = z.infer<typeof AnalyticsRangeQuery>;

/** One day of a shop: paid orders and their sales, refunds, and the funnel's counts. */
export const ShopDay = z
  .object({
    day: Day,
    orders: Count,
    sales: Money,
    refunds: Count,
    refunded: Money,
    views: Count.describe('Sessions that viewed a product of the shop'),
    carts: Count.describe('Sessions that put one in the cart'),
  })
  .strict();
export const ShopAnalytics = z
  .object({
    shopId: z.uuid(),
    from: Day,
    to: Day,
    days: z.array(ShopDay).describe('Every day of the range, oldest first (empty days as zeros)'),
    totals: z.object({ orders: Count, sales: Money, refunds: Count, refunded: Money, buyers: Count }).strict(),
    topProducts: z.array(z.object({ productId: z.uuid(), name: bilingual(120).nullable(), units: Count, sales: Money }).strict()),
    funnel: z
      .object({ views: Count.describe('Sessions that viewed'), carts: Count.describe('Sessions that put in the cart'), paid: Count.describe('Buyers who paid') })
      .strict(),
    refundRateBps: z.number().int().min(0).describe('Refunded money as a share of sales, in basis points'),
  })
  .strict();
export type ShopAnalytics = z.infer<typeof ShopAnalytics>;

export const PlatformDay = z.object({ day: Day, gmv: Money, orders: Count, refunds: Count, refunded: Money, newShops: Count }).strict();
export const PlatformAnalytics = z
  .object({
    from: Day,
    to: Day,
    days: z.array(PlatformDay),
    totals: z.object({ gmv: Money, orders: Count, refunds: Count, refunded: Money, newShops: Count }).strict(),
    topShops: z.array(z.object({ shopId: z.uuid(), name: bilingual(60).nullable(), gmv: Money, orders: Count }).strict()),
  })
  .strict();
export type PlatformAnalytics = z.infer<typeof PlatformAnalytics>;

/**
 * RFM groups (recency, frequency, monetary over the last year, each scored 1-5
 * against fixed thresholds), as marketers name them.
 */
export const RfmGroup = z.enum(['champion', 'loyal', 'promising', 'new', 'needs_attention', 'at_risk', 'hibernating']);
export type RfmGroup = z.infer<typeof RfmGroup>;

export const UserTags = z
  .object({
    userId: z.uuid(),
    rfm: RfmGroup,
    recencyDays: Count.describe('Days since the last paid order'),
    frequency: Count.describe('Paid orders in the last 365 days'),
    monetary: Money.describe('Paid in the last 365 days (less refunds)'),
    scores: z.object({ r: z.number().int().min(1).max(5), f: z.number().int().min(1).max(5), m: z.number().int().min(1).max(5) }).strict(),
    favouriteCategories: z.array(z.uuid()).max(3).describe('The categories the user bought most units in, most first'),
    computedAt: z.iso.datetime(),
  })
  .strict();
export type UserTags = z.infer<typeof UserTags>;
export const UserTagsQuery = z.object({ rfm: RfmGroup.optional(), category: z.uuid().optional(), after: z.uuid().optional(), limit: z.coerce.number().int().min(1).max(200).default(50) }).strict();
export type UserTagsQuery = z.infer<typeof UserTagsQuery>;
export const UserTagsPage = z
  .object({ items: z.array(UserTags), nextCursor: z.uuid().nullable(), groups: z.array(z.object({ rfm: RfmGroup, users: Count }).strict()).describe('Users per group, all of them') })
  .strict();
export type UserTagsPage = z.infer<typeof UserTagsPage>;

export const RecommendationsQuery = z.object({ limit: z.coerce.number().int().min(1).max(20).default(8) }).strict();
export const Recommendation = z
  .object({
    productId: z.uuid(),
    name: bilingual(120),
    image: z.string().nullable(),
    minPrice: Money.nullable(),
    reason: z.enum(['bought_together', 'popular_in_category', 'popular']),
    score: Count.describe('Orders holding both (bought together) or units sold in 30 days (popular)'),
  })
  .strict();
export type Recommendation = z.infer<typeof Recommendation>;
export const Recommendations = z.object({ items: z.array(Recommendation) }).strict();
export type Recommendations = z.infer<typeof Recommendations>;

export const BackfillResult = z.object({ days: Count, shops: Count, from: Day.nullable(), to: Day.nullable() }).strict();
export type BackfillResult = z.infer<typeof BackfillResult>;

/** Most users whose tag changed that one event names (a recompute of many buyers publishes several). */
export const SEGMENT_CHANGES_PER_EVENT = 500;

export const AnalyticsEvents = [
  defineEvent('user-segments.changed', 1, "A recompute moved buyers to another RFM group, or out of every group (null: no paid order in the year); each buyer's newest change wins (computedAt)", {
    computedAt: z.iso.datetime(),
    changes: z
      .array(z.object({ userId: z.uuid(), rfm: RfmGroup.nullable() }).strict())
      .min(1)
      .max(SEGMENT_CHANGES_PER_EVENT),
  }),
] as const;
