import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { SpecTemplateEditor } from '@/components/admin-forms';
import { AdminNav } from '@/components/admin-parts';
import type { Locale } from '@/i18n/routing';
import { specTemplate } from '@/lib/data/seller';
import { orNull } from '@/lib/data/sidecar';
import { allCategories } from '@/lib/data/storefront';
import { pick } from '@/lib/format';
import { adminToken } from '../../guard';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('admin'))('template.title') };
}

/** One category's spec template: what its products (and its sub-categories' without their own) choose SKUs from. */
export default async function CategoryTemplate({ params, searchParams }: { params: Promise<{ locale: Locale; categoryId: string }>; searchParams: Promise<{ saved?: string }> }) {
  const [{ locale, categoryId }, { saved }] = await Promise.all([params, searchParams]);
  const [, t, categories, template] = await Promise.all([
    adminToken(`/admin/categories/${categoryId}`),
    getTranslations('admin'),
    allCategories(),
    orNull(specTemplate(categoryId)),
  ]);
  const category = categories.find((c) => c.id === categoryId);
  if (!category || !template) notFound();
  return (
    <section>
      <h1>{t('template.of', { name: pick(category.name, locale) })}</h1>
      <AdminNav current="/categories" />
      {saved ? <p role="status">{t('saved')}</p> : null}
      <p className="muted">{t('template.explain')}</p>
      <SpecTemplateEditor categoryId={category.id} initial={template.specs} />
    </section>
  );
}
