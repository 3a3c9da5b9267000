import 'server-only';
import { cookies } from 'next/headers';
import { redirect as nextRedirect } from 'next/navigation';
import { getLocale } from 'next-intl/server';
import { redirect } from '@/i18n/navigation';
import { sessionToken } from '@/lib/data/account';
import { myShops, type MyShop } from '@/lib/data/seller';
import { rolesOf } from '@/lib/roles';
import { REFRESHED_COOKIE } from '@/lib/session';

/** Which of a merchant's shops the portal shows, when there are several. */
export const SHOP_COOKIE = 'emporium_shop';

export interface SellerSession {
  token: string;
  shops: MyShop[];
  /** the shop the portal is about: the chosen one, else the first open one, else the latest application */
  shop: MyShop | null;
  /** the session's token carries a role on that shop (false right after approval, until a refresh) */
  hasRole: boolean;
}

/** The signed-in merchant and their shops; anyone signed out goes to sign in and back. */
export async function sellerSession(back: string): Promise<SellerSession> {
  const token = await sessionToken();
  if (!token) return redirect({ href: { pathname: '/login', query: { next: back } }, locale: await getLocale() });
  const [shops, jar] = await Promise.all([myShops(token), cookies()]);
  const chosen = jar.get(SHOP_COOKIE)?.value;
  const shop = shops.find((s) => s.id === chosen) ?? shops.find((s) => s.status === 'approved' || s.status === 'suspended') ?? shops[0] ?? null;
  const hasRole = shop !== null && rolesOf(token).some((r) => r.shopId === shop.id && (r.role === 'merchant_owner' || r.role === 'merchant_staff'));
  return { token, shops, shop, hasRole };
}

/**
 * A page that works on an open shop: without one it is the portal's start
 * page; a token from before the approval is refreshed once on the way.
 */
export async function openShop(back: string): Promise<{ token: string; shop: MyShop; shops: MyShop[] }> {
  const s = await sellerSession(back);
  const locale = await getLocale();
  if (!s.shop || (s.shop.status !== 'approved' && s.shop.status !== 'suspended')) return redirect({ href: '/seller', locale });
  if (!s.hasRole) {
    await pickUpRoles(back);
    return redirect({ href: '/seller', locale });
  }
  return { token: s.token, shop: s.shop, shops: s.shops };
}

/**
 * The same page again, asking the proxy for new tokens on the way: a role
 * granted since sign-in (an approved shop) is only in tokens identity issues
 * after the grant. `again` forces it (the visitor's "Try again").
 */
export const withFreshRoles = (locale: string, back: string, how: 'fresh' | 'again' = 'fresh') => `/${locale}${back}${back.includes('?') ? '&' : '?'}roles=${how}`;

/** Fetches new tokens once and comes back; a second time (identity has not granted the role yet) it returns, and the page says so. */
export async function pickUpRoles(back: string): Promise<void> {
  if (!(await cookies()).get(REFRESHED_COOKIE)) nextRedirect(withFreshRoles(await getLocale(), back));
}
