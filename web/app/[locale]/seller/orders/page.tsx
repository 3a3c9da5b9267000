import { randomUUID } from 'node:crypto';
import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { SubOrderStatus } from '@emporium/contracts';
import { ShipForm } from '@/components/seller-forms';
import { Tracking } from '@/components/tracking';
import { SellerNav } from '@/components/seller-nav';
import type { Locale } from '@/i18n/routing';
import { config } from '@/lib/config';
import { ownSkuNames, shopOrders } from '@/lib/data/seller';
import { carriers as carrierList, shopShipments } from '@/lib/data/logistics';
import { pick } from '@/lib/format';
import { formatMoney } from '@/lib/format';
import { refundDecisionAction } from '../actions';
import { openShop } from '../guard';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('seller'))('orders.title') };
}

/** The shop's sub-orders, newest first, narrowed by status; a paid one is shipped here (a carrier and tracking number per parcel), a shipped one shows its tracking. */
export default async function SellerOrders({ params, searchParams }: { params: Promise<{ locale: Locale }>; searchParams: Promise<{ status?: string; target?: string; problem?: string }> }) {
  const [{ locale }, query] = await Promise.all([params, searchParams]);
  const status = SubOrderStatus.safeParse(query.status).data;
  const { token, shop, shops } = await openShop('/seller/orders');
  const [t, ts, tf, orders, shipments, carriers] = await Promise.all([getTranslations('seller'), getTranslations('orders'), getTranslations('forms'), shopOrders(token, shop.id, status), shopShipments(token, shop.id), carrierList()]);
  // what each line is: the product and its specs (the sub-order keeps ids only)
  const names = await ownSkuNames(token, shop.id, orders.flatMap((o) => o.lines.map((l) => l.productId)), locale);
  const choices = carriers.map((c) => ({ code: c.code, name: pick(c.name, locale), example: c.example }));
  const quiet = [...shipments.values()].filter((s) => s.parcels.some((p) => p.staleSince));
  const date = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: config().PLATFORM_TIME_ZONE });
  return (
    <section>
      <h1>{t('orders.title')}</h1>
      <SellerNav shop={shop} shops={shops} current="/orders" />
      <form method="get" className="filters" aria-label={t('orders.filter')}>
        <span className="field">
          <label htmlFor="status">{t('products.status')}</label>
          <select id="status" name="status" defaultValue={status ?? ''}>
            <option value="">{t('orders.all')}</option>
            {SubOrderStatus.options.map((s) => (
              <option key={s} value={s}>
                {ts(`sub.${s}`)}
              </option>
            ))}
          </select>
        </span>
        <button type="submit">{t('orders.apply')}</button>
      </form>
      {quiet.length > 0 ? (
        <p role="status" className="error">
          {t('orders.stale')}: {quiet.flatMap((s) => s.parcels.filter((p) => p.staleSince).map((p) => p.trackingNumber)).join(', ')}
        </p>
      ) : null}
      {orders.length === 0 ? <p>{t('orders.none')}</p> : null}
      {orders.map((o) => {
        const placed = date.format(new Date(o.createdAt));
        return (
          <article key={o.id} className="card" aria-label={t('orders.order', { date: placed })}>
            <h2>{t('orders.order', { date: placed })}</h2>
            <p>
              <strong className="status">{ts(`sub.${o.status}`)}</strong> · {formatMoney(o.total, locale)}
              {o.refunded.amount > 0 ? <span className="muted"> · {t('orders.refunded', { amount: formatMoney(o.refunded, locale) })}</span> : null}
            </p>
            <ul>
              {o.lines.map((l) => (
                <li key={l.skuId}>
                  {names.get(l.skuId) ? <strong>{names.get(l.skuId)}</strong> : null} {t('orders.line', { quantity: l.quantity, price: formatMoney(l.unitPrice, locale), total: formatMoney(l.lineTotal, locale) })}
                </li>
              ))}
            </ul>
            {shipments.get(o.id) ? <Tracking shipment={shipments.get(o.id)!} locale={locale} /> : o.shipment ? <p>{t('orders.shipped', { carrier: o.shipment.carrier, tracking: o.shipment.trackingNumber })}</p> : null}
            {o.status === 'PAID' && !shipments.get(o.id) ? <ShipForm subOrderId={o.id} formKey={randomUUID()} carriers={choices} /> : null}
            {query.target === o.id && query.problem ? (
              <p role="alert" className="error">
                {query.problem === 'reason' ? t('orders.refundReasonNeeded') : tf('problem.conflict')}
              </p>
            ) : null}
            {o.refunds
              .filter((r) => r.status === 'requested')
              .map((r) => (
                <form key={r.id} action={refundDecisionAction} className="form inline" aria-label={t('orders.refundRequested', { amount: formatMoney(r.amount, locale), reason: r.reason })}>
                  <p>{t('orders.refundRequested', { amount: formatMoney(r.amount, locale), reason: r.reason })}</p>
                  <input type="hidden" name="subOrderId" value={o.id} />
                  <input type="hidden" name="refundId" value={r.id} />
                  <input type="hidden" name="key" value={randomUUID()} />
                  <button type="submit" name="decision" value="approve">
                    {t('orders.approveRefund')}
                  </button>
                  <label htmlFor={`refund-reason-${r.id}`}>{t('orders.refundReason')}</label>
                  <input id={`refund-reason-${r.id}`} name="reason" className="wide" />
                  <button type="submit" name="decision" value="reject" className="secondary">
                    {t('orders.rejectRefund')}
                  </button>
                </form>
              ))}
          </article>
        );
      })}
    </section>
  );
}
