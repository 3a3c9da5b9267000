import { randomUUID } from 'node:crypto';
import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { getLocale, getTranslations } from 'next-intl/server';
import { SubOrderTransitions, type Shipment } from '@emporium/contracts';
import { RefreshOnNews } from '@/components/refresh-on-news';
import { RefreshWhile } from '@/components/refresh-while';
import { RefundForm } from '@/components/refund-form';
import { ReturnForm, ShipBackForm } from '@/components/return-forms';
import { ReturnView } from '@/components/return-view';
import { Tracking } from '@/components/tracking';
import { Link, redirect } from '@/i18n/navigation';
import type { Locale } from '@/i18n/routing';
import { config } from '@/lib/config';
import { sessionToken } from '@/lib/data/account';
import { product } from '@/lib/data/catalog';
import { order as buyerOrder } from '@/lib/data/orders';
import { carriers as carrierList, orderShipments } from '@/lib/data/logistics';
import { publicShop } from '@/lib/data/storefront';
import { cancelReason } from '@/lib/cancel-reason';
import { formatMoney, pick } from '@/lib/format';
import { fromMinor } from '@/lib/product-draft';
import { cancelOrderAction, cancelReturnAction, confirmReceiptAction } from '../actions';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('orders'))('detail') };
}

/**
 * One order: what was bought from which shop, where it goes, how it was
 * paid, each shop's timeline and shipment, refunds; and what the buyer can
 * do next (pay, cancel, confirm receipt, ask for money back).
 */
