import 'server-only';
import { z } from 'zod';
import { Address, Order } from '@emporium/contracts';
import { invoke, ServiceError } from './sidecar';

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
