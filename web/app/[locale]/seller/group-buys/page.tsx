import { randomUUID } from 'node:crypto';
import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { GroupBuyForm } from '@/components/seller-forms';
import { SellerNav } from '@/components/seller-nav';
import { StatusToggle } from '@/components/status-toggle';
import type { Locale } from '@/i18n/routing';
import { config } from '@/lib/config';
import { shopGroupBuyCampaigns } from '@/lib/data/group-buys';
import { ownProduct, shopProducts } from '@/lib/data/seller';
import { formatMoney, pick } from '@/lib/format';
import { groupBuyStatusAction } from '../actions';
import { openShop } from '../guard';
import { isUuid } from '@/lib/ids';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('seller'))('groupBuys.title') };
}


/** The shop's group buys (拼团) with how their groups stand, pause and resume; and a form to start one for a product's SKU. */
export default async function SellerGroupBuys({ params, searchParams }: { params: Promise<{ locale: Locale }>; searchParams: Promise<{ productId?: string }> }) {
  const [{ locale }, { productId: asked }] = await Promise.all([params, searchParams]);
  const { token, shop, shops } = await openShop('/seller/group-buys');
  const [t, campaigns, products] = await Promise.all([getTranslations('seller'), shopGroupBuyCampaigns(token, shop.id), shopProducts(token, shop.id)]);
  const published = products.items.filter((p) => p.status === 'published');
  const productId = asked && isUuid(asked) && published.some((p) => p.id === asked) ? asked : published[0]?.id;
  const product = productId ? await ownProduct(token, shop.id, productId) : null;
  const skus = (product?.skus ?? []).filter((s) => s.active).map((s) => ({ id: s.id, label: `${Object.values(s.specValues).join(' / ') || pick(product!.name, locale)} · ${formatMoney(s.price, locale)}` }));
  const date = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: config().PLATFORM_TIME_ZONE });
  return (
    <section>
      <h1>{t('groupBuys.title')}</h1>
      <SellerNav shop={shop} shops={shops} current="/group-buys" />
      {campaigns.length === 0 ? (
        <p>{t('groupBuys.none')}</p>
      ) : (
        <table>
          <caption className="sr-only">{t('groupBuys.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('groupBuys.campaign')}</th>
              <th scope="col">{t('groupBuys.terms')}</th>
              <th scope="col">{t('groupBuys.groups')}</th>
              <th scope="col">{t('groupBuys.window')}</th>
              <th scope="col">{t('groupBuys.status')}</th>
            </tr>
          </thead>
          <tbody>
            {campaigns.map((c) => (
              <tr key={c.id}>
                <th scope="row">{pick(c.title, locale)}</th>
                <td>
                  {t('groupBuys.termsText', { size: c.groupSize, price: formatMoney(c.price, locale), list: formatMoney(c.listPrice, locale), hours: Math.round((c.openSeconds / 3600) * 100) / 100, limit: c.perUserLimit })}
                </td>
                <td>{t('groupBuys.stats', { open: c.stats.open, formed: c.stats.formed, failed: c.stats.failed, paid: c.stats.membersPaid })}</td>
                <td>
                  {date.format(new Date(c.startsAt))} – {date.format(new Date(c.endsAt))}
                </td>
                <td>
                  <span className={`status ${c.status}`}>{t(`groupBuys.statuses.${c.status === 'active' ? c.phase : 'paused'}`)}</span>{' '}
                  {c.phase !== 'ended' ? (
                    <StatusToggle action={groupBuyStatusAction} idField="campaignId" id={c.id} active={c.status === 'active'} name={pick(c.title, locale)} labels={{ pause: t('groupBuys.pause'), resume: t('groupBuys.resume') }} />
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {published.length === 0 ? (
        <p>{t('groupBuys.noProducts')}</p>
      ) : (
        <>
          <form method="get" className="form inline">
            <label htmlFor="group-buy-product">{t('groupBuys.chooseProduct')}</label>
            <select id="group-buy-product" name="productId" defaultValue={productId}>
              {published.map((p) => (
                <option key={p.id} value={p.id}>
                  {pick(p.name, locale)}
                </option>
              ))}
            </select>
            <button type="submit">{t('groupBuys.choose')}</button>
          </form>
          {product && skus.length > 0 ? <GroupBuyForm key={product.id} formKey={randomUUID()} productId={product.id} skus={skus} /> : null}
        </>
      )}
    </section>
  );
}
