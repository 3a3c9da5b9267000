import { getTranslations } from 'next-intl/server';
import { randomUUID } from 'node:crypto';
import { Countdown } from '@/components/countdown';
import { FlashBuy } from '@/components/flash-buy';
import { RecommendedProducts } from '@/components/recommended-products';
import { Link } from '@/i18n/navigation';
import type { Locale } from '@/i18n/routing';
import { formatMoney, pick } from '@/lib/format';
import { popularProducts } from '@/lib/data/analytics';
import { newestProducts, runningFlashSales, topCategories } from '@/lib/data/storefront';

export const dynamic = 'force-dynamic';

export default async function Home({ params }: { params: Promise<{ locale: Locale }> }) {
  const { locale } = await params;
  const t = await getTranslations('home');
  // one round of calls, side by side: no waterfall
  const [categories, products, sales, popular, tr] = await Promise.all([topCategories(), newestProducts(8), runningFlashSales(), popularProducts(8), getTranslations('recommendations')]);
  const now = Date.now();
  return (
    <>
      <h1>{t('title')}</h1>

      <section aria-labelledby="flash">
        <h2 id="flash">{t('flashSales')}</h2>
        {sales.length === 0 ? (
          <p>{t('noFlashSales')}</p>
        ) : (
          <ul className="cards">
            {sales.map((s) => (
              <li key={s.id} className="card">
                <h3>{pick(s.title, locale)}</h3>
                <p className="price">
                  <strong>{formatMoney(s.price, locale)}</strong> <s>{t('was', { price: formatMoney(s.listPrice, locale) })}</s>
                </p>
                <p>{t('left', { count: s.perUserLimit })}</p>
                <p>
                  <Countdown endsAt={s.endsAt} now={now} />
                </p>
                <FlashBuy campaignId={s.id} formKey={randomUUID()} />
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="categories">
        <h2 id="categories">{t('categories')}</h2>
        {categories.length === 0 ? (
          <p>{t('noCategories')}</p>
        ) : (
          <ul className="chips">
            {categories.map((c) => (
              <li key={c.id}>
                <Link href={{ pathname: '/browse', query: { category: c.id } }}>{pick(c.name, locale)}</Link>
              </li>
            ))}
          </ul>
        )}
      </section>

      <RecommendedProducts id="popular" title={tr('popular')} items={popular} locale={locale} />

      <section aria-labelledby="featured">
        <h2 id="featured">{t('featured')}</h2>
        {products.length === 0 ? (
          <p>{t('noProducts')}</p>
        ) : (
          <ul className="cards">
            {products.map((p) => (
              <li key={p.id} className="card">
                {p.images[0] ? <img src={`/api/v1${p.images[0]}`} alt={pick(p.name, locale)} width={240} height={240} /> : null}
                <h3>
                  <Link href={`/products/${p.id}`}>{pick(p.name, locale)}</Link>
                </h3>
                {p.minPrice ? <p className="price">{t('from', { price: formatMoney(p.minPrice, locale) })}</p> : null}
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
