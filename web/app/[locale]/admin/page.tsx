import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { AdminNav } from '@/components/admin-parts';
import { DailyChart } from '@/components/charts';
import { Figures } from '@/components/figures';
import { Link } from '@/i18n/navigation';
import type { Locale } from '@/i18n/routing';
import { summary } from '@/lib/data/admin';
import { platformAnalytics } from '@/lib/data/analytics';
import { logLine } from '@/lib/log';
import { formatMoney, pick } from '@/lib/format';
import { adminToken } from './guard';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('admin'))('title') };
}

/** The platform at a glance: users, companies, shops, products and orders, from one round of calls. */
export default async function AdminHome({ params }: { params: Promise<{ locale: Locale }> }) {
  const { locale } = await params;
  const token = await adminToken('/admin');
  const t = await getTranslations('admin');
  const [s, a, ta] = await Promise.all([
    summary(token),
    platformAnalytics(token).catch((err: unknown) => {
      logLine('warn', 'platform analytics not shown', { err: err instanceof Error ? err.message : String(err) });
      return null;
    }),
    getTranslations('admin.analytics'),
  ]);
  const total = (counts: Record<string, number>) => Object.values(counts).reduce((a, n) => a + n, 0);
  const rows: [string, string | number][] = [
    [t('users'), s.users],
    [t('companies'), `${total(s.companies)} (${t('pending', { n: s.companies.pending ?? 0 })})`],
    [t('shops'), `${total(s.shops)} (${t('pending', { n: s.shops.pending ?? 0 })})`],
    [t('products'), `${total(s.products)} (${t('published', { n: s.products.published ?? 0 })})`],
    [t('orders'), `${total(s.orders.orders)} (${t('today', { n: s.orders.today })})`],
    [t('paid'), s.orders.paidTotal.map((m) => formatMoney(m, locale)).join(', ') || '—'],
  ];
  return (
    <section>
      <h1>{t('title')}</h1>
      <AdminNav current="" />
      <Figures label={t('summary')} rows={rows} />
      <p>
        <Link href="/admin/shops">{t('reviewShops')}</Link>
      </p>
      {a ? (
        <section aria-labelledby="trends">
          <h2 id="trends">{ta('title')}</h2>
          <Figures
            label={ta('totals')}
            rows={[
              [ta('gmv'), formatMoney(a.totals.gmv, locale)],
              [ta('orders'), a.totals.orders],
              [ta('refunds'), `${a.totals.refunds} (${formatMoney(a.totals.refunded, locale)})`],
              [ta('newShops'), a.totals.newShops],
            ]}
          />
          <DailyChart
            title={ta('chart')}
            dayLabel={ta('day')}
            rows={a.days.map((d) => ({ day: d.day, orders: d.orders, refunds: d.refunds, newShops: d.newShops, gmv: d.gmv.amount }))}
            series={[
              { key: 'orders', label: ta('orders'), kind: 'count' },
              { key: 'refunds', label: ta('refunds'), kind: 'count' },
              { key: 'newShops', label: ta('newShops'), kind: 'count' },
              { key: 'gmv', label: ta('gmv'), kind: 'money' },
            ]}
            locale={locale}
            currency={a.totals.gmv.currency}
          />
          <table>
            <caption>{ta('topShops')}</caption>
            <thead>
              <tr>
                <th scope="col">{ta('shop')}</th>
                <th scope="col">{ta('gmv')}</th>
                <th scope="col">{ta('orders')}</th>
              </tr>
            </thead>
            <tbody>
              {a.topShops.map((shop) => (
                <tr key={shop.shopId}>
                  <th scope="row">{shop.name ? pick(shop.name, locale) : shop.shopId}</th>
                  <td>{formatMoney(shop.gmv, locale)}</td>
                  <td>{shop.orders}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : (
        <p role="status">{ta('unavailable')}</p>
      )}
    </section>
  );
}
