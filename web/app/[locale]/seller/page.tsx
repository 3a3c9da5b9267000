import { randomUUID } from 'node:crypto';
import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { ApplyForm } from '@/components/seller-forms';
import { SellerNav } from '@/components/seller-nav';
import { Figures } from '@/components/figures';
import { DailyChart, FunnelChart } from '@/components/charts';
import { Link } from '@/i18n/navigation';
import type { Locale } from '@/i18n/routing';
import { config } from '@/lib/config';
import { shopAnalytics } from '@/lib/data/analytics';
import { myInvitations, orderSummary, type MyShop } from '@/lib/data/seller';
import { logLine } from '@/lib/log';
import { formatMoney, pick } from '@/lib/format';
import { acceptInvitationAction } from './actions';
import { pickUpRoles, sellerSession, withFreshRoles } from './guard';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('seller'))('title') };
}

/**
 * The portal's start: the application form for someone without a shop, the
 * application's state while it is reviewed, and once the shop is open its
 * dashboard (today's orders and sales in the platform's time zone, what waits).
 */
export default async function SellerHome({ params, searchParams }: { params: Promise<{ locale: Locale }>; searchParams: Promise<{ problem?: string }> }) {
  const { locale } = await params;
  const [{ token, shops, shop, hasRole }, { problem }] = await Promise.all([sellerSession('/seller'), searchParams]);
  const [t, invitations] = await Promise.all([getTranslations('seller'), myInvitations(token)]);
  const open = shop && (shop.status === 'approved' || shop.status === 'suspended');
  if (open && !hasRole) await pickUpRoles('/seller');
  return (
    <section>
      <h1>{t('title')}</h1>
      {problem === 'invitation' ? (
        <p role="alert" className="error">
          {t('staff.notJoined')}
        </p>
      ) : null}
      {invitations.map((i) => (
        <form key={i.id} action={acceptInvitationAction} className="form inline notice" aria-label={t('staff.invitedTo', { shop: pick(i.shopName, locale) })}>
          <span>{t('staff.invitedTo', { shop: pick(i.shopName, locale) })}</span>
          <input type="hidden" name="invitationId" value={i.id} />
          <input type="hidden" name="key" value={randomUUID()} />
          <button type="submit">{t('staff.accept')}</button>
        </form>
      ))}
      {!shop || shop.status === 'rejected' ? (
        <>
          {shop ? <Application shop={shop} locale={locale} /> : <p>{t('noShop')}</p>}
          <ApplyForm formKey={randomUUID()} />
        </>
      ) : shop.status === 'pending' ? (
        <Application shop={shop} locale={locale} />
      ) : !hasRole ? (
        <p role="status">
          {t('settingUp')} <a href={withFreshRoles(locale, '/seller', 'again')}>{t('tryAgain')}</a>
        </p>
      ) : (
        <>
          <SellerNav shop={shop} shops={shops} current="" />
          <Dashboard token={token} shop={shop} locale={locale} />
        </>
      )}
    </section>
  );
}

async function Application({ shop, locale }: { shop: MyShop; locale: Locale }) {
  const t = await getTranslations('seller');
  return (
    <article className="card" aria-labelledby="application-title">
      <h2 id="application-title">{t('application', { name: pick(shop.name, locale) })}</h2>
      <p>
        <strong className={`status ${shop.status}`}>{t(`shopStatus.${shop.status}`)}</strong>
      </p>
      <p>{t(`applicationNote.${shop.status === 'rejected' ? 'rejected' : 'pending'}`)}</p>
      {shop.statusReason ? <p>{t('reason', { reason: shop.statusReason })}</p> : null}
    </article>
  );
}

async function Dashboard({ token, shop, locale }: { token: string; shop: MyShop; locale: Locale }) {
  const t = await getTranslations('seller');
  const s = await orderSummary(token, shop.id, config().PLATFORM_TIME_ZONE);
  const rows: [string, string | number][] = [
    [t('dashboard.ordersToday'), s.today.orders],
    [t('dashboard.paidToday'), s.today.paidOrders],
    [t('dashboard.salesToday'), s.today.sales.map((m) => formatMoney(m, locale)).join(', ') || formatMoney({ amount: 0, currency: 'CNY' }, locale)],
    [t('dashboard.toShip'), s.byStatus.PAID],
    [t('dashboard.refundRequests'), s.byStatus.REFUND_REQUESTED],
  ];
  return (
    <>
      {shop.status === 'suspended' ? (
        <p role="status" className="error">
          {t('suspended', { reason: shop.statusReason ?? '—' })}
        </p>
      ) : null}
      <Figures label={t('dashboard.title')} rows={rows} />
      <p>
        <Link href="/seller/orders?status=PAID">{t('dashboard.shipNow')}</Link> · <Link href="/seller/products/new">{t('products.new')}</Link>
      </p>
      <Trends token={token} shop={shop} locale={locale} />
    </>
  );
}

/** The last 30 days from analytics: sales and orders by day, the funnel, top products and the refund rate; a notice when analytics cannot answer. */
async function Trends({ token, shop, locale }: { token: string; shop: MyShop; locale: Locale }) {
  const t = await getTranslations('seller.analytics');
  const a = await shopAnalytics(shop.id, token).catch((err: unknown) => {
    logLine('warn', 'shop analytics not shown', { shopId: shop.id, err: err instanceof Error ? err.message : String(err) });
    return null;
  });
  if (!a) return <p role="status">{t('unavailable')}</p>;
  return (
    <section aria-labelledby="trends">
      <h2 id="trends">{t('title')}</h2>
      <Figures
        label={t('totals')}
        rows={[
          [t('sales'), formatMoney(a.totals.sales, locale)],
          [t('orders'), a.totals.orders],
          [t('buyers'), a.totals.buyers],
          [t('refundRate'), new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(a.refundRateBps / 10_000)],
        ]}
      />
      <DailyChart
        title={t('salesChart')}
        dayLabel={t('day')}
        rows={a.days.map((d) => ({ day: d.day, orders: d.orders, sales: d.sales.amount, refunds: d.refunds }))}
        series={[
          { key: 'orders', label: t('orders'), kind: 'count' },
          { key: 'refunds', label: t('refunds'), kind: 'count' },
          { key: 'sales', label: t('sales'), kind: 'money' },
        ]}
        locale={locale}
        currency={a.totals.sales.currency}
      />
      <FunnelChart
        title={t('funnel')}
        steps={[
          { label: t('views'), value: a.funnel.views },
          { label: t('carts'), value: a.funnel.carts },
          { label: t('paid'), value: a.funnel.paid },
        ]}
        locale={locale}
        stepLabel={t('step')}
        countLabel={t('visitors')}
        shareLabel={t('share')}
      />
      <table>
        <caption>{t('topProducts')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('product')}</th>
            <th scope="col">{t('units')}</th>
            <th scope="col">{t('sales')}</th>
          </tr>
        </thead>
        <tbody>
          {a.topProducts.length === 0 ? (
            <tr>
              <td colSpan={3}>{t('noSales')}</td>
            </tr>
          ) : (
            a.topProducts.map((p) => (
              <tr key={p.productId}>
                <th scope="row">
                  <Link href={`/products/${p.productId}`}>{p.name ? pick(p.name, locale) : p.productId}</Link>
                </th>
                <td>{p.units}</td>
                <td>{formatMoney(p.sales, locale)}</td>
              </tr>
            ))
          )}
        </tbody>
      </table>
    </section>
  );
}
