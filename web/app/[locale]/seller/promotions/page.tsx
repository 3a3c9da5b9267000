import { randomUUID } from 'node:crypto';
import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { reductionTerms } from '@/components/reduction-terms';
import { ReductionForm } from '@/components/seller-forms';
import { SellerNav } from '@/components/seller-nav';
import { StatusToggle } from '@/components/status-toggle';
import type { Locale } from '@/i18n/routing';
import { config } from '@/lib/config';
import { shopReductions } from '@/lib/data/promotions';
import { scopeProducts } from '@/lib/data/seller';
import { pick } from '@/lib/format';
import { reductionStatusAction } from '../actions';
import { openShop } from '../guard';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('seller'))('promotions.title') };
}

/** The shop's full-reduction activities: their tiers and windows, pause and resume; and a form to start one. */
export default async function SellerPromotions({ params }: { params: Promise<{ locale: Locale }> }) {
  const { locale } = await params;
  const { token, shop, shops } = await openShop('/seller/promotions');
  const [t, tp, activities, products] = await Promise.all([getTranslations('seller'), getTranslations('promotions'), shopReductions(token, shop.id), scopeProducts(token, shop.id)]);
  const date = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: config().PLATFORM_TIME_ZONE });
  return (
    <section>
      <h1>{t('promotions.title')}</h1>
      <SellerNav shop={shop} shops={shops} current="/promotions" />
      {activities.length === 0 ? (
        <p>{t('promotions.none')}</p>
      ) : (
        <table>
          <caption className="sr-only">{t('promotions.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('promotions.name')}</th>
              <th scope="col">{t('promotions.terms')}</th>
              <th scope="col">{t('promotions.window')}</th>
              <th scope="col">{t('promotions.status')}</th>
            </tr>
          </thead>
          <tbody>
            {activities.map((r) => (
              <tr key={r.id}>
                <th scope="row">{pick(r.name, locale)}</th>
                <td>
                  {reductionTerms((key, values) => tp(key, values), r, locale)}
                  {r.scope.kind === 'products' ? <span className="muted"> · {t('scope.onProducts', { count: r.scope.productIds.length })}</span> : null}
                </td>
                <td>
                  {date.format(new Date(r.startsAt))} – {date.format(new Date(r.endsAt))}
                </td>
                <td>
                  <span className={`status ${r.status}`}>{t(`promotions.statuses.${r.status === 'active' ? r.phase : 'paused'}`)}</span>{' '}
                  {r.phase !== 'ended' ? (
                    <StatusToggle action={reductionStatusAction} idField="reductionId" id={r.id} active={r.status === 'active'} name={pick(r.name, locale)} labels={{ pause: t('promotions.pause'), resume: t('promotions.resume') }} />
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ReductionForm formKey={randomUUID()} products={products} />
    </section>
  );
}
