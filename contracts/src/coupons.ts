import { z } from 'zod';
import { Price } from './catalog';
import { bilingual } from './i18n';
import { Quote } from './marketing';

/**
 * Coupons (优惠券): a template a shop or the platform issues, and the coupons
 * shoppers claim from it. This part covers templates, claiming and the
 * shopper's list; redemption at checkout (reserve with the order, consume when
 * paid, release on cancel) comes with the quote's coupon step.
 */

/** An amount above zero (a threshold or cap of zero would mean nothing, or nothing off). */
const PositivePrice = Price.refine((p) => p.amount > 0, { message: 'must be above zero', path: ['amount'] });

/** What a coupon takes off: a fixed amount, or a percentage with an optional cap. */
export const CouponDiscount = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('fixed'), amount: PositivePrice }).strict(),
  z
    .object({
      kind: z.literal('percent'),
      /** 15 is 15 % off (八五折) */
      percentOff: z.number().int().min(1).max(99),
      /** at most this much off; null: no cap */
      maxOff: PositivePrice.nullable(),
    })
    .strict(),
]);
export type CouponDiscount = z.infer<typeof CouponDiscount>;

/** Which lines the coupon applies to. */
export const CouponScope = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('all') }).strict(),
  z.object({ kind: z.literal('categories'), categoryIds: z.array(z.uuid()).min(1, 'choose at least one category').max(50) }).strict(),
  z.object({ kind: z.literal('products'), productIds: z.array(z.uuid()).min(1, 'choose at least one product').max(200) }).strict(),
]);
export type CouponScope = z.infer<typeof CouponScope>;

/** How long a claimed coupon can be used: between two dates, or N days from the claim. */
export const CouponValidity = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('fixed'), startsAt: z.iso.datetime(), endsAt: z.iso.datetime() }).strict(),
  z.object({ kind: z.literal('after-claim'), days: z.number().int().min(1).max(365) }).strict(),
]);
export type CouponValidity = z.infer<typeof CouponValidity>;

const MAX_CLAIM_WINDOW_MS = 366 * 24 * 3600 * 1000;

/**
 * How a template's coupons reach shoppers: `claim`ed in the coupon centre and on product pages;
 * given to every `new-user` who registers in the claim window (the platform's templates only);
 * `issued` by the template's owner to named users (a compensation); or given to every member who
 * reaches `minLevel` (`level`, the platform's templates only) in the claim window.
 */
export const CouponDistribution = z.enum(['claim', 'new-user', 'issued', 'level']);
export type CouponDistribution = z.infer<typeof CouponDistribution>;

export const CreateCouponTemplateRequest = z
  .object({
    name: bilingual(60),
    discount: CouponDiscount,
    /** 满 X 可用: usable only when the lines in scope reach this; null: no threshold */
    minSpend: PositivePrice.nullable(),
    scope: CouponScope,
    validity: CouponValidity,
    /** shoppers can claim from claimStartsAt to claimEndsAt */
    claimStartsAt: z.iso.datetime(),
    claimEndsAt: z.iso.datetime(),
    /** coupons to issue in all; claiming never passes it */
    total: z.number().int().min(1).max(1_000_000),
    perUserLimit: z.number().int().min(1).max(100),
    /** the coupon comes back to the buyer (usable again while it is valid) when every sub-order it took money off is refunded in full; otherwise a refund keeps it used */
    returnOnRefund: z.boolean().default(false),
    /** how its coupons reach shoppers (the claim window bounds each way) */
    distribution: CouponDistribution.default('claim'),
    /** `level`: the membership level (1–9) whose members get one on reaching it */
    minLevel: z.number().int().min(1).max(9).optional(),
  })
  .strict()
  .refine((r) => (r.distribution === 'level') === (r.minLevel !== undefined), { message: 'a level coupon names the level that earns it, and only a level coupon does', path: ['minLevel'] })
  .refine((r) => Date.parse(r.claimEndsAt) > Date.parse(r.claimStartsAt), { message: 'must be after claimStartsAt', path: ['claimEndsAt'] })
  .refine((r) => Date.parse(r.claimEndsAt) > Date.now(), { message: 'must be in the future', path: ['claimEndsAt'] })
  .refine((r) => Date.parse(r.claimEndsAt) - Date.parse(r.claimStartsAt) <= MAX_CLAIM_WINDOW_MS, { message: 'coupons are claimable for at most a year', path: ['claimEndsAt'] })
  .refine((r) => r.validity.kind !== 'fixed' || Date.parse(r.validity.endsAt) > Date.parse(r.validity.startsAt), { message: 'must be after validity.startsAt', path: ['validity', 'endsAt'] })
  .refine((r) => r.validity.kind !== 'fixed' || Date.parse(r.validity.endsAt) >= Date.parse(r.claimEndsAt), {
    message: 'a coupon claimed at the end of the claim window must still be usable',
    path: ['validity', 'endsAt'],
  })
  .refine((r) => currencies(r).size <= 1, { message: 'the amounts of a coupon share one currency', path: ['minSpend'] })
  .refine((r) => r.discount.kind !== 'fixed' || r.minSpend === null || r.discount.amount.amount < r.minSpend.amount, {
    // 满 100 减 100 would make a free order
    message: 'a fixed discount must be below the spend threshold',
    path: ['discount', 'amount'],
  })
  .refine((r) => r.perUserLimit <= r.total, { message: 'at most total', path: ['perUserLimit'] });
