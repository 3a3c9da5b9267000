import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { AdminNav } from '@/components/admin-parts';
import { LevelsForm } from '@/components/levels-form';
import type { Locale } from '@/i18n/routing';
import { platformCoupons } from '@/lib/data/admin';
import { memberLevels } from '@/lib/data/membership';
import { formatMoney, pick } from '@/lib/format';
import { adminToken } from '../guard';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('admin'))('levels.title') };
}

/** The membership ladder: the growth each level needs and what it gives (a discount on goods, free shipping from an amount, a birthday coupon); replaced as a whole. */
export default async function AdminLevels({ params, searchParams }: { params: Promise<{ locale: Locale }>; searchParams: Promise<{ done?: string }> }) {
  const [{ locale }, query] = await Promise.all([params, searchParams]);
  const token = await adminToken('/admin/levels');
  const t = await getTranslations('admin');
  const [levels, coupons] = await Promise.all([memberLevels(), platformCoupons(token)]);
  const birthdayCoupons = coupons.filter((c) => c.distribution === 'issued');
  const number = new Intl.NumberFormat(locale);
  return (
    <section>
      <h1>{t('levels.title')}</h1>
      <AdminNav current="/levels" />
      <p>{t('levels.intro')}</p>
      {query.done ? <p role="status">{t('levels.saved')}</p> : null}
      <table>
        <caption>{t('levels.ladder')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('levels.fields.level')}</th>
            <th scope="col">{t('levels.fields.minGrowth')}</th>
            <th scope="col">{t('levels.fields.discount')}</th>
            <th scope="col">{t('levels.fields.freeShippingAbove')}</th>
            <th scope="col">{t('levels.fields.birthdayCoupon')}</th>
          </tr>
        </thead>
        <tbody>
          {levels.map((l) => (
            <tr key={l.level}>
              <th scope="row">
                {l.level} · {pick(l.name, locale)}
              </th>
              <td>{number.format(l.minGrowth)}</td>
              <td>{l.discountBps ? `${l.discountBps / 100} %` : '—'}</td>
              <td>{l.freeShippingAbove ? formatMoney(l.freeShippingAbove, locale) : t('levels.shopsRule')}</td>
              <td>{l.birthdayCouponTemplateId ? pick(coupons.find((c) => c.id === l.birthdayCouponTemplateId)?.name ?? { 'zh-CN': '—', en: '—' }, locale) : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <LevelsForm levels={levels} birthdayCoupons={birthdayCoupons} />
    </section>
  );
}
