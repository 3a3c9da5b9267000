'use server';

import { getLocale, getTranslations } from 'next-intl/server';
import { redirect } from '@/i18n/navigation';
import { sessionToken } from '@/lib/data/account';
import { holdUnits } from '@/lib/data/flash';

export interface FlashBuyState {
  error: string | null;
}

/** Holds one unit of the sale for the shopper, then on to checkout with it; a refusal is said on the card. */
export async function buyFlashAction(_prev: FlashBuyState, form: FormData): Promise<FlashBuyState> {
  const locale = await getLocale();
  const campaignId = form.get('campaignId');
  const key = form.get('key');
  if (typeof campaignId !== 'string' || typeof key !== 'string') return { error: null };
  const token = await sessionToken();
  if (!token) return redirect({ href: { pathname: '/login', query: { next: '/' } }, locale });
  const t = await getTranslations('home');
  const held = await holdUnits(token, campaignId, 1, key);
  if (!held.ok) return { error: t(held.status === 409 ? 'soldOutOrLimit' : 'holdFailed') };
  // the hold's end goes along, so checkout can say how long the unit stays the shopper's
  return redirect({ href: { pathname: '/checkout', query: { flash: campaignId, until: held.hold.expiresAt } }, locale });
}
