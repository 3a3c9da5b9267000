import { randomUUID } from 'node:crypto';
import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { ProductForm } from '@/components/product-form';
import { ImageForm, StockForm, TierForm } from '@/components/seller-forms';
import { SellerNav } from '@/components/seller-nav';
import { Link } from '@/i18n/navigation';
import type { Locale } from '@/i18n/routing';
import { ownProduct, shopStock, specTemplate } from '@/lib/data/seller';
import { orNull } from '@/lib/data/sidecar';
import { formatMoney, pick } from '@/lib/format';
import { productToDraft } from '@/lib/product-request';
import { publishAction } from '../../actions';
import { openShop } from '../../guard';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('seller'))('product.editTitle') };
}

/** One product: its form, publishing, images, and each SKU's stock with a form to receive or correct it. */
export default async function EditProduct({ params, searchParams }: { params: Promise<{ locale: Locale; productId: string }>; searchParams: Promise<{ saved?: string; problem?: string }> }) {
  const [{ locale, productId }, { saved, problem }] = await Promise.all([params, searchParams]);
  const back = `/seller/products/${productId}`;
  const { token, shop, shops } = await openShop(back);
  const [t, tf, product, stock] = await Promise.all([getTranslations('seller'), getTranslations('forms'), orNull(ownProduct(token, shop.id, productId)), shopStock(token, shop.id, productId).catch(() => null)]);
  if (!product) notFound();
  const template = await specTemplate(product.categoryId);
  // the product stays editable when inventory does not answer; the stock table says so
  const stockOf = new Map((stock ?? []).map((s) => [s.skuId, s]));
  const comboName = (values: Record<string, string>) =>
    product.specs.map((spec) => spec.values.find((v) => v.key === values[spec.key])?.name[locale]).filter(Boolean).join(' / ') || t('product.single');
  const published = product.status === 'published';
  return (
    <section>
      <h1>{pick(product.name, locale)}</h1>
      <SellerNav shop={shop} shops={shops} current="/products" />
      {saved ? <p role="status">{t('product.saved')}</p> : null}
      {problem === 'notPublishable' || problem === 'refused' ? (
        <p role="alert" className="error">
          {tf(`problem.${problem}`)}
        </p>
      ) : null}
      <p>
        {t('products.status')}: <strong>{t(`productStatus.${product.status}`)}</strong>
        {published ? (
          <>
            {' · '}
            <Link href={`/products/${product.id}`}>{t('product.view')}</Link>
          </>
        ) : null}
      </p>
      <form action={publishAction} className="form inline">
        <input type="hidden" name="productId" value={product.id} />
        <input type="hidden" name="publish" value={String(!published)} />
        <button type="submit">{t(published ? 'product.unpublish' : 'product.publish')}</button>
      </form>

      <h2>{t('product.images')}</h2>
      <ul className="thumbs">
        {product.images.map((src, i) => (
          <li key={src}>
            <img src={`/api/v1${src}`} alt={t('product.imageAlt', { name: pick(product.name, locale), n: i + 1 })} width={96} height={96} />
          </li>
        ))}
      </ul>
      <ImageForm productId={product.id} formKey={randomUUID()} />

      <h2 id="stock">{t('stock.title')}</h2>
      {stock === null ? (
        <p role="alert" className="error">
          {t('stock.unavailable')}
        </p>
      ) : null}
      <table>
        <caption className="sr-only">{t('stock.title')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('product.sku.combination')}</th>
            <th scope="col">{t('stock.available')}</th>
            <th scope="col">{t('stock.reserved')}</th>
            <th scope="col">{t('stock.sold')}</th>
            <th scope="col">{t('stock.change')}</th>
          </tr>
        </thead>
        <tbody>
          {product.skus.map((sku) => {
            const s = stockOf.get(sku.id);
            const name = comboName(sku.specValues);
            return (
              <tr key={sku.id}>
                <th scope="row">{name}</th>
                <td>
                  {s?.available ?? 0}
                  {s && s.level !== 'in_stock' ? <span className="muted"> ({t(`stock.level.${s.level}`)})</span> : null}
                </td>
                <td>{s?.reserved ?? 0}</td>
                <td>{s?.sold ?? 0}</td>
                <td>
                  <StockForm skuId={sku.id} formKey={randomUUID()} back={back} label={name} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>

      <h2>{t('tiers.title')}</h2>
      <p className="muted">{t('tiers.explain')}</p>
      {product.skus.map((sku) => {
        const name = comboName(sku.specValues);
        return (
          <details key={sku.id}>
            <summary>
              {name}
              {sku.tiers.length > 0 ? ` · ${sku.tiers.map((x) => t('tiers.summary', { n: x.minQuantity, price: formatMoney(x.price, locale) })).join(', ')}` : ''}
            </summary>
            <TierForm productId={product.id} skuId={sku.id} currency={product.currency} tiers={sku.tiers} label={name} />
          </details>
        );
      })}

      <h2>{t('product.editTitle')}</h2>
      <ProductForm template={template.specs} initial={productToDraft(product)} productId={product.id} formKey={randomUUID()} />
    </section>
  );
}
