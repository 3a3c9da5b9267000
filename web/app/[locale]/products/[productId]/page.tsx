import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { InventoryPublic } from '@emporium/contracts';
import { CouponList } from '@/components/coupon-list';
import { GroupBuyOffers } from '@/components/group-buy-offers';
import { RecommendedProducts } from '@/components/recommended-products';
import { SpecSelector } from '@/components/spec-selector';
import type { Locale } from '@/i18n/routing';
import { sessionToken } from '@/lib/data/account';
import { recommendedWith, recordInteraction } from '@/lib/data/analytics';
import { product as loadProduct } from '@/lib/data/catalog';
import { claimableCoupons } from '@/lib/data/coupons';
import { groupBuyOffers } from '@/lib/data/group-buys';
import { runningReductions } from '@/lib/data/promotions';
import { reductionTerms } from '@/components/reduction-terms';
import { call } from '@/lib/data/sidecar';
import { pick } from '@/lib/format';

export const dynamic = 'force-dynamic';

type Params = { params: Promise<{ locale: Locale; productId: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const { locale, productId } = await params;
  const p = await loadProduct(productId, await sessionToken());
  return { title: p ? pick(p.name, locale) : (await getTranslations('error'))('notFoundTitle') };
}

export default async function ProductPage({ params }: Params) {
  const { locale, productId } = await params;
  const p = await loadProduct(productId, await sessionToken());
  if (!p || p.status !== 'published') notFound();
  const active = p.skus.filter((s) => s.active);
  // the coupons and activities that can apply to it: its shop's and the platform's, by its category and its ancestors
  const { categoryPath } = p;
  const token = await sessionToken();
  await recordInteraction('view', p.id);
  const [stock, coupons, reductions, groupBuys, t, tp, related, tr] = await Promise.all([
    active.length ? call(InventoryPublic.getAvailability, { query: { skuIds: active.map((s) => s.id).join(',') } }) : { items: [] },
    claimableCoupons({ productId: p.id, shopId: p.shopId, categoryPath }),
    runningReductions(p.shopId, { productId: p.id, categoryPath }),
    groupBuyOffers(p.id, token),
    getTranslations('coupons'),
    getTranslations('promotions'),
    recommendedWith(p.id),
    getTranslations('recommendations'),
  ]);
  return (
    <article>
      <h1>{pick(p.name, locale)}</h1>
      <p className="muted">{p.brand}</p>
      {p.images[0] ? <img src={`/api/v1${p.images[0]}`} alt={pick(p.name, locale)} width={480} height={480} className="hero" /> : null}
      {reductions.length > 0 ? (
        <section aria-labelledby="reductions">
          <h2 id="reductions">{tp('onProduct')}</h2>
          <ul>
            {reductions.map((r) => (
              <li key={r.id}>
                <strong>{reductionTerms((key, values) => tp(key, values), r, locale)}</strong> · {pick(r.name, locale)}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {groupBuys.length > 0 ? <GroupBuyOffers offers={groupBuys} locale={locale} /> : null}
      {coupons.length > 0 ? (
        <section aria-labelledby="coupons">
          <h2 id="coupons">{t('onProduct')}</h2>
          <CouponList templates={coupons} locale={locale} back={`/products/${p.id}`} />
        </section>
      ) : null}
      <SpecSelector product={p} initialStock={stock} />
      <section aria-labelledby="about">
        <h2 id="about">{(await getTranslations('product'))('about')}</h2>
        <p>{pick(p.description, locale)}</p>
      </section>
      <RecommendedProducts
        id="related"
        title={related.some((r) => r.reason === 'bought_together') ? tr('boughtTogether') : tr('alsoPopular')}
        items={related}
        locale={locale}
      />
    </article>
  );
}
