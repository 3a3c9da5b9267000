import type { Coupon, CouponTemplate, CreateCouponTemplateRequest } from '@emporium/contracts';
import { ConflictError, hasRole, NotFoundError, requireShopStaff, isShopStaff, type Principal } from '@emporium/kit';
import type { MarketingContext } from './marketing-context';

/** Every coupon of the template was claimed. */
export class CouponsExhaustedError extends ConflictError {
  override readonly code = 'coupons_exhausted';
}

/** The shopper holds as many coupons of the template as it allows each. */
export class CouponLimitReachedError extends ConflictError {
  override readonly code = 'coupon_limit_reached';
}

/**
 * Issues coupons funded by a shop (shopId) or by the platform (null). The
 * template id comes from the caller's Idempotency-Key, so a retry returns the
 * same template.
 */
export async function createCouponTemplate(ctx: MarketingContext, caller: Principal, shopId: string | null, templateId: string, input: CreateCouponTemplateRequest): Promise<CouponTemplate> {
  if (shopId) requireShopStaff(caller, shopId);
  return ctx.coupons.insertTemplate(templateId, shopId, input, caller.userId);
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
  switch (result.refused) {
    case 'not-found':
    case 'not-open':
      throw new NotFoundError('no such coupon template open for claiming');
    case 'none-left':
      throw new CouponsExhaustedError('every coupon of this template was claimed');
    case 'limit-reached':
      throw new CouponLimitReachedError('you hold as many coupons of this template as it allows each shopper');
  }
}
