import type { Metadata } from 'next';
import { getLocale, getTranslations } from 'next-intl/server';
import { RefreshWhile } from '@/components/refresh-while';
import { Link, redirect } from '@/i18n/navigation';
import type { Locale } from '@/i18n/routing';
import { config } from '@/lib/config';
import { sessionToken } from '@/lib/data/account';
import { myOrders } from '@/lib/data/orders';
import { cancelReason } from '@/lib/cancel-reason';
import { formatMoney } from '@/lib/format';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('orders'))('title') };
}

/** The buyer's orders with each sub-order's status timeline; refreshes itself while a payment is on its way. */
export default async function OrdersPage({ params }: { params: Promise<{ locale: Locale }> }) {
  const { locale } = await params;
  const token = await sessionToken();
  if (!token) return redirect({ href: { pathname: '/login', query: { next: '/orders' } }, locale: await getLocale() });
  const t = await getTranslations('orders');
  const orders = await myOrders(token);
  const date = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: config().PLATFORM_TIME_ZONE });
  return (
    <section>
      <h1>{t('title')}</h1>
      <RefreshWhile active={orders.some((o) => o.status === 'pending_payment')} />
      {orders.length === 0 ? <p>{t('none')}</p> : null}
      {orders.map((o) => (
        <article key={o.id} className="card" aria-label={t('order', { date: date.format(new Date(o.createdAt)) })}>
          <h2>
            <Link href={`/orders/${o.id}`}>{t('order', { date: date.format(new Date(o.createdAt)) })}</Link>
          </h2>
          <p>
            <strong className={`status ${o.status}`}>{t(`status.${o.status}`)}</strong> · {formatMoney(o.total, locale)}
            {o.cancelReason ? <span className="muted"> · {cancelReason(o.cancelReason, locale)}</span> : null}
          </p>
          {o.subOrders.map((s) => (
            <ol key={s.id} className="timeline" aria-label={t('timeline')}>
              {s.timeline.map((e, i) => (
                <li key={i}>
                  {t(`sub.${e.status}`)} <time dateTime={e.at}>{date.format(new Date(e.at))}</time>
                </li>
              ))}
            </ol>
          ))}
        </article>
      ))}
    </section>
  );
}