export default async function OrderDetail({ params, searchParams }: { params: Promise<{ locale: Locale; orderId: string }>; searchParams: Promise<{ problem?: string }> }) {
  const [{ locale, orderId }, { problem }, token] = await Promise.all([params, searchParams, sessionToken()]);
  if (!token) return redirect({ href: { pathname: '/login', query: { next: `/orders/${orderId}` } }, locale: await getLocale() });
  const [t, tg, tr, o] = await Promise.all([getTranslations('orders'), getTranslations('groupBuy'), getTranslations('returns'), buyerOrder(token, orderId)]);
  if (!o) notFound();
  // names of what was bought and from whom, all at once
  const productIds = [...new Set(o.subOrders.flatMap((s) => s.lines.map((l) => l.productId)))];
  const shipped = o.subOrders.some((s) => s.shipment);
  const [products, shops, shipments] = await Promise.all([
    Promise.all(productIds.map((id) => product(id, token))),
    Promise.all(o.subOrders.map((s) => publicShop(s.shopId))),
    // tracking is a side dish: the order shows without it when logistics cannot answer
    shipped ? orderShipments(token, o.id).catch(() => new Map<string, Shipment>()) : new Map<string, Shipment>(),
  ]);
  // the carriers of the list, for sending an approved return back
  const approved = o.subOrders.some((s) => s.returns.some((r) => r.status === 'approved'));
  const choices = approved ? (await carrierList()).map((c) => ({ code: c.code, name: pick(c.name, locale), example: c.example })) : [];
  const skuName = (s: (typeof o.subOrders)[number]) => (skuId: string) => nameOf(s.lines.find((l) => l.skuId === skuId)?.productId ?? '');
  const imageOf = (productId: string) => products.find((x) => x?.id === productId)?.images[0] ?? null;
  const nameOf = (productId: string) => {
    const p = products.find((x) => x?.id === productId);
    return p ? pick(p.name, locale) : t('unavailable');
  };
  const date = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: config().PLATFORM_TIME_ZONE });
  const placed = date.format(new Date(o.createdAt));
  const a = o.shippingAddress;
  return (
    <section className="narrow-wide">
      <RefreshOnNews />
      {/* a payment or a group is waited for closely; a parcel on its way, now and then (its big moments come as news) */}
      <RefreshWhile
        active={o.status === 'pending_payment' || o.subOrders.some((s) => s.status === 'AWAITING_GROUP' || s.status === 'SHIPPED')}
        ms={o.status === 'pending_payment' ? 2000 : o.subOrders.some((s) => s.status === 'AWAITING_GROUP') ? 5000 : 30_000}
      />
      <p>
        <Link href="/orders">{t('back')}</Link>
      </p>
      <h1>{t('order', { date: placed })}</h1>
      {problem ? (
        <p role="alert" className="error">
          {t(`problem.${problem === 'conflict' ? 'conflict' : 'refused'}`)}
        </p>
      ) : null}
      <p>
        <strong className={`status ${o.status}`}>{t(`status.${o.status}`)}</strong> · {formatMoney(o.total, locale)}
        {o.payment ? ` · ${t(`method.${o.payment.method}`)}` : null}
        {o.cancelReason ? <span className="muted"> · {cancelReason(o.cancelReason, locale)}</span> : null}
      </p>
      {o.status === 'pending_payment' ? (
        <div className="form inline">
          {o.payment?.hostedUrl ? (
            <a className="button" href={o.payment.hostedUrl}>
              {t('payNow')}
            </a>
          ) : !o.payment ? (
            <p role="status">{t('processing')}</p>
          ) : null}
          <form action={cancelOrderAction}>
            <input type="hidden" name="orderId" value={o.id} />
            <input type="hidden" name="key" value={randomUUID()} />
            <button type="submit" className="secondary">
              {t('cancel')}
            </button>
          </form>
        </div>
      ) : null}
      {a ? (
        <>
          <h2>{t('shipTo')}</h2>
          <address>
            {a.recipient}, {a.phone}
            <br />
            {a.province} {a.city} {a.district} {a.street} {a.postalCode ?? ''}
          </address>
        </>
      ) : null}
      <dl>
        <dt>{t('subtotal')}</dt>
        <dd>{formatMoney(o.subtotal, locale)}</dd>
        <dt>{t('shipping')}</dt>
        <dd>{formatMoney(o.shipping, locale)}</dd>
        {o.discount.amount > 0 ? (
          <>
            <dt>{t('discount')}</dt>
            <dd>−{formatMoney(o.discount, locale)}</dd>
          </>
        ) : null}
        {o.member && o.member.points.used > 0 ? (
          <>
            <dt>{t('pointsSpent', { points: o.member.points.used })}</dt>
            <dd>−{formatMoney(o.member.points.value, locale)}</dd>
          </>
        ) : null}
        {o.member && o.member.levelDiscount.amount > 0 ? (
          <>
            <dt>{t('memberDiscount', { level: pick(o.member.name, locale) })}</dt>
            <dd>−{formatMoney(o.member.levelDiscount, locale)}</dd>
          </>
        ) : null}
        {o.member && o.member.shippingWaived.amount > 0 ? (
          <>
            <dt>{t('shippingWaived')}</dt>
            <dd>{formatMoney(o.member.shippingWaived, locale)}</dd>
          </>
        ) : null}
        <dt>{t('total')}</dt>
        <dd>{formatMoney(o.total, locale)}</dd>
      </dl>
      {o.subOrders.map((s, i) => {
        const shopName = shops[i] ? pick(shops[i].name, locale) : t('shop');
        const left = s.total.amount - s.refunded.amount;
        return (
          <article key={s.id} className="card" aria-label={shopName}>
            <h2>{shopName}</h2>
            <p>
              <strong className="status">{t(`sub.${s.status}`)}</strong> · {formatMoney(s.total, locale)}
              {s.shipping.amount > 0 ? <span className="muted"> ({t('shippingIncluded', { amount: formatMoney(s.shipping, locale) })})</span> : null}
            </p>
            <ul>
              {s.lines.map((l) => (
                <li key={l.skuId} className="line-item">
                  {imageOf(l.productId) ? <img src={`/api/v1${imageOf(l.productId)}`} alt={nameOf(l.productId)} width={64} height={64} loading="lazy" className="thumb" /> : null}
                  {nameOf(l.productId)} — {l.quantity} × {formatMoney(l.unitPrice, locale)} = {formatMoney(l.lineTotal, locale)}
                </li>
              ))}
            </ul>
            {s.groupBuy ? (
              <p>
                <Link href={`/group-buys/${s.groupBuy.groupId}`}>{tg('viewGroup')}</Link>
              </p>
            ) : null}
            {shipments.get(s.id) ? <Tracking shipment={shipments.get(s.id)!} locale={locale} /> : s.shipment ? <p>{t('shipment', { carrier: s.shipment.carrier, tracking: s.shipment.trackingNumber })}</p> : null}
            {s.autoCompleteAt ? <p className="muted">{t('autoComplete', { date: date.format(new Date(s.autoCompleteAt)) })}</p> : null}
            <ol className="timeline" aria-label={t('timeline')}>
              {s.timeline.map((e, j) => (
                <li key={j}>
                  {t(`sub.${e.status}`)} <time dateTime={e.at}>{date.format(new Date(e.at))}</time>
                </li>
              ))}
            </ol>
            {s.refunds.some((r) => !r.returnId) ? (
              <>
                <h3>{t('refunds')}</h3>
                <ul>
                  {s.refunds.filter((r) => !r.returnId).map((r) => (
                    <li key={r.id}>
                      {formatMoney(r.amount, locale)} · {t(`refundStatus.${r.status}`)} · {r.reason}
                      {r.note ? <span className="muted"> ({r.note})</span> : null}
                    </li>
                  ))}
                </ul>
              </>
            ) : null}
            {s.returns.map((r) => (
              <ReturnView key={r.id} r={r} locale={locale} nameOf={skuName(s)}>
                {r.status === 'approved' ? <ShipBackForm orderId={o.id} returnId={r.id} formKey={randomUUID()} carriers={choices} /> : null}
                {r.status === 'requested' || r.status === 'approved' ? (
                  <form action={cancelReturnAction}>
                    <input type="hidden" name="orderId" value={o.id} />
                    <input type="hidden" name="returnId" value={r.id} />
                    <input type="hidden" name="key" value={randomUUID()} />
                    <button type="submit" className="secondary">
                      {tr('withdraw')}
                    </button>
                  </form>
                ) : null}
              </ReturnView>
            ))}
            {s.returnableUntil && new Date(s.returnableUntil).getTime() > Date.now() && !s.returns.some((r) => ['requested', 'approved', 'shipped_back', 'delivered_to_shop', 'received'].includes(r.status)) && left > 0 ? (
              <details>
                <summary>{tr('ask')}</summary>
                <ReturnForm
                  orderId={o.id}
                  subOrderId={s.id}
                  until={date.format(new Date(s.returnableUntil))}
                  formKey={randomUUID()}
                  lines={s.lines.map((l) => ({
                    skuId: l.skuId,
                    name: nameOf(l.productId),
                    units: l.quantity - s.refunds.filter((r) => r.status === 'requested' || r.status === 'approved' || r.status === 'refunded').reduce((n, r) => n + (r.lines?.find((x) => x.skuId === l.skuId)?.quantity ?? 0), 0),
                  }))}
                />
              </details>
            ) : null}
            {s.status === 'SHIPPED' || s.status === 'DELIVERED' ? (
              <form action={confirmReceiptAction}>
                <input type="hidden" name="orderId" value={o.id} />
                <input type="hidden" name="subOrderId" value={s.id} />
                <input type="hidden" name="key" value={randomUUID()} />
                <button type="submit">{t('confirmReceipt')}</button>
              </form>
            ) : null}
            {SubOrderTransitions[s.status].includes('REFUND_REQUESTED') && left > 0 ? (
              <details>
                <summary>{t('refund.title')}</summary>
                <RefundForm
                  orderId={o.id}
                  subOrderId={s.id}
                  currency={s.total.currency}
                  left={fromMinor(left)}
                  formKey={randomUUID()}
                  lines={s.lines.map((l) => ({
                    skuId: l.skuId,
                    name: nameOf(l.productId),
                    units: l.quantity - s.refunds.filter((r) => r.status === 'requested' || r.status === 'approved' || r.status === 'refunded').reduce((n, r) => n + (r.lines?.find((x) => x.skuId === l.skuId)?.quantity ?? 0), 0),
                  }))}
                />
              </details>
            ) : null}
          </article>
        );
      })}
    </section>
  );
}
