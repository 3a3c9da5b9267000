import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { SellerNav } from '@/components/seller-nav';
import { Link } from '@/i18n/navigation';
import type { Locale } from '@/i18n/routing';
import { shopProducts, shopStock } from '@/lib/data/seller';
import { pick } from '@/lib/format';
import { openShop } from '../guard';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('seller'))('stock.title') };
}

/** Stock per product, low and sold-out SKUs first; each product's page receives or corrects its SKUs. */
export default async function SellerStock({ params }: { params: Promise<{ locale: Locale }> }) {
  const { locale } = await params;
  const { token, shop, shops } = await openShop('/seller/stock');
  const [t, products, stock] = await Promise.all([getTranslations('seller'), shopProducts(token, shop.id), shopStock(token, shop.id)]);
  const rows = products.items
    .map((p) => {
      const skus = stock.filter((s) => s.productId === p.id);
      return {
        product: p,
        available: skus.reduce((n, s) => n + s.available, 0),
        reserved: skus.reduce((n, s) => n + s.reserved, 0),
        short: p.skuCount - skus.filter((s) => s.level === 'in_stock').length,
      };
    })
    .sort((a, b) => b.short - a.short);
  return (
    <section>
      <h1>{t('stock.title')}</h1>
      <SellerNav shop={shop} shops={shops} current="/stock" />
      {rows.length === 0 ? <p>{t('products.none')}</p> : null}
      {rows.length > 0 ? (
        <table>
          <caption className="sr-only">{t('stock.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('products.name')}</th>
              <th scope="col">{t('stock.available')}</th>
              <th scope="col">{t('stock.reserved')}</th>
              <th scope="col">{t('stock.short')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.product.id}>
                <th scope="row">
                  <Link href={`/seller/products/${r.product.id}#stock`}>{pick(r.product.name, locale)}</Link>
                </th>
                <td>{r.available}</td>
                <td>{r.reserved}</td>
                <td className={r.short > 0 ? 'status cancelled' : undefined}>{t('stock.shortOf', { n: r.short, total: r.product.skuCount })}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {products.nextCursor ? <p className="muted">{t('stock.firstPage')}</p> : null}
    </section>
  );
}
