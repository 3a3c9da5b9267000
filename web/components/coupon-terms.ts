import type { CouponDiscount, Money } from '@emporium/contracts';
import type { Locale } from '@/i18n/routing';
import { formatMoney } from '@/lib/format';

type Translate = (key: string, values?: Record<string, string | number>) => string;

/** What a coupon takes off, in words of the `coupons` messages: "¥10.00 off from ¥100.00", "10 % off, at most ¥20.00". */
export function couponTerms(t: Translate, c: { discount: CouponDiscount; minSpend: Money | null }, locale: Locale): string {
  const off =
    c.discount.kind === 'fixed'
      ? t('fixedOff', { amount: formatMoney(c.discount.amount, locale) })
      : c.discount.maxOff
        ? t('percentOffCapped', { percent: c.discount.percentOff, cap: formatMoney(c.discount.maxOff, locale) })
        : t('percentOff', { percent: c.discount.percentOff });
  return c.minSpend ? t('from', { threshold: formatMoney(c.minSpend, locale), off }) : off;
}