export type CreateCouponTemplateRequest = z.infer<typeof CreateCouponTemplateRequest>;

function currencies(r: { discount: CouponDiscount; minSpend: { currency: string } | null }): Set<string> {
  const all = [r.minSpend?.currency, r.discount.kind === 'fixed' ? r.discount.amount.currency : r.discount.maxOff?.currency];
  return new Set(all.filter((c): c is string => c !== undefined));
}

export const CouponTemplateStatus = z.enum(['active', 'paused']);
/** Where a template is in its claim window (paused templates are not claimable either). */
export const CouponClaimPhase = z.enum(['upcoming', 'open', 'closed']);

export const CouponTemplate = z
  .object({
    id: z.uuid(),
    /** the shop that issues and funds it; null: the platform */
    shopId: z.uuid().nullable(),
    fundedBy: z.enum(['platform', 'shop']),
    name: bilingual(60),
    discount: CouponDiscount,
    minSpend: Price.nullable(),
    scope: CouponScope,
    validity: CouponValidity,
    claimStartsAt: z.iso.datetime(),
    claimEndsAt: z.iso.datetime(),
    total: z.number().int(),
    perUserLimit: z.number().int(),
    /** a coupon of it comes back when its order is refunded in full */
    returnOnRefund: z.boolean(),
    distribution: CouponDistribution,
    /** `level`: given on reaching this level */
    minLevel: z.number().int().nullable(),
    status: CouponTemplateStatus,
    phase: CouponClaimPhase,
    /** claimed so far, and what is left to claim */
    claimed: z.number().int(),
    remaining: z.number().int(),
    /** coupons of it used in paid orders */
    used: z.number().int(),
    createdAt: z.iso.datetime(),
  })
  .strict();
export type CouponTemplate = z.infer<typeof CouponTemplate>;

export const SetCouponTemplateStatusRequest = z.object({ status: CouponTemplateStatus }).strict();

/** A query's product category and its ancestors, comma-separated (the scopes of coupons and activities reach sub-categories through it). */
export const CategoryPathParam = z
  .string()
  .max(400)
  .transform((v) => v.split(',').filter(Boolean))
  .pipe(z.array(z.uuid()).max(10));

export const CouponTemplateQuery = z
  .object({
    /** alone: only this shop's templates; with productId: the product's shop, whose and the platform's templates apply to it */
    shopId: z.uuid().optional(),
    /** only templates that can apply to this product: scope all, the product, or a category of its path */
    productId: z.uuid().optional(),
    categoryPath: CategoryPathParam.optional(),
  })
  .strict()
  .refine((q) => !q.productId || q.shopId, { message: "required with productId: the product's shop", path: ['shopId'] })
  .refine((q) => !q.categoryPath || q.productId, { message: 'only with productId', path: ['categoryPath'] });

