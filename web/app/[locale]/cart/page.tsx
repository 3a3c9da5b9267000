import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { Link } from '@/i18n/navigation';
import type { Locale } from '@/i18n/routing';
import { sessionToken } from '@/lib/data/account';
import { currentCart } from '@/lib/data/cart';
import { quote } from '@/lib/data/orders';
import { formatMoney, pick } from '@/lib/format';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('cart'))('title') };
}

/** The cart grouped by shop, each line at today's price (prices here are informative; checkout prices again). */
export default async function CartPage({ params }: { params: Promise<{ locale: Locale }> }) {
  const { locale } = await params;
  const t = await getTranslations('cart');
  const cart = await currentCart();
  const shops = cart?.shops.filter((s) => s.lines.length > 0) ?? [];
  // the selected lines priced as checkout would (before coupons): each shop's full-reduction and how far its next step is
  const selected = shops.flatMap((s) => s.lines.filter((l) => l.selected && l.price).map((l) => ({ skuId: l.skuId, quantity: l.quantity })));
  const priced = selected.length ? await quote(await sessionToken(), selected) : null;
  return (
    <section>
      <h1>{t('title')}</h1>
      {shops.length === 0 ? (
        <p>
          {t('empty')} <Link href="/">{t('browse')}</Link>
        </p>
      ) : (
        shops.map((shop, i) => {
          const currency = shop.lines.find((l) => l.price)?.price?.currency ?? 'CNY';
          const subtotal = shop.lines.reduce((a, l) => a + ((l.companyPrice ?? l.price)?.amount ?? 0) * l.quantity, 0);
          return (
            <section key={shop.shopId ?? i} aria-label={t('shop', { n: i + 1 })} className="card">
              <h2>{t('shop', { n: i + 1 })}</h2>
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('item')}</th>
                    <th scope="col">{t('quantity')}</th>
                    <th scope="col">{t('lineTotal')}</th>
                  </tr>
                </thead>
                <tbody>
                  {shop.lines.map((l) => {
                    const unit = l.companyPrice ?? l.price;
                    return (
                      <tr key={l.skuId}>
                        <td className="line-item">
                          {l.image ? <img src={`/api/v1${l.image}`} alt={l.name ? pick(l.name, locale) : t('unknown')} width={64} height={64} loading="lazy" className="thumb" /> : null}
                          {l.name ? pick(l.name, locale) : t('unknown')}
                          {l.specValues ? <span className="muted"> {Object.values(l.specValues).join(' / ')}</span> : null}
                          {l.flags.length ? <span className="error"> {l.flags.map((f) => t(`flag.${f}`)).join(', ')}</span> : null}
                        </td>
                        <td>{l.quantity}</td>
                        <td>{unit ? formatMoney({ amount: unit.amount * l.quantity, currency: unit.currency }, locale) : '—'}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
              <p className="price">{t('subtotal', { amount: formatMoney({ amount: subtotal, currency }, locale) })}</p>
              {priced?.reductions
                .filter((r) => r.shopId === shop.shopId)
                .map((r) => (
                  <p key={r.reductionId} className="ok">
                    {t('reductionApplied', { name: pick(r.name, locale), amount: formatMoney(r.discount, locale) })}
                  </p>
                ))}
              {(() => {
                const hint = priced?.shops.find((s) => s.shopId === shop.shopId)?.reductionHint;
                return hint ? (
                  <p className="notice">{t('reductionHint', { shortBy: formatMoney(hint.shortBy, locale), saves: formatMoney(hint.saves, locale), name: pick(hint.name, locale) })}</p>
                ) : null;
              })()}
            </section>
          );
        })
      )}
      {shops.length > 0 ? (
        <p>
          <Link href="/checkout" className="button">
            {t('checkout')}
          </Link>
        </p>
      ) : null}
    </section>
  );
}
