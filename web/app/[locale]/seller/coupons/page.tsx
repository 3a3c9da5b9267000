import { randomUUID } from 'node:crypto';
import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import type { CouponTemplate } from '@emporium/contracts';
import { CouponForm } from '@/components/seller-forms';
import { couponTerms } from '@/components/coupon-terms';
import { SellerNav } from '@/components/seller-nav';
import { StatusToggle } from '@/components/status-toggle';
import type { Locale } from '@/i18n/routing';
import { config } from '@/lib/config';
import { scopeProducts, shopCoupons } from '@/lib/data/seller';
import { pick } from '@/lib/format';
import { couponStatusAction } from '../actions';
import { openShop } from '../guard';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('seller'))('coupons.title') };
}

/** The shop's coupons: what each takes off, how many were claimed and used, pause and resume; and a form to issue more. */
export default async function SellerCoupons({ params }: { params: Promise<{ locale: Locale }> }) {
  const { locale } = await params;
  const { token, shop, shops } = await openShop('/seller/coupons');
  const [t, templates, products] = await Promise.all([getTranslations('seller'), shopCoupons(token, shop.id), scopeProducts(token, shop.id)]);
  const date = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: config().PLATFORM_TIME_ZONE });
  const terms = (c: CouponTemplate) => couponTerms((key, values) => t(`coupons.${key}`, values), c, locale);
  return (
    <section>
      <h1>{t('coupons.title')}</h1>
      <SellerNav shop={shop} shops={shops} current="/coupons" />
      {templates.length === 0 ? (
        <p>{t('coupons.none')}</p>
      ) : (
        <table>
          <caption className="sr-only">{t('coupons.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('coupons.name')}</th>
              <th scope="col">{t('coupons.terms')}</th>
              <th scope="col">{t('coupons.claimed')}</th>
              <th scope="col">{t('coupons.used')}</th>
              <th scope="col">{t('coupons.claimableUntil')}</th>
              <th scope="col">{t('coupons.status')}</th>
            </tr>
          </thead>
          <tbody>
            {templates.map((c) => (
              <tr key={c.id}>
                <th scope="row">{pick(c.name, locale)}</th>
                <td>
                  {terms(c)}
                  {c.scope.kind === 'products' ? <span className="muted"> · {t('scope.onProducts', { count: c.scope.productIds.length })}</span> : null}
                </td>
                <td>{t('coupons.ofTotal', { claimed: c.claimed, total: c.total })}</td>
                <td>{c.used}</td>
                <td>{date.format(new Date(c.claimEndsAt))}</td>
                <td>
                  <span className={`status ${c.status}`}>{t(`coupons.statuses.${c.status === 'active' ? c.phase : 'paused'}`)}</span>{' '}
                  {c.phase !== 'closed' ? (
                    <StatusToggle action={couponStatusAction} idField="templateId" id={c.id} active={c.status === 'active'} name={pick(c.name, locale)} labels={{ pause: t('coupons.pause'), resume: t('coupons.resume') }} />
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <CouponForm formKey={randomUUID()} products={products} />
    </section>
  );
}
