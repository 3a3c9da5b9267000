import { randomUUID } from 'node:crypto';
import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { ProductForm } from '@/components/product-form';
import { SellerNav } from '@/components/seller-nav';
import type { Locale } from '@/i18n/routing';
import { specTemplate } from '@/lib/data/seller';
import { orNull } from '@/lib/data/sidecar';
import { allCategories } from '@/lib/data/storefront';
import { pick } from '@/lib/format';
import type { ProductDraft } from '@/lib/product-draft';
import { openShop } from '../../guard';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('seller'))('product.newTitle') };
}

/** A new product in two steps: the category (a plain GET form), then the form with that category's specs. */
export default async function NewProduct({ params, searchParams }: { params: Promise<{ locale: Locale }>; searchParams: Promise<{ category?: string }> }) {
  const [{ locale }, { category }] = await Promise.all([params, searchParams]);
  // the session, the categories and the chosen one's specs at once
  const [{ shop, shops }, t, categories, template] = await Promise.all([
    openShop('/seller/products/new'),
    getTranslations('seller'),
    allCategories(),
    category ? orNull(specTemplate(category)) : null,
  ]);
  const chosen = categories.find((c) => c.id === category);
  const depth = (id: string) => (categories.find((c) => c.id === id)?.path.length ?? 1) - 1;
  const draft: ProductDraft = {
    categoryId: chosen?.id ?? '',
    currency: 'CNY',
    name: { 'zh-CN': '', en: '' },
    description: { 'zh-CN': '', en: '' },
    brand: '',
    attributes: [],
    specs: [],
    skus: [{ specValues: {}, price: '', originalPrice: '', barcode: '', weightGrams: '', active: true }],
  };
  return (
    <section>
      <h1>{t('product.newTitle')}</h1>
      <SellerNav shop={shop} shops={shops} current="/products" />
      <form method="get" className="filters" aria-label={t('product.chooseCategory')}>
        <span className="field">
          <label htmlFor="category">{t('product.categoryId')}</label>
          <select id="category" name="category" defaultValue={chosen?.id ?? ''} required>
            <option value="" disabled>
              {t('product.chooseCategory')}
            </option>
            {categories.map((c) => (
              <option key={c.id} value={c.id}>
                {'\u00a0\u00a0'.repeat(depth(c.id))}
                {pick(c.name, locale)}
              </option>
            ))}
          </select>
        </span>
        <button type="submit">{t('product.next')}</button>
      </form>
      {chosen && template ? <ProductForm key={chosen.id} template={template.specs} initial={draft} formKey={randomUUID()} /> : null}
    </section>
  );
}
