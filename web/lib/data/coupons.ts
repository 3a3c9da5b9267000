import 'server-only';
import { MarketingPublic, type Coupon, type CouponTemplate, type CouponsForSelection } from '@emporium/contracts';
import { call, ServiceError } from './sidecar';

/** The coupon centre: templates open for claiming with coupons left; with a product, those that apply to it (its shop's and the platform's). */
export async function claimableCoupons(product?: { productId: string; shopId: string; categoryPath: readonly string[] }): Promise<CouponTemplate[]> {
  const query = product ? { productId: product.productId, shopId: product.shopId, categoryPath: product.categoryPath.join(',') } : {};
  return (await call(MarketingPublic.listCouponTemplates, { query })).items;
}

export type ClaimOutcome = { ok: true; coupon: Coupon } | { ok: false; reason: 'none-left' | 'limit-reached' | 'closed' };

/** Claims one coupon of a template (领券); the key makes a resubmitted form the same claim. */
export async function claimCoupon(token: string, templateId: string, key: string): Promise<ClaimOutcome> {
  try {
    return { ok: true, coupon: await call(MarketingPublic.claimCoupon, { params: { templateId }, token, headers: { 'idempotency-key': key } }) };
  } catch (err) {
    if (err instanceof ServiceError && err.status === 404) return { ok: false, reason: 'closed' };
    if (err instanceof ServiceError && err.status === 409) return { ok: false, reason: err.problem?.code === 'coupon_limit_reached' ? 'limit-reached' : 'none-left' };
    throw err;
  }
}

export async function myCoupons(token: string, state: Coupon['state']): Promise<Coupon[]> {
  return (await call(MarketingPublic.listMyCoupons, { token, query: { state } })).items;
}

/** The buyer's usable coupons against the lines, the best combination picked; null when the lines cannot be priced. */
export async function couponsForSelection(token: string, lines: { skuId: string; quantity: number; flashSaleId?: string }[]): Promise<CouponsForSelection | null> {
  try {
    return await call(MarketingPublic.couponsForSelection, { token, body: { lines } });
  } catch (err) {
    if (err instanceof ServiceError && err.status < 500) return null;
    throw err;
  }
}
