import { getLocale, getTranslations } from 'next-intl/server';
import { chooseShopAction } from '@/app/[locale]/seller/actions';
import { Link } from '@/i18n/navigation';
import type { Locale } from '@/i18n/routing';
import type { MyShop } from '@/lib/data/seller';
import { pick } from '@/lib/format';

const SECTIONS = ['', '/products', '/stock', '/orders', '/coupons', '/promotions', '/group-buys', '/ledger', '/staff', '/notifications'] as const;

/** The portal's sections, the shop they are about, and a switch for merchants with several shops. */
export async function SellerNav({ shop, shops, current }: { shop: MyShop; shops: MyShop[]; current: (typeof SECTIONS)[number] }) {
  const t = await getTranslations('seller');
  const locale = (await getLocale()) as Locale;
  return (
    <div className="seller-bar">
      <p>
        <strong>{pick(shop.name, locale)}</strong> <span className={`status ${shop.status}`}>{t(`shopStatus.${shop.status}`)}</span>
      </p>
      <nav aria-label={t('portal')}>
        {SECTIONS.map((s) => (
          <Link key={s} href={`/seller${s}`} aria-current={s === current ? 'page' : undefined}>
            {t(`nav.${s.slice(1) || 'dashboard'}`)}
          </Link>
        ))}
      </nav>
      {shops.length > 1 ? (
        <form action={chooseShopAction} className="form inline">
          <label htmlFor="choose-shop">{t('chooseShop')}</label>
          <select id="choose-shop" name="shopId" defaultValue={shop.id}>
            {shops.map((s) => (
              <option key={s.id} value={s.id}>
                {pick(s.name, locale)}
              </option>
            ))}
          </select>
          <button type="submit">{t('switchShop')}</button>
        </form>
      ) : null}
    </div>
  );
}
