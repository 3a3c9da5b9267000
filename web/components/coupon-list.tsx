import { randomUUID } from 'node:crypto';
import { getTranslations } from 'next-intl/server';
import type { CouponTemplate } from '@emporium/contracts';
import { CouponClaim } from '@/components/coupon-claim';
import { couponTerms } from '@/components/coupon-terms';
import type { Locale } from '@/i18n/routing';
import { config } from '@/lib/config';
import { pick } from '@/lib/format';

/** Claimable templates with their terms, validity and what is left, each with its claim button. */
export async function CouponList({ templates, locale, back }: { templates: CouponTemplate[]; locale: Locale; back: string }) {
  const t = await getTranslations('coupons');
  const date = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: config().PLATFORM_TIME_ZONE });
  return (
    <ul className="coupons">
      {templates.map((c) => (
        <li key={c.id}>
          <strong>{couponTerms((key, values) => t(key, values), c, locale)}</strong> · {pick(c.name, locale)} · {t(c.shopId ? 'shop' : 'platform')}
          <br />
          <span className="muted">
            {c.validity.kind === 'after-claim' ? t('validDays', { days: c.validity.days }) : t('validUntil', { date: date.format(new Date(c.validity.endsAt)) })} · {t('left', { count: c.remaining })}
          </span>{' '}
          <CouponClaim templateId={c.id} label={pick(c.name, locale)} formKey={randomUUID()} back={back} />
        </li>
      ))}
    </ul>
  );
}
