import type { Coupon, Money } from '@emporium/contracts';

/**
 * What a coupon takes off a selection, pure: no I/O, every input named.
 *
 * The rules, stated once because shoppers read the result:
 * - A shop's coupon applies to that shop's lines only, whatever its scope
 *   names; a platform coupon to the lines of every shop. Within that, the
 *   scope picks lines: all, some products, or categories (a category reaches
 *   its sub-categories through the product's category path).
 * - The threshold (满 X) and the percentage are taken of what the lines in
 *   scope cost after every price and discount already applied to them, never
 *   of list prices ("discounts on the undiscounted total").
 * - A percentage rounds down to the minor unit and stops at its cap; no
 *   coupon takes any line in its scope below one minor unit, so no coupon
 *   makes goods free.
 * - Stacking is explicit: at most one coupon per shop and one platform
 *   coupon; shop coupons first, the platform coupon on what is left.
 */

export interface CouponLine {
  shopId: string;
  productId: string;
  categoryPath: readonly string[];
  /** what the line costs now, in minor units of the selection's currency */
  amount: number;
}

export type CouponTerms = Pick<Coupon, 'id' | 'shopId' | 'discount' | 'minSpend' | 'scope' | 'validFrom' | 'validUntil' | 'state'>;

export type Unfit = 'not-usable' | 'currency' | 'no-lines-in-scope' | 'below-threshold' | 'too-small';

export type CouponFit =
  | { fits: true; eligible: number; discount: number; shares: number[] }
  | { fits: false; reason: Unfit; eligible: number; shortBy: number | null };

/** The currency the coupon's amounts are in; null when it names none (a percentage without cap or threshold). */
export function couponCurrency(c: Pick<CouponTerms, 'discount' | 'minSpend'>): string | null {
  if (c.minSpend) return c.minSpend.currency;
  if (c.discount.kind === 'fixed') return c.discount.amount.currency;
  return c.discount.maxOff?.currency ?? null;
}

export function inScope(c: Pick<CouponTerms, 'shopId' | 'scope'>, line: CouponLine): boolean {
  if (c.shopId !== null && line.shopId !== c.shopId) return false;
  switch (c.scope.kind) {
    case 'all':
      return true;
    case 'products':
      return c.scope.productIds.includes(line.productId);
    case 'categories': {
      const ids = c.scope.categoryIds;
      return line.categoryPath.some((id) => ids.includes(id));
    }
  }
}

/**
 * Splits `total` over `weights` in proportion, in whole units, by largest
 * remainder (ties to the earlier line): the shares add up to `total` exactly.
 */
export function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, w) => a + w, 0);
  if (sum <= 0) return weights.map(() => 0);
  const exact = weights.map((w) => (total * w) / sum);
  const shares = exact.map(Math.floor);
  let left = total - shares.reduce((a, s) => a + s, 0);
  const order = exact.map((e, i) => ({ i, r: e - Math.floor(e) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    shares[i]! += 1;
    left -= 1;
  }
  return shares;
}

/** Whether the coupon applies to the lines now, and if so what it takes off each (`shares`, by line index; 0 outside its scope). */
export function fitCoupon(c: CouponTerms, lines: readonly CouponLine[], currency: string, now: Date): CouponFit {
  const eligibleOf = () => lines.reduce((a, l) => a + (inScope(c, l) ? l.amount : 0), 0);
  if (c.state !== 'usable' || now < new Date(c.validFrom) || now >= new Date(c.validUntil)) return { fits: false, reason: 'not-usable', eligible: 0, shortBy: null };
  const own = couponCurrency(c);
  if (own !== null && own !== currency) return { fits: false, reason: 'currency', eligible: 0, shortBy: null };
  const eligible = eligibleOf();
  if (eligible <= 0) return { fits: false, reason: 'no-lines-in-scope', eligible, shortBy: null };
  if (c.minSpend && eligible < c.minSpend.amount) return { fits: false, reason: 'below-threshold', eligible, shortBy: c.minSpend.amount - eligible };
  let discount = c.discount.kind === 'fixed' ? c.discount.amount.amount : Math.floor((eligible * c.discount.percentOff) / 100);
  if (c.discount.kind === 'percent' && c.discount.maxOff) discount = Math.min(discount, c.discount.maxOff.amount);
  // every line in scope keeps at least one minor unit: shares are apportioned by what each line
  // can give (its amount less one), and no share exceeds its weight when the total does not exceed theirs
  const weights = lines.map((l) => (inScope(c, l) ? Math.max(0, l.amount - 1) : 0));
  discount = Math.min(discount, weights.reduce((a, w) => a + w, 0));
  if (discount <= 0) return { fits: false, reason: 'too-small', eligible, shortBy: null };
  return { fits: true, eligible, discount, shares: apportion(discount, weights) };
}

export interface CouponPick {
  couponId: string;
  discount: Money;
  /** what it takes off each line, by line index */
  shares: number[];
}

/**
 * The coupons that take the most off together, under the stacking rule: for
 * each shop its best shop coupon, then the best platform coupon on what is
 * left. Ties go to the coupon that expires first (use it before it is lost),
 * then to the lower id, so the same wallet always gives the same answer.
 */
export function bestCoupons(coupons: readonly CouponTerms[], lines: readonly CouponLine[], currency: string, now: Date): { picks: CouponPick[]; discount: Money } {
  const better = (a: { c: CouponTerms; discount: number }, b: { c: CouponTerms; discount: number }) =>
    a.discount !== b.discount ? a.discount > b.discount : a.c.validUntil !== b.c.validUntil ? a.c.validUntil < b.c.validUntil : a.c.id < b.c.id;
  const picks: CouponPick[] = [];
  let left = lines.map((l) => ({ ...l }));
  const take = (c: CouponTerms, shares: number[], discount: number) => {
    picks.push({ couponId: c.id, discount: { amount: discount, currency }, shares });
    left = left.map((l, i) => ({ ...l, amount: l.amount - shares[i]! }));
  };
  for (const shopId of [...new Set(lines.map((l) => l.shopId))]) {
    let best: { c: CouponTerms; discount: number; shares: number[] } | undefined;
    for (const c of coupons) {
      if (c.shopId !== shopId) continue;
      const fit = fitCoupon(c, left, currency, now);
      if (fit.fits && (!best || better({ c, discount: fit.discount }, best))) best = { c, discount: fit.discount, shares: fit.shares };
    }
    if (best) take(best.c, best.shares, best.discount);
  }
  let platform: { c: CouponTerms; discount: number; shares: number[] } | undefined;
  for (const c of coupons) {
    if (c.shopId !== null) continue;
    const fit = fitCoupon(c, left, currency, now);
    if (fit.fits && (!platform || better({ c, discount: fit.discount }, platform))) platform = { c, discount: fit.discount, shares: fit.shares };
  }
  if (platform) take(platform.c, platform.shares, platform.discount);
  return { picks, discount: { amount: picks.reduce((a, p) => a + p.discount.amount, 0), currency } };
}
