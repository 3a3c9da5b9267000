import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { Highlighted } from '@/components/search-box';
import { Link } from '@/i18n/navigation';
import type { Locale } from '@/i18n/routing';
import { searchProducts } from '@/lib/data/search';
import { formatMoney, pick } from '@/lib/format';
import { isUuid } from '@/lib/ids';
import { toMinor } from '@/lib/product-draft';
import { SORTS, specsOf, toggleSpec, withChange, type SearchParams } from '@/lib/search-url';

export const dynamic = 'force-dynamic';

export async function generateMetadata({ searchParams }: { searchParams: Promise<SearchParams> }): Promise<Metadata> {
  const [{ q }, t] = await Promise.all([searchParams, getTranslations('search')]);
  return { title: q ? t('titleFor', { q: q.slice(0, 100) }) : t('title') };
}

const fen = (v: string | undefined) => {
  const amount = v ? toMinor(v) : null;
  return amount === null ? undefined : String(amount);
};
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

/**
 * Search results with facets. Every facet value is a link that keeps the
 * query and the other choices in the address; the sort is a GET form. The
 * counts beside each value say how many results choosing it would give.
 */
export default async function SearchPage({ params, searchParams }: { params: Promise<{ locale: Locale }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const [{ locale }, raw] = await Promise.all([params, searchParams]);
  const t = await getTranslations('search');
  const p: SearchParams = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, one(v)]).filter((e): e is [string, string] => typeof e[1] === 'string'));
  const q = (p.q ?? '').slice(0, 100);
  const sort = (SORTS as readonly string[]).includes(p.sort ?? '') ? p.sort! : 'relevance';
  const specs = specsOf(p);
  const result = await searchProducts({
    q,
    sort,
    limit: '24',
    category: p.category && isUuid(p.category) ? p.category : undefined,
    shop: p.shop && isUuid(p.shop) ? p.shop : undefined,
    minPrice: fen(p.min),
    maxPrice: fen(p.max),
    spec: specs.join(',') || undefined,
    inStock: p.inStock === 'true' ? 'true' : undefined,
    cursor: p.cursor && p.cursor.length <= 300 ? p.cursor : undefined,
  });
  const { facets } = result;
  // what search added to the words typed (synonyms, a typo's correction), in the page's script: an English page names no Chinese synonyms
  const typed = q.toLowerCase().split(/\s+/);
  const added = result.terms.filter((w) => !typed.includes(w) && (locale !== 'en' || !/\p{Script=Han}/u.test(w)));
  const href = (query: Record<string, string>) => ({ pathname: '/search', query });
  const money = (minor: number) => formatMoney({ amount: minor, currency: 'CNY' }, locale);
  const chosenPrice = (min: number, max: number | null) => fen(p.min) === String(min) && (max === null ? !p.max : fen(p.max) === String(max - 1));
  const topCategories = facets.categories.filter((c) => c.parentId === null || !facets.categories.some((x) => x.categoryId === c.parentId));
  const childrenOf = (id: string) => facets.categories.filter((c) => c.parentId === id);
  const categoryItem = (c: (typeof facets.categories)[number]) => {
    const chosen = p.category === c.categoryId;
    const kids = childrenOf(c.categoryId);
    return (
      <li key={c.categoryId}>
        <Link href={href(withChange(p, { category: chosen ? undefined : c.categoryId }))} aria-current={chosen ? 'true' : undefined}>
          {c.name ? pick(c.name, locale) : t('unnamed')} <span className="count">{t('count', { count: c.count })}</span>
        </Link>
        {kids.length > 0 ? <ul>{kids.map(categoryItem)}</ul> : null}
      </li>
    );
  };

  return (
    <section className="search-page">
      <h1>{q ? t('titleFor', { q }) : t('title')}</h1>
      <p role="status">{t('total', { count: result.total })}</p>
      <div className="search-layout">
        <aside aria-label={t('facets')} className="facets">
          {facets.categories.length > 0 ? (
            <nav aria-label={t('category')}>
              <h2>{t('category')}</h2>
              <ul>{topCategories.map(categoryItem)}</ul>
            </nav>
          ) : null}
          {facets.shops.length > 0 ? (
            <nav aria-label={t('shop')}>
              <h2>{t('shop')}</h2>
              <ul>
                {facets.shops.map((s) => {
                  const chosen = p.shop === s.shopId;
                  return (
                    <li key={s.shopId}>
                      <Link href={href(withChange(p, { shop: chosen ? undefined : s.shopId }))} aria-current={chosen ? 'true' : undefined}>
                        {s.name ? pick(s.name, locale) : t('unnamed')} <span className="count">{t('count', { count: s.count })}</span>
                      </Link>
                    </li>
                  );
                })}
              </ul>
            </nav>
          ) : null}
          {facets.priceRanges.length > 0 ? (
            <nav aria-label={t('price')}>
              <h2>{t('price')}</h2>
              <ul>
                {facets.priceRanges.map((r) => {
                  const chosen = chosenPrice(r.min, r.max);
                  const min = String(r.min / 100);
                  const max = r.max === null ? undefined : String((r.max - 1) / 100);
                  return (
                    <li key={r.min}>
                      <Link href={href(withChange(p, chosen ? { min: undefined, max: undefined } : { min, max }))} aria-current={chosen ? 'true' : undefined}>
                        {r.max === null ? t('priceFrom', { min: money(r.min) }) : t('priceBetween', { min: money(r.min), max: money(r.max) })} <span className="count">{t('count', { count: r.count })}</span>
                      </Link>
                    </li>
                  );
                })}
              </ul>
            </nav>
          ) : null}
          {facets.specs.map((s) => (
            <nav key={s.key} aria-label={s.name ? pick(s.name, locale) : s.key}>
              <h2>{s.name ? pick(s.name, locale) : s.key}</h2>
              <ul>
                {s.values.map((v) => {
                  const chosen = specs.includes(`${s.key}:${v.value}`);
                  return (
                    <li key={v.value}>
                      <Link href={href(toggleSpec(p, s.key, v.value))} aria-current={chosen ? 'true' : undefined}>
                        {v.name ? pick(v.name, locale) : v.value} <span className="count">{t('count', { count: v.count })}</span>
                      </Link>
                    </li>
                  );
                })}
              </ul>
            </nav>
          ))}
          <nav aria-label={t('availability')}>
            <h2>{t('availability')}</h2>
            <ul>
              <li>
                <Link href={href(withChange(p, { inStock: p.inStock === 'true' ? undefined : 'true' }))} aria-current={p.inStock === 'true' ? 'true' : undefined}>
                  {t('inStockOnly')} <span className="count">{t('count', { count: facets.inStock })}</span>
                </Link>
              </li>
            </ul>
          </nav>
        </aside>
        <div className="results">
          <form method="get" className="filters">
            {Object.entries(withChange(p, { sort: undefined })).map(([k, v]) => (
              <input key={k} type="hidden" name={k} value={v} />
            ))}
            <span className="field">
              <label htmlFor="sort">{t('sortBy')}</label>
              <select id="sort" name="sort" defaultValue={sort}>
                {SORTS.map((s) => (
                  <option key={s} value={s}>
                    {t(`sort.${s}`)}
                  </option>
                ))}
              </select>
            </span>
            <button type="submit">{t('apply')}</button>
          </form>
          {added.length > 0 ? <p className="terms">{t('readAs', { terms: added.join(' · ') })}</p> : null}
          {result.items.length === 0 ? (
            <p>{q ? t('none', { q }) : t('noneAtAll')}</p>
          ) : (
            <ul className="cards" aria-label={t('results')}>
              {result.items.map((h) => (
                <li key={h.productId} className="card">
                  {h.image ? <img src={`/api/v1${h.image}`} alt={pick(h.name, locale)} width={240} height={240} loading="lazy" /> : null}
                  <h2 className="card-title">
                    <Link href={`/products/${h.productId}`}>
                      <Highlighted segments={h.highlight[locale === 'en' ? 'en' : 'zh-CN']} />
                    </Link>
                  </h2>
                  {h.minPrice ? <p className="price">{formatMoney(h.minPrice, locale)}</p> : null}
                  <p className="meta">
                    {h.inStock ? t('inStock') : t('outOfStock')}
                    {h.sales > 0 ? ` · ${t('sold', { count: h.sales })}` : ''}
                  </p>
                </li>
              ))}
            </ul>
          )}
          {result.nextCursor ? (
            <Link href={href({ ...withChange(p, {}), cursor: result.nextCursor })} rel="next">
              {t('more')}
            </Link>
          ) : null}
        </div>
      </div>
    </section>
  );
}
