'use server';

import { randomUUID } from 'node:crypto';
import { headers } from 'next/headers';
import { redirect as nextRedirect } from 'next/navigation';
import { getLocale, getTranslations } from 'next-intl/server';
import { redirect } from '@/i18n/navigation';
import { sessionToken } from '@/lib/data/account';
import { order as orderOf, placeOrder } from '@/lib/data/orders';
import { PaymentMethod } from '@emporium/contracts';
import { isUuid } from '@/lib/ids';

export interface CheckoutState {
  error: string | null;
  /** the field at fault, named in the form */
  field: string | null;
  /** a new Idempotency-Key after order refused the request (it keeps its answer for the old one) */
  key?: string;
}


const text = (form: FormData, name: string) => {
  const v = form.get(name);
  return typeof v === 'string' ? v : undefined;
};

export async function placeOrderAction(_prev: CheckoutState, form: FormData): Promise<CheckoutState> {
  const t = await getTranslations('checkout');
  const locale = await getLocale();
  const token = await sessionToken();
  if (!token) redirect({ href: { pathname: '/login', query: { next: '/checkout' } }, locale });
  const addressId = text(form, 'addressId');
  const paymentMethod = PaymentMethod.safeParse(text(form, 'paymentMethod') ?? 'card');
  if (!addressId) return { error: t('chooseAddress'), field: 'addressId' };
  if (!paymentMethod.success) return { error: t('notPayable'), field: 'paymentMethod', key: randomUUID() };
  const h = await headers();
  const origin = `${h.get('x-forwarded-proto') ?? 'http'}://${h.get('host') ?? '127.0.0.1:3000'}`;
  // a flash sale's held unit goes on its own, at the sale's price
  const [campaignId, skuId] = (text(form, 'flash') ?? '').split(':');
  const lines = campaignId && skuId ? [{ skuId, quantity: 1, flashSaleId: campaignId }] : undefined;
  // a group buy: one unit at the group price, opening a new group or joining one
  const groupCampaign = text(form, 'groupBuy');
  const groupId = text(form, 'group');
  const groupBuy = groupCampaign && isUuid(groupCampaign) ? { campaignId: groupCampaign, quantity: 1, ...(groupId && isUuid(groupId) ? { groupId } : {}) } : undefined;
  const key = text(form, 'key') ?? randomUUID();
  // the coupons chosen on the page (at most one per shop and one of the platform)
  const couponIds = [...new Set(form.getAll('couponId').filter((v): v is string => typeof v === 'string' && isUuid(v)))].slice(0, 20);
  // the points chosen on the page (the quote's most, in whole yuan)
  const points = /^[1-9]\d{0,8}$/.test(text(form, 'points') ?? '') ? Number(text(form, 'points')) : 0;
  const placed = await placeOrder(token!, key, {
    paymentMethod: paymentMethod.data,
    addressId,
    returnUrl: `${origin}/${locale}/orders`,
    ...(groupBuy ? { groupBuy } : { ...(lines ? { lines } : {}), ...(couponIds.length ? { couponIds } : {}), ...(points ? { points } : {}) }),
  });
  // refused at the door, nothing started: the shopper may send the same request (and key) again
  if (!placed.ok && 'busy' in placed) return { error: t('busy'), field: null, key };
  if (!placed.ok && groupBuy && (placed.status === 409 || placed.status === 400)) {
    const tg = await getTranslations('groupBuy');
    const code = placed.code && ['group_full', 'group_ended', 'own_group', 'over_limit', 'campaign_not_running'].includes(placed.code) ? placed.code : 'unknown';
    return { error: tg(`refused.${code}`), field: 'groupBuy', key: randomUUID() };
  }
  if (!placed.ok && placed.code === 'coupon_not_applicable') return { error: t('couponRefused'), field: 'couponId', key: randomUUID() };
  if (!placed.ok && placed.code === 'points_not_applicable') return { error: t('pointsRefused'), field: 'points', key: randomUUID() };
  if (!placed.ok) return { error: t(placed.status === 400 ? 'notPayable' : 'notPlaced'), field: placed.status === 400 ? 'paymentMethod' : null, key: randomUUID() };
  // by card: on to the provider's page, which sends the shopper back to the orders
  const hostedUrl = placed.order.payment?.hostedUrl ?? (placed.order.status === 'pending_payment' && paymentMethod.data === 'card' ? await paymentPage(token!, placed.order.id) : undefined);
  if (hostedUrl) nextRedirect(hostedUrl);
  // paid already (wallet, credit), refused, or the page is slow to come: the order itself says which, with a Pay button once it can be paid
  redirect({ href: placed.order.status === 'pending_payment' ? `/orders/${placed.order.id}` : '/orders', locale });
  return { error: null, field: null };
}

/**
 * Order answers a checkout within about 3 s; on a busy machine the provider's page may come a
 * moment later. The shopper's click waits a little longer for it (reading the order every
 * half second, up to 10 s) rather than landing on an order that asks them to press Pay.
 */
async function paymentPage(token: string, orderId: string): Promise<string | undefined> {
  const until = Date.now() + 10_000;
  while (Date.now() < until) {
    await new Promise((r) => setTimeout(r, 500));
    const o = await orderOf(token, orderId).catch(() => null);
    if (!o || o.status !== 'pending_payment') return undefined;
    if (o.payment?.hostedUrl) return o.payment.hostedUrl;
  }
  return undefined;
}
