import 'server-only';
import { IdentityPublic, LogisticsPublic, MarketingPublic, OrderPublic, type AddressInput, type CarrierCode, type PaymentMethod, type RequestReturnRequest } from '@emporium/contracts';
import { call, orNull, ServiceError } from './sidecar';

export async function myAddresses(token: string) {
  return (await call(IdentityPublic.listAddresses, { token })).items;
}

export async function addAddress(token: string, key: string, input: AddressInput) {
  return call(IdentityPublic.addAddress, { token, body: input, headers: { 'idempotency-key': key } });
}

export async function myOrders(token: string) {
  return (await call(OrderPublic.listOrders, { token })).items;
}

/** Starts a checkout of the cart's selected lines; the key makes a resubmitted form the same order. */
export async function placeOrder(
  token: string,
  key: string,
  body: {
    paymentMethod: PaymentMethod;
    addressId: string;
    returnUrl: string;
    lines?: { skuId: string; quantity: number; flashSaleId?: string }[];
    couponIds?: string[];
    points?: number;
    groupBuy?: { campaignId: string; groupId?: string; quantity: number };
  },
) {
  try {
    return { ok: true as const, order: await call(OrderPublic.checkout, { token, body, headers: { 'idempotency-key': key } }) };
  } catch (err) {
    if (err instanceof ServiceError && err.status < 500) return { ok: false as const, status: err.status, code: err.problem?.code ?? null };
    // order's admission control (too many checkouts in progress), or order or a peer it asks first away: nothing was
    // started (a 5xx answer is not kept for the Idempotency-Key), so the same key may be sent again
    if (err instanceof ServiceError && err.unavailable) return { ok: false as const, status: 503, busy: true as const };
    throw err;
  }
}

/** One of the buyer's orders; null when there is no such order of theirs. */
export async function order(token: string, orderId: string) {
  return orNull(call(OrderPublic.getOrder, { params: { orderId }, token }));
}

export async function cancelOrder(token: string, orderId: string, key: string) {
  return call(OrderPublic.cancelOrder, { params: { orderId }, token, body: {}, headers: { 'idempotency-key': key } });
}

export async function confirmReceipt(token: string, orderId: string, subOrderId: string, key: string) {
  return call(OrderPublic.confirmReceipt, { params: { orderId, subOrderId }, token, headers: { 'idempotency-key': key } });
}

/** Asks the shop for money back: all that is left of the sub-order, or `amount` of it. */
export async function requestRefund(token: string, orderId: string, subOrderId: string, key: string, body: { reason: string; amount?: { amount: number; currency: string } }) {
  return call(OrderPublic.requestRefund, { params: { orderId, subOrderId }, token, body, headers: { 'idempotency-key': key } });
}

/** What the lines cost the signed-in buyer now, shipping per shop and the coupons given included; null when a line or a coupon cannot be priced. */
export async function quote(token: string | undefined, lines: { skuId: string; quantity: number; flashSaleId?: string; groupBuyCampaignId?: string }[], couponIds: string[] = [], points = 0) {
  try {
    return await call(MarketingPublic.quote, { token, body: { lines, ...(couponIds.length ? { couponIds } : {}), ...(points > 0 ? { points } : {}) } });
  } catch (err) {
    if (err instanceof ServiceError && err.status < 500) return null;
    throw err;
  }
}

/** Asks the shop to take units back (after delivery, within its return window). */
export async function requestReturn(token: string, orderId: string, subOrderId: string, key: string, body: RequestReturnRequest) {
  return call(OrderPublic.requestReturn, { params: { orderId, subOrderId }, token, body, headers: { 'idempotency-key': key } });
}

export async function cancelReturn(token: string, orderId: string, returnId: string, key: string) {
  return call(OrderPublic.cancelReturn, { params: { orderId, returnId }, token, headers: { 'idempotency-key': key } });
}

/** The goods of an approved return go back: logistics follows the parcel to the shop. */
export async function shipReturn(token: string, orderId: string, returnId: string, key: string, body: { carrier: CarrierCode; trackingNumber: string }) {
  return call(LogisticsPublic.createReturnShipment, { params: { orderId, returnId }, token, body, headers: { 'idempotency-key': key } });
}
