import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { SellerNav } from '@/components/seller-nav';
import { Link } from '@/i18n/navigation';
import type { Locale } from '@/i18n/routing';
import { shopProducts } from '@/lib/data/seller';
import { formatMoney, pick } from '@/lib/format';
import { openShop } from '../guard';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('seller'))('products.title') };
}

/** Every product of the shop, drafts included, last changed first. */
export default async function SellerProducts({ params, searchParams }: { params: Promise<{ locale: Locale }>; searchParams: Promise<{ cursor?: string }> }) {
  const [{ locale }, { cursor }] = await Promise.all([params, searchParams]);
  const { token, shop, shops } = await openShop('/seller/products');
  const t = await getTranslations('seller');
  const page = await shopProducts(token, shop.id, cursor);
  return (
    <section>
      <h1>{t('products.title')}</h1>
      <SellerNav shop={shop} shops={shops} current="/products" />
      <p>
        <Link href="/seller/products/new" className="button">
          {t('products.new')}
        </Link>
      </p>
      {page.items.length === 0 ? <p>{t('products.none')}</p> : null}
      {page.items.length > 0 ? (
        <table>
          <caption className="sr-only">{t('products.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('products.name')}</th>
              <th scope="col">{t('products.status')}</th>
              <th scope="col">{t('products.skus')}</th>
              <th scope="col">{t('products.from')}</th>
            </tr>
          </thead>
          <tbody>
            {page.items.map((p) => (
              <tr key={p.id}>
                <th scope="row">
                  <Link href={`/seller/products/${p.id}`}>{pick(p.name, locale)}</Link>
                </th>
                <td>{t(`productStatus.${p.status}`)}</td>
                <td>{p.skuCount}</td>
                <td>{p.minPrice ? formatMoney(p.minPrice, locale) : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {page.nextCursor ? (
        <p>
          <Link href={{ pathname: '/seller/products', query: { cursor: page.nextCursor } }}>{t('products.more')}</Link>
        </p>
      ) : null}
    </section>
  );
}
