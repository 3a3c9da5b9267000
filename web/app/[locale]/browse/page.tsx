import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { Link } from '@/i18n/navigation';
import type { Locale } from '@/i18n/routing';
import { allCategories, browse } from '@/lib/data/storefront';
import { formatMoney, pick } from '@/lib/format';
import { toMinor } from '@/lib/product-draft';
import { isUuid } from '@/lib/ids';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('browse'))('title') };
}

type Search = { category?: string; min?: string; max?: string; sort?: string; cursor?: string };
/** Yuan as typed (e.g. 68 or 68.5) to fen, without floating point; anything else is no filter. */
const fen = (v: string | undefined) => {
  const amount = v ? toMinor(v) : null;
  return amount === null ? undefined : String(amount);
};

/**
 * Browse with filters: a plain GET form (works without scripts, every field
 * labelled), so a filtered page is a link that can be shared or bookmarked.
 */
export default async function BrowsePage({ params, searchParams }: { params: Promise<{ locale: Locale }>; searchParams: Promise<Search> }) {
  const [{ locale }, search] = await Promise.all([params, searchParams]);
  const t = await getTranslations('browse');
  const sort = ['newest', 'price_asc', 'price_desc'].includes(search.sort ?? '') ? search.sort! : 'newest';
  const query = new URLSearchParams({ sort, limit: '24' });
  if (search.category && isUuid(search.category)) query.set('category', search.category);
  const min = fen(search.min);
  const max = fen(search.max);
  if (min) query.set('minPrice', min);
  if (max) query.set('maxPrice', max);
  if (search.cursor && search.cursor.length <= 200) query.set('cursor', search.cursor);
  const [categories, page] = await Promise.all([allCategories(), browse(query)]);
  const depth = (path: string[]) => '\u00a0\u00a0'.repeat(Math.max(0, path.length - 1));
  const next = page.nextCursor ? { ...search, cursor: page.nextCursor } : null;
  // a chosen category makes this its page: its name, the way up, and the way down
  const category = categories.find((c) => c.id === query.get('category'));
  const ancestors = category ? category.path.slice(0, -1).map((id) => categories.find((c) => c.id === id)).filter((c) => c !== undefined) : [];
  const children = category ? categories.filter((c) => c.parentId === category.id) : [];
  const { cursor: _page, ...filters } = search;
  const inCategory = (id: string) => ({ pathname: '/browse', query: { ...filters, category: id } });
  return (
    <section>
      {category ? (
        <nav aria-label={t('breadcrumbs')}>
          <ol className="breadcrumbs">
            <li>
              <Link href="/browse">{t('allCategories')}</Link>
            </li>
            {ancestors.map((c) => (
              <li key={c.id}>
                <Link href={inCategory(c.id)}>{pick(c.name, locale)}</Link>
              </li>
            ))}
            <li aria-current="page">{pick(category.name, locale)}</li>
          </ol>
        </nav>
      ) : null}
      <h1>{category ? pick(category.name, locale) : t('title')}</h1>
      {children.length > 0 ? (
        <ul className="chips" aria-label={t('subcategories')}>
          {children.map((c) => (
            <li key={c.id}>
              <Link href={inCategory(c.id)}>{pick(c.name, locale)}</Link>
            </li>
          ))}
        </ul>
      ) : null}
      <form method="get" className="filters" aria-label={t('filters')}>
        <span className="field">
          <label htmlFor="category">{t('category')}</label>
          <select id="category" name="category" defaultValue={query.get('category') ?? ''}>
            <option value="">{t('allCategories')}</option>
            {categories.map((c) => (
              <option key={c.id} value={c.id}>
                {depth(c.path)}
                {pick(c.name, locale)}
              </option>
            ))}
          </select>
        </span>
        <span className="field">
          <label htmlFor="min">{t('minPrice')}</label>
          <input id="min" name="min" inputMode="decimal" defaultValue={search.min ?? ''} size={8} />
        </span>
        <span className="field">
          <label htmlFor="max">{t('maxPrice')}</label>
          <input id="max" name="max" inputMode="decimal" defaultValue={search.max ?? ''} size={8} />
        </span>
        <span className="field">
          <label htmlFor="sort">{t('sort')}</label>
          <select id="sort" name="sort" defaultValue={sort}>
            <option value="newest">{t('newest')}</option>
            <option value="price_asc">{t('priceAsc')}</option>
            <option value="price_desc">{t('priceDesc')}</option>
          </select>
        </span>
        <button type="submit">{t('apply')}</button>
      </form>
      {page.items.length === 0 ? (
        <p>{t('none')}</p>
      ) : (
        <ul className="cards" aria-label={t('results')}>
          {page.items.map((p) => (
            <li key={p.id} className="card">
              {p.images[0] ? <img src={`/api/v1${p.images[0]}`} alt={pick(p.name, locale)} width={240} height={240} /> : null}
              <h2 className="card-title">
                <Link href={`/products/${p.id}`}>{pick(p.name, locale)}</Link>
              </h2>
              {p.minPrice ? <p className="price">{formatMoney(p.minPrice, locale)}</p> : null}
            </li>
          ))}
        </ul>
      )}
      {next ? (
        <Link href={{ pathname: '/browse', query: next }} rel="next">
          {t('more')}
        </Link>
      ) : null}
    </section>
  );
}
