import { randomUUID } from 'node:crypto';
import type { Metadata } from 'next';
import { getLocale, getTranslations } from 'next-intl/server';
import { AddressForm } from '@/components/account-forms';
import { PlaceOrderForm } from '@/components/checkout-forms';
import { Countdown } from '@/components/countdown';
import { Link, redirect } from '@/i18n/navigation';
import type { Locale } from '@/i18n/routing';
import { me, sessionToken } from '@/lib/data/account';
import { currentCart } from '@/lib/data/cart';
import { flashSale } from '@/lib/data/flash';
import { myAddresses, quote } from '@/lib/data/orders';
import { formatMoney, pick } from '@/lib/format';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('checkout'))('title') };
}

/** The cart's selected lines, where they go and how to pay; the order prices them again on the server. */
export default async function CheckoutPage({ params, searchParams }: { params: Promise<{ locale: Locale }>; searchParams: Promise<{ flash?: string; until?: string }> }) {
  const [{ locale }, { flash, until }] = await Promise.all([params, searchParams]);
  const token = await sessionToken();
  if (!token) return redirect({ href: { pathname: '/login', query: { next: '/checkout' } }, locale: await getLocale() });
  const t = await getTranslations('checkout');
  // a flash sale's held unit is checked out on its own, at the sale's price; else the cart's selected lines
  const [cart, addresses, user, sale] = await Promise.all([flash ? null : currentCart(), myAddresses(token), me(), flash ? flashSale(flash) : null]);
  const lines = sale
    ? [{ skuId: sale.skuId, quantity: 1, selected: true, name: sale.title, price: sale.price, companyPrice: null }]
    : (cart?.shops.flatMap((s) => s.lines.filter((l) => l.selected)) ?? []);
  if (lines.length === 0) {
    return (
      <section>
        <h1>{t('title')}</h1>
        <p>
          {t('nothing')} <Link href="/">{t('browse')}</Link>
        </p>
      </section>
    );
  }
  // what the address form keeps when it comes back: the held unit and the hold's end
  const keep: Record<string, string> = sale ? { flash: sale.id, ...(until ? { until } : {}) } : {};
  const company = user?.roles.some((r) => r.role === 'company_buyer' || r.role === 'company_admin') ?? false;
  // the prices the order will charge (tiers, company prices, the sale's price) and each shop's shipping
  const priced = await quote(token, lines.map((l) => ({ skuId: l.skuId, quantity: l.quantity, ...(sale ? { flashSaleId: sale.id } : {}) })));
  const lineTotal = (l: (typeof lines)[number]) => {
    const q = priced?.shops.flatMap((s) => s.lines).find((x) => x.skuId === l.skuId);
    return q ? q.lineTotal : l.price ? { amount: (l.companyPrice ?? l.price).amount * l.quantity, currency: l.price.currency } : null;
  };
  return (
    <section className="narrow-wide">
      <h1>{t('title')}</h1>
      <ul>
        {lines.map((l) => {
          const total = lineTotal(l);
          return (
            <li key={l.skuId}>
              {l.name ? pick(l.name, locale) : '—'} × {l.quantity}
              {total ? ` — ${formatMoney(total, locale)}` : ''}
            </li>
          );
        })}
      </ul>
      {priced ? (
        <dl aria-label={t('totals')}>
          <dt>{t('goods')}</dt>
          <dd>{formatMoney(priced.subtotal, locale)}</dd>
          <dt>{t('shippingFee', { shops: priced.shops.length })}</dt>
          <dd>{formatMoney(priced.shipping, locale)}</dd>
          <dt>{t('toPay')}</dt>
          <dd>
            <strong>{formatMoney(priced.total, locale)}</strong>
          </dd>
        </dl>
      ) : (
        <p className="muted">{t('notPriced')}</p>
      )}
      {sale && until && !Number.isNaN(Date.parse(until)) ? (
        <p className="notice">
          <Countdown endsAt={until} now={Date.now()} words="hold" />
        </p>
      ) : null}
      {addresses.length === 0 ? (
        <AddressForm formKey={randomUUID()} back="checkout" keep={keep} />
      ) : (
        <details>
          <summary>{t('otherAddress')}</summary>
          <AddressForm formKey={randomUUID()} back="checkout" keep={keep} />
        </details>
      )}
      <PlaceOrderForm addresses={addresses} methods={company ? ['card', 'wallet', 'invoice'] : ['card', 'wallet']} formKey={randomUUID()} flash={sale ? { campaignId: sale.id, skuId: sale.skuId } : null} />
    </section>
  );
}
