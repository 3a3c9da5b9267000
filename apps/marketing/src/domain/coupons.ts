import { IdentityInternal, type Coupon, type CouponForSelection, type CouponsForSelection, type CouponTemplate, type CreateCouponTemplateRequest, type GiftCouponRequest, type IssueCouponRequest, type OrderCoupons, type QuoteRequest, type ReserveCouponsRequest } from '@emporium/contracts';
import { companyOf, ConflictError, hasRole, InvocationError, NotFoundError, requireShopStaff, isShopStaff, uuidFromKey, ValidationError, type Principal, type Transaction } from '@emporium/kit';
import type { ClaimRefusal } from '../data/coupon-repository';
import { bestCoupons, fitCoupon, type CouponLine } from './coupon-math';
import { priceSelectionWithOffers } from './quotes';
import type { MarketingContext } from './marketing-context';

/** Every coupon of the template was claimed. */
export class CouponsExhaustedError extends ConflictError {
  override readonly code = 'coupons_exhausted';
}

/** A coupon asked for by an order is used, held by another order, out of its validity or not the buyer's. */
export class CouponUnavailableError extends ConflictError {
  override readonly code = 'coupon_unavailable';
}

/** The shopper holds as many coupons of the template as it allows each. */
export class CouponLimitReachedError extends ConflictError {
  override readonly code = 'coupon_limit_reached';
}

/** The template's coupons are not given this way (claimed, given to new users, or issued by hand). */
export class CouponNotIssuableError extends ConflictError {
  override readonly code = 'coupon_not_issuable';
}

/**
 * Issues coupons funded by a shop (shopId) or by the platform (null). The
 * template id comes from the caller's Idempotency-Key, so a retry returns the
 * same template.
 */
export async function createCouponTemplate(ctx: MarketingContext, caller: Principal, shopId: string | null, templateId: string, input: CreateCouponTemplateRequest): Promise<CouponTemplate> {
  if (shopId) requireShopStaff(caller, shopId);
  // welcoming every new user of the platform is the platform's to fund
  if (shopId && input.distribution === 'new-user') throw new ValidationError([{ field: 'distribution', code: 'platform_only', message: 'only the platform gives coupons to new users' }]);
  if (shopId && input.distribution === 'level') throw new ValidationError([{ field: 'distribution', code: 'platform_only', message: 'only the platform rewards membership levels' }]);
  const template = await ctx.coupons.insertTemplate(templateId, shopId, input, caller.userId);
  // the id comes from the caller's key: a template of another issuer under it is not this request's
  if (template.shopId !== shopId) throw new ConflictError('this Idempotency-Key was used for another issuer’s coupons; send a new key');
  return template;
}

/** Pausing stops claiming; coupons claimed already stay usable. Only the issuer may: anyone else sees no such template. */
export async function setCouponTemplateStatus(ctx: MarketingContext, caller: Principal, templateId: string, status: CouponTemplate['status']): Promise<CouponTemplate> {
  const template = await ctx.coupons.template(templateId);
  const mayManage = template && (template.shopId ? isShopStaff(caller, template.shopId) : hasRole(caller, 'platform_admin'));
  if (!template || !mayManage) throw new NotFoundError('no such coupon template');
  return (await ctx.coupons.setStatus(templateId, status))!;
}

export async function shopCouponTemplates(ctx: MarketingContext, caller: Principal, shopId: string): Promise<CouponTemplate[]> {
  requireShopStaff(caller, shopId);
  return ctx.coupons.templatesOf(shopId);
}

/** 领券: one coupon of the template for the caller; `couponId` from the Idempotency-Key makes a retry return the same coupon. */
export async function claimCoupon(ctx: MarketingContext, caller: Principal, templateId: string, couponId: string): Promise<Coupon> {
  const result = await ctx.coupons.claim(templateId, couponId, caller.userId);
  if ('coupon' in result) return result.coupon;
  // a template given another way is not claimable: to a shopper it is not in the centre at all
  throw refusal(result.refused === 'other-distribution' ? 'not-open' : result.refused, 'you hold');
}

