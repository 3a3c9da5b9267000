import { randomUUID } from 'node:crypto';
import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { CategoryForm } from '@/components/admin-forms';
import { AdminNav } from '@/components/admin-parts';
import { Link } from '@/i18n/navigation';
import type { Locale } from '@/i18n/routing';
import { allCategories } from '@/lib/data/storefront';
import { pick } from '@/lib/format';
import { adminToken } from '../guard';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('admin'))('categoriesTitle') };
}

/** The category tree, each linking to its spec template, and a form for a new category. */
export default async function AdminCategories({ params }: { params: Promise<{ locale: Locale }> }) {
  const { locale } = await params;
  const [, t, categories] = await Promise.all([adminToken('/admin/categories'), getTranslations('admin'), allCategories()]);
  const label = (c: (typeof categories)[number]) => `${'\u00a0\u00a0'.repeat(c.path.length - 1)}${pick(c.name, locale)}`;
  return (
    <section>
      <h1>{t('categoriesTitle')}</h1>
      <AdminNav current="/categories" />
      <p className="muted">{t('category.explain')}</p>
      <ul className="tree">
        {categories.map((c) => (
          <li key={c.id} style={{ paddingLeft: `${(c.path.length - 1) * 1.25}rem` }}>
            <Link href={`/admin/categories/${c.id}`}>{pick(c.name, locale)}</Link> <span className="muted">/{c.slug}</span>
          </li>
        ))}
      </ul>
      <CategoryForm parents={categories.map((c) => ({ id: c.id, label: label(c) }))} formKey={randomUUID()} />
    </section>
  );
}
