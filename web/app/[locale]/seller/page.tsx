import { randomUUID } from 'node:crypto';
import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { ApplyForm } from '@/components/seller-forms';
import { SellerNav } from '@/components/seller-nav';
import { Figures } from '@/components/figures';
import { Link } from '@/i18n/navigation';
import type { Locale } from '@/i18n/routing';
import { config } from '@/lib/config';
import { myInvitations, orderSummary, type MyShop } from '@/lib/data/seller';
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
    </>
  );
}
