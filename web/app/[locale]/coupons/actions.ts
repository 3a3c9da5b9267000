'use server';

import { randomUUID } from 'node:crypto';
import { revalidatePath } from 'next/cache';
import { getLocale, getTranslations } from 'next-intl/server';
import { redirect } from '@/i18n/navigation';
import { sessionToken } from '@/lib/data/account';
import { claimCoupon } from '@/lib/data/coupons';
import { safePath } from '@/lib/safe-path';

export interface ClaimState {
  status: 'idle' | 'claimed' | 'refused';
  message: string | null;
  /** a new Idempotency-Key once this one has its answer (claiming again is a new claim) */
  key?: string;
}

/** Claims one coupon of a template (领券); a shopper who is not signed in signs in first and comes back. */
export async function claimCouponAction(_prev: ClaimState, form: FormData): Promise<ClaimState> {
  const t = await getTranslations('coupons');
  const templateId = form.get('templateId');
  const key = form.get('key');
  const back = safePath(form.get('back'), '/coupons');
  const token = await sessionToken();
  if (!token) redirect({ href: { pathname: '/login', query: { next: back } }, locale: await getLocale() });
  if (typeof templateId !== 'string' || typeof key !== 'string') return { status: 'refused', message: t('closed') };
  const claimed = await claimCoupon(token!, templateId, key);
  revalidatePath('/[locale]/coupons', 'page');
  if (claimed.ok) return { status: 'claimed', message: t('claimed'), key: randomUUID() };
  return { status: 'refused', message: t(claimed.reason), key: randomUUID() };
}