function refusal(refused: ClaimRefusal, holder: string): Error {
  switch (refused) {
    case 'not-found':
    case 'not-open':
      return new NotFoundError('no such coupon template open now');
    case 'none-left':
      return new CouponsExhaustedError('every coupon of this template was given out');
    case 'limit-reached':
      return new CouponLimitReachedError(`${holder} as many coupons of this template as it allows each shopper`);
    case 'other-distribution':
      return new CouponNotIssuableError('this template’s coupons are not issued by hand: issue from a template made for it (distribution "issued")');
  }
}

/**
 * A coupon given by hand to a named user (a compensation), of a template made for it: the
 * platform's by a platform admin, a shop's by its staff. It counts against the template's total
 * and per-user limit; the reason is the user's to read. The user must exist (identity says).
 */
export async function issueCoupon(ctx: MarketingContext, caller: Principal, templateId: string, couponId: string, input: IssueCouponRequest): Promise<Coupon> {
  const template = await ctx.coupons.template(templateId);
  const mayIssue = template && (template.shopId ? isShopStaff(caller, template.shopId) : hasRole(caller, 'platform_admin'));
  if (!template || !mayIssue) throw new NotFoundError('no such coupon template');
  try {
    await ctx.sidecar.call(IdentityInternal.userBrief, { params: { userId: input.userId } });
  } catch (err) {
    if (err instanceof InvocationError && err.status === 404) throw new ValidationError([{ field: 'userId', code: 'unknown', message: 'no such user' }]);
    throw err;
  }
  const result = await ctx.coupons.claim(templateId, couponId, input.userId, 'issued', { by: caller.userId, note: input.reason });
  if ('coupon' in result) return result.coupon;
  throw refusal(result.refused, 'the user holds');
}

/**
 * A coupon given by rule to a member (membership's birthday coupon): of a platform template made to be
 * issued; the coupon's id comes from the occasion's key, so the same occasion gives one coupon.
 */
export async function giftCoupon(ctx: MarketingContext, input: GiftCouponRequest): Promise<Coupon> {
  const template = await ctx.coupons.template(input.templateId);
  if (!template || template.shopId !== null) throw new NotFoundError('no such platform coupon template');
  const result = await ctx.coupons.claim(input.templateId, uuidFromKey('coupon-gift', input.templateId, input.userId, input.key), input.userId, 'issued', { by: null, note: input.note });
  if ('coupon' in result) return result.coupon;
  throw refusal(result.refused, 'the member holds');
}

/**
 * A member went up a level: a coupon of every open level template whose level they passed on the way
 * (Silver straight to Gold earns both), in the event handler's transaction; the coupon's id comes from
 * the template and the member, so a redelivered event, or falling and rising again, gives nothing twice.
 */
export async function rewardLevel(ctx: MarketingContext, userId: string, from: number, to: number, t: Transaction): Promise<number> {
  if (to <= from) return 0;
  let given = 0;
  for (const templateId of await ctx.coupons.levelTemplates(from, to, t)) {
    const result = await ctx.coupons.claim(templateId, uuidFromKey('coupon-level', templateId, userId), userId, 'level', null, t);
    if ('coupon' in result) given++;
  }
  return given;
}

/** A user registered: a coupon of every welcome template of the platform, in the event handler's transaction (once, however often the event comes). */
export async function welcomeNewUser(ctx: MarketingContext, userId: string, t: Transaction): Promise<number> {
  let given = 0;
  for (const templateId of await ctx.coupons.welcomeTemplates(t)) {
    const result = await ctx.coupons.claim(templateId, uuidFromKey('coupon-welcome', templateId, userId), userId, 'new-user', null, t);
    if ('coupon' in result) given++;
  }
  return given;
}

