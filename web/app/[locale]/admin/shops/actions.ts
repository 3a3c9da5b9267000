'use server';

import { getLocale } from 'next-intl/server';
import { revalidatePath } from 'next/cache';
import { redirect } from '@/i18n/navigation';
import { decideShop } from '@/lib/data/admin';
import { adminToken } from '../guard';

/** Approve or reject one application; a rejection needs a reason (at least 3 characters). */
export async function decideShopAction(form: FormData): Promise<void> {
  const token = await adminToken('/admin/shops');
  const shopId = form.get('shopId');
  const decision = form.get('decision');
  const reason = form.get('reason');
  const key = form.get('key');
  if (typeof shopId !== 'string' || (decision !== 'approve' && decision !== 'reject')) return;
  const why = typeof reason === 'string' ? reason.trim() : '';
  if (decision === 'reject' && why.length < 3) return redirect({ href: { pathname: '/admin/shops', query: { missing: shopId } }, locale: await getLocale() });
  await decideShop(token, shopId, decision === 'approve' ? { decision } : { decision, reason: why }, typeof key === 'string' ? key : undefined);
  revalidatePath('/[locale]/admin/shops', 'page');
  redirect({ href: '/admin/shops', locale: await getLocale() });
}