/** A shopper's coupon, claimed from a template. */
/** reserved: held by an order that is not paid yet (usable again if it is cancelled) */
export const CouponState = z.enum(['usable', 'reserved', 'used', 'expired']);
export const Coupon = z
  .object({
    id: z.uuid(),
    templateId: z.uuid(),
    shopId: z.uuid().nullable(),
    name: bilingual(60),
    discount: CouponDiscount,
    minSpend: Price.nullable(),
    scope: CouponScope,
    validFrom: z.iso.datetime(),
    validUntil: z.iso.datetime(),
    state: CouponState,
    claimedAt: z.iso.datetime(),
    usedAt: z.iso.datetime().nullable(),
    /** why it was given, when it was issued by hand (a compensation) */
    note: z.string().nullable(),
  })
  .strict();
export type Coupon = z.infer<typeof Coupon>;

/** A coupon given by hand to a named user: a compensation, with the reason the user reads. */
export const IssueCouponRequest = z.object({ userId: z.uuid(), reason: z.string().trim().min(3).max(200) }).strict();
export type IssueCouponRequest = z.infer<typeof IssueCouponRequest>;

/**
 * membership → marketing: a coupon of a platform template made to be issued (`issued`), given to a
 * member by rule (a birthday); `key` names the occasion (`birthday:2026`), so the same occasion again
 * answers the same coupon.
 */
export const GiftCouponRequest = z
  .object({ templateId: z.uuid(), userId: z.uuid(), key: z.string().min(1).max(100), note: z.string().trim().min(3).max(200) })
  .strict();
export type GiftCouponRequest = z.infer<typeof GiftCouponRequest>;

export const MyCouponsQuery = z.object({ state: CouponState.optional() }).strict();

/** Why a coupon does not fit a selection. */
export const CouponUnfit = z.enum(['not-usable', 'currency', 'no-lines-in-scope', 'below-threshold', 'too-small']);

/** One of the caller's coupons against a selection: what it would take off, or why not (shortBy: what the lines in scope lack of its threshold). */
export const CouponForSelection = z
  .object({
    coupon: Coupon,
    fits: z.boolean(),
    discount: Price.nullable(),
    reason: CouponUnfit.nullable(),
    shortBy: Price.nullable(),
  })
  .strict();
export type CouponForSelection = z.infer<typeof CouponForSelection>;

/**
 * The caller's usable coupons against a selection, the best combination
 * first picked: for each shop its best shop coupon, then the best platform
 * coupon on what is left (at most one per shop and one of the platform).
 */
export const CouponsForSelection = z
  .object({
    quote: Quote,
    /** fitting coupons first, most off first; then the rest, closest to their threshold first */
    coupons: z.array(CouponForSelection),
    best: z.object({ couponIds: z.array(z.uuid()), discount: Price }).strict(),
  })
  .strict();
export type CouponsForSelection = z.infer<typeof CouponsForSelection>;

/** order → marketing: hold the buyer's coupons for an order (all or none; the same order again answers the same). */
export const ReserveCouponsRequest = z
  .object({
    orderId: z.uuid(),
    buyerUserId: z.uuid(),
    couponIds: z
      .array(z.uuid())
      .min(1)
      .max(20)
      .refine((ids) => new Set(ids).size === ids.length, 'each coupon once'),
  })
  .strict();
export type ReserveCouponsRequest = z.infer<typeof ReserveCouponsRequest>;

/** The coupons an order holds or used. */
export const OrderCoupons = z
  .object({
    orderId: z.uuid(),
    coupons: z.array(Coupon.extend({ orderId: z.uuid().nullable() }).strict()),
  })
  .strict();
export type OrderCoupons = z.infer<typeof OrderCoupons>;
export const ReleaseCouponsRequest = z.object({ reason: z.string().min(1).max(200) }).strict();
