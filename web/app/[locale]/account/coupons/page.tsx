import type { Metadata } from 'next';
import { getLocale, getTranslations } from 'next-intl/server';
import { CouponState } from '@emporium/contracts';
import { couponTerms } from '@/components/coupon-terms';
import { Link, redirect } from '@/i18n/navigation';
import type { Locale } from '@/i18n/routing';
import { config } from '@/lib/config';
import { sessionToken } from '@/lib/data/account';
import { myCoupons } from '@/lib/data/coupons';
import { pick } from '@/lib/format';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('coupons'))('mine') };
}

const TABS = ['usable', 'used', 'expired'] as const;

/** My coupons: usable ones expiring soonest first, then used and expired ones, a tab each. */
export default async function MyCoupons({ params, searchParams }: { params: Promise<{ locale: Locale }>; searchParams: Promise<{ state?: string }> }) {
  const [{ locale }, { state: asked }] = await Promise.all([params, searchParams]);
  const token = await sessionToken();
  if (!token) return redirect({ href: { pathname: '/login', query: { next: '/account/coupons' } }, locale: await getLocale() });
  const state = TABS.find((s) => s === CouponState.safeParse(asked).data) ?? 'usable';
  const [t, coupons] = await Promise.all([getTranslations('coupons'), myCoupons(token, state)]);
  const date = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: config().PLATFORM_TIME_ZONE });
  return (
    <section>
      <h1>{t('mine')}</h1>
      <nav aria-label={t('mine')} className="tabs">
        {TABS.map((s) => (
          <Link key={s} href={{ pathname: '/account/coupons', query: { state: s } }} aria-current={s === state ? 'page' : undefined}>
            {t(`states.${s}`)}
          </Link>
        ))}
      </nav>
      {coupons.length === 0 ? (
        <p>
          {t('mineNone')} <Link href="/coupons">{t('toCentre')}</Link>
        </p>
      ) : (
        <ul className="coupons">
          {coupons.map((c) => (
            <li key={c.id}>
              <strong>{couponTerms((key, values) => t(key, values), c, locale)}</strong> · {pick(c.name, locale)} · {t(c.shopId ? 'shop' : 'platform')}
              <br />
              <span className="muted">{c.usedAt ? t('usedAt', { date: date.format(new Date(c.usedAt)) }) : t('until', { date: date.format(new Date(c.validUntil)) })}</span>
              {c.note ? <span className="muted"> · {c.note}</span> : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
