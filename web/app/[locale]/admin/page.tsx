import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { AdminNav } from '@/components/admin-parts';
import { Figures } from '@/components/figures';
import { Link } from '@/i18n/navigation';
import type { Locale } from '@/i18n/routing';
import { summary } from '@/lib/data/admin';
import { formatMoney } from '@/lib/format';
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
  const s = await summary(token);
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
    </section>
  );
}
