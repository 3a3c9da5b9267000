import 'server-only';
import { cookies } from 'next/headers';
import { type Cart, CartPublic } from '@emporium/contracts';
import { config } from '../config';
import { sessionToken } from './account';
import { call } from './sidecar';

/**
 * The cart of whoever is here: the signed-in user's, else a guest cart whose
 * token lives in an httpOnly cookie (merged into the user's at sign-in).
 */
export const GUEST_CART_COOKIE = 'emporium_cart';

async function who(create: boolean): Promise<{ token?: string; headers: Record<string, string> } | null> {
  const token = await sessionToken();
  if (token) return { token, headers: {} };
  const jar = await cookies();
  let guest = jar.get(GUEST_CART_COOKIE)?.value;
  if (!guest) {
    if (!create) return null;
    guest = (await call(CartPublic.createGuestCart, {})).cartToken;
    jar.set(GUEST_CART_COOKIE, guest, { httpOnly: true, sameSite: 'lax', secure: config().SESSION_SECURE_COOKIES, path: '/', maxAge: 30 * 86_400 });
  }
  return { headers: { 'x-cart-token': guest } };
}

export async function currentCart(): Promise<Cart | null> {
  const caller = await who(false);
  if (!caller) return null;
  return call(CartPublic.getCart, { token: caller.token, headers: caller.headers });
}

/** Adds `quantity` to the SKU's line (the cart API sets quantities, so the current one is read first). */
export async function addToCart(skuId: string, quantity: number): Promise<Cart> {
  const caller = (await who(true))!;
  const cart = await call(CartPublic.getCart, { token: caller.token, headers: caller.headers });
  const current = cart.shops.flatMap((s) => s.lines).find((l) => l.skuId === skuId)?.quantity ?? 0;
  return call(CartPublic.putCartLine, { params: { skuId }, token: caller.token, headers: caller.headers, body: { quantity: Math.min(999, current + quantity), selected: true } });
}

/** At sign-in: the guest cart's lines join the user's, and the guest cookie goes. */
export async function mergeGuestCart(accessToken: string): Promise<void> {
  const jar = await cookies();
  const guest = jar.get(GUEST_CART_COOKIE)?.value;
  if (!guest) return;
  await call(CartPublic.mergeGuestCart, { token: accessToken, body: { cartToken: guest } }).catch(() => undefined);
  jar.delete(GUEST_CART_COOKIE);
}