/**
 * The caller's usable coupons against a selection: each with what it takes
 * off or why it does not fit, and the best combination (coupon-math.ts states
 * the rules). Nothing is held: checkout reserves the coupons it is given.
 */
export async function couponsForSelection(ctx: MarketingContext, caller: Principal, lines: QuoteRequest['lines']): Promise<CouponsForSelection> {
  const [{ quote, offers }, wallet] = await Promise.all([priceSelectionWithOffers(ctx, lines, companyOf(caller)), ctx.coupons.couponsOf(caller.userId, 'usable')]);
  const couponLines: CouponLine[] = quote.shops.flatMap((shop) =>
    // after full-reduction (the quote without coupons: its line discounts are the activities')
    // an activity price that does not stack takes no coupon
    shop.lines.map((l) => ({ shopId: shop.shopId, productId: l.productId, categoryPath: offers.get(l.skuId)?.categoryPath ?? [], amount: l.promotable === false ? 0 : l.lineTotal.amount - l.discount.amount })),
  );
  const now = new Date();
  const money = (amount: number) => ({ amount, currency: quote.currency });
  const each: CouponForSelection[] = wallet.map((coupon) => {
    const fit = fitCoupon(coupon, couponLines, quote.currency, now);
    return fit.fits
      ? { coupon, fits: true, discount: money(fit.discount), reason: null, shortBy: null }
      : { coupon, fits: false, discount: null, reason: fit.reason, shortBy: fit.shortBy === null ? null : money(fit.shortBy) };
  });
  const rank = (c: CouponForSelection) => (c.fits ? -c.discount!.amount : c.shortBy ? c.shortBy.amount : Number.MAX_SAFE_INTEGER);
  each.sort((a, b) => Number(b.fits) - Number(a.fits) || rank(a) - rank(b) || a.coupon.validUntil.localeCompare(b.coupon.validUntil) || a.coupon.id.localeCompare(b.coupon.id));
  const best = bestCoupons(wallet, couponLines, quote.currency, now);
  return { quote, coupons: each, best: { couponIds: best.picks.map((p) => p.couponId), discount: best.discount } };
}

/** Holds the buyer's coupons for the order, all or none (409 names the ones that cannot be held). */
export async function reserveCoupons(ctx: MarketingContext, input: ReserveCouponsRequest): Promise<OrderCoupons> {
  const result = await ctx.coupons.reserve(input.orderId, input.buyerUserId, input.couponIds);
  if ('missing' in result) {
    throw new CouponUnavailableError(
      `${result.missing.length} of the coupons cannot be used for this order`,
      undefined,
      result.missing.map((id) => ({ field: `couponIds.${input.couponIds.indexOf(id)}`, code: 'coupon_unavailable', message: `coupon ${id} is used, held by another order, not valid now or not yours` })),
    );
  }
  return { orderId: input.orderId, coupons: await ctx.coupons.couponsOfOrder(input.orderId) };
}

export async function redeemCoupons(ctx: MarketingContext, orderId: string): Promise<OrderCoupons> {
  const { redeemed } = await ctx.coupons.redeem(orderId);
  // a paid order whose coupons were released meanwhile must not keep a discount whose coupon can be spent again
  if (!redeemed) throw new CouponUnavailableError('the order holds no coupons: they were released or never held', undefined, [{ field: 'orderId', code: 'coupon_unavailable', message: 'no coupons held for this order' }]);
  return { orderId, coupons: await ctx.coupons.couponsOfOrder(orderId) };
}

export async function releaseCoupons(ctx: MarketingContext, orderId: string, reason: string): Promise<OrderCoupons> {
  const released = await ctx.coupons.release(orderId);
  if (released.length) ctx.logger.info({ orderId, reason, released }, 'coupons released');
  return { orderId, coupons: await ctx.coupons.couponsOfOrder(orderId) };
}
