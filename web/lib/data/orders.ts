import 'server-only';
import { z } from 'zod';
import { Address, Order, Quote, SubOrder, SubOrderRefund } from '@emporium/contracts';
import { invoke, orNull, ServiceError } from './sidecar';

export async function myAddresses(token: string) {
  return (await invoke('identity', '/me/addresses', z.object({ items: z.array(Address) }), { token })).items;
}

export async function addAddress(token: string, key: string, input: unknown) {
  return invoke('identity', '/me/addresses', Address, { token, method: 'POST', body: input, headers: { 'idempotency-key': key } });
}

export async function myOrders(token: string) {
  return (await invoke('order', '/orders', z.object({ items: z.array(Order) }), { token })).items;
}

/** Starts a checkout of the cart's selected lines; the key makes a resubmitted form the same order. */
export async function placeOrder(
  token: string,
  key: string,
  body: { paymentMethod: string; addressId: string; returnUrl: string; lines?: { skuId: string; quantity: number; flashSaleId?: string }[] },
) {
  try {
    return { ok: true as const, order: await invoke('order', '/checkout', Order, { token, method: 'POST', body, headers: { 'idempotency-key': key } }) };
  } catch (err) {
    if (err instanceof ServiceError && err.status < 500) return { ok: false as const, status: err.status };
    throw err;
  }
}

/** One of the buyer's orders; null when there is no such order of theirs. */
export async function order(token: string, orderId: string) {
  return orNull(invoke('order', `/orders/${encodeURIComponent(orderId)}`, Order, { token }));
}

export async function cancelOrder(token: string, orderId: string, key: string) {
  return invoke('order', `/orders/${orderId}/cancel`, Order, { token, method: 'POST', body: {}, headers: { 'idempotency-key': key } });
}

export async function confirmReceipt(token: string, orderId: string, subOrderId: string, key: string) {
  return invoke('order', `/orders/${orderId}/sub-orders/${subOrderId}/confirm-receipt`, SubOrder, { token, method: 'POST', headers: { 'idempotency-key': key } });
}

/** Asks the shop for money back: all that is left of the sub-order, or `amount` of it. */
export async function requestRefund(token: string, orderId: string, subOrderId: string, key: string, body: { reason: string; amount?: { amount: number; currency: string } }) {
  return invoke('order', `/orders/${orderId}/sub-orders/${subOrderId}/refunds`, SubOrderRefund, { token, method: 'POST', body, headers: { 'idempotency-key': key } });
}

/** What the lines cost the signed-in buyer now, shipping per shop included; null when a line cannot be priced. */
export async function quote(token: string, lines: { skuId: string; quantity: number; flashSaleId?: string }[]) {
  try {
    return await invoke('marketing', '/quote', Quote, { token, method: 'POST', body: { lines } });
  } catch (err) {
    if (err instanceof ServiceError && err.status < 500) return null;
    throw err;
  }
}
