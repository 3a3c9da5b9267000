import { randomUUID } from 'node:crypto';
import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { AdminNav, RowNotice } from '@/components/admin-parts';
import { couponTerms } from '@/components/coupon-terms';
import { CouponForm } from '@/components/seller-forms';
import { StatusToggle } from '@/components/status-toggle';
import type { Locale } from '@/i18n/routing';
import { config } from '@/lib/config';
import { platformCoupons } from '@/lib/data/admin';
import { pick } from '@/lib/format';
import { createPlatformCouponAction, issueCouponAction, platformCouponStatusAction } from '../actions';
import { adminToken } from '../guard';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('admin'))('coupons.title') };
}

/** Platform coupons: funded by the platform and usable in every shop; claimed and used counts, pause and resume, and a form to issue more. */
export default async function AdminCoupons({ params, searchParams }: { params: Promise<{ locale: Locale }>; searchParams: Promise<{ target?: string; problem?: string; done?: string }> }) {
  const [{ locale }, query] = await Promise.all([params, searchParams]);
  const token = await adminToken('/admin/coupons');
  const [t, c, templates] = await Promise.all([getTranslations('admin'), getTranslations('coupons'), platformCoupons(token)]);
  const date = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: config().PLATFORM_TIME_ZONE });
  return (
    <section>
      <h1>{t('coupons.title')}</h1>
      <AdminNav current="/coupons" />
      <p>{t('coupons.intro')}</p>
      {templates.length === 0 ? (
        <p>{t('noneHere')}</p>
      ) : (
        <table>
          <caption className="sr-only">{t('coupons.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('coupons.name')}</th>
              <th scope="col">{t('coupons.terms')}</th>
              <th scope="col">{t('coupons.distribution')}</th>
              <th scope="col">{t('coupons.claimed')}</th>
              <th scope="col">{t('coupons.used')}</th>
              <th scope="col">{t('coupons.claimableUntil')}</th>
              <th scope="col">{t('coupons.status')}</th>
            </tr>
          </thead>
          <tbody>
            {templates.map((tp) => (
              <tr key={tp.id}>
                <th scope="row">{pick(tp.name, locale)}</th>
                <td>{couponTerms((key, values) => c(key, values), tp, locale)}</td>
                <td>
                  {t(`coupons.distributions.${tp.distribution}`)}
                  {tp.minLevel !== null ? ` (${t('coupons.fromLevel', { level: tp.minLevel })})` : null}
                  <RowNotice row={tp.id} query={query} known={['login', 'reason', 'conflict']} />
                  {tp.distribution === 'issued' && tp.status === 'active' && tp.phase === 'open' ? (
                    <form action={issueCouponAction} className="form" aria-label={`${t('coupons.give')}: ${pick(tp.name, locale)}`}>
                      <input type="hidden" name="templateId" value={tp.id} />
                      <input type="hidden" name="key" value={randomUUID()} />
                      <label>
                        {t('coupons.login')}
                        <input name="login" required maxLength={254} autoComplete="off" />
                      </label>
                      <label>
                        {t('coupons.reason')}
                        <input name="reason" required minLength={3} maxLength={200} />
                      </label>
                      <button type="submit">{t('coupons.give')}</button>
                    </form>
                  ) : null}
                </td>
                <td>
                  {tp.claimed} / {tp.total}
                </td>
                <td>{tp.used}</td>
                <td>{date.format(new Date(tp.claimEndsAt))}</td>
                <td>
                  {t(`coupons.statuses.${tp.status === 'active' ? tp.phase : 'paused'}`)}{' '}
                  {tp.phase !== 'closed' ? (
                    <StatusToggle action={platformCouponStatusAction} idField="templateId" id={tp.id} active={tp.status === 'active'} name={pick(tp.name, locale)} labels={{ pause: t('coupons.pause'), resume: t('coupons.resume') }} />
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <CouponForm formKey={randomUUID()} issue={createPlatformCouponAction} fundedBy="platform" />
    </section>
  );
}
