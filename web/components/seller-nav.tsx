import { getLocale, getTranslations } from 'next-intl/server';
import { chooseShopAction } from '@/app/[locale]/seller/actions';
import { Link } from '@/i18n/navigation';
import type { Locale } from '@/i18n/routing';
import { sessionToken } from '@/lib/data/account';
import { shopUnread } from '@/lib/data/notifications';
import type { MyShop } from '@/lib/data/seller';
import { pick } from '@/lib/format';

const SECTIONS = ['', '/products', '/stock', '/orders', '/returns', '/coupons', '/promotions', '/group-buys', '/ledger', '/staff', '/notifications'] as const;

/** The portal's sections, the shop they are about, and a switch for merchants with several shops. */
export async function SellerNav({ shop, shops, current }: { shop: MyShop; shops: MyShop[]; current: (typeof SECTIONS)[number] }) {
  const t = await getTranslations('seller');
  const locale = (await getLocale()) as Locale;
  const token = await sessionToken();
  // the shop's unread messages beside its section (none shown when notification cannot answer)
  const unread = token ? await shopUnread(token, shop.id).catch(() => 0) : 0;
  return (
    <div className="seller-bar">
      <p>
        <strong>{pick(shop.name, locale)}</strong> <span className={`status ${shop.status}`}>{t(`shopStatus.${shop.status}`)}</span>
      </p>
      <nav aria-label={t('portal')}>
        {SECTIONS.map((s) => (
          <Link key={s} href={`/seller${s}`} aria-current={s === current ? 'page' : undefined}>
            {t(`nav.${s.slice(1) || 'dashboard'}`)}
            {s === '/notifications' && unread > 0 ? (
              <span className="badge">
                <span aria-hidden="true">{unread > 99 ? '99+' : unread}</span>
                <span className="sr-only">{t('unreadMessages', { count: unread })}</span>
              </span>
            ) : null}
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
