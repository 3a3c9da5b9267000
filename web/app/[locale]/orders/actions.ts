'use server';

import { randomUUID } from 'node:crypto';
import { revalidatePath } from 'next/cache';
import { getLocale } from 'next-intl/server';
import { RequestRefundRequest, RequestReturnRequest, ReturnParcelRequest } from '@emporium/contracts';
import { redirect } from '@/i18n/navigation';
import { sessionToken } from '@/lib/data/account';
import { cancelOrder, cancelReturn, confirmReceipt, order, requestRefund, requestReturn, shipReturn } from '@/lib/data/orders';
import { ServiceError } from '@/lib/data/sidecar';
import { accepted, issuesOf, refused, text, type FormState } from '@/lib/form-state';
import { toMinor } from '@/lib/product-draft';

async function buyer(orderId: string): Promise<string> {
  const token = await sessionToken();
  return token ?? redirect({ href: { pathname: '/login', query: { next: `/orders/${orderId}` } }, locale: await getLocale() });
}

/** Back to the order, saying what went wrong when the order service refused (409: its state has moved on). */
async function toOrder(orderId: string, problem?: string): Promise<never> {
  revalidatePath('/[locale]/orders', 'layout');
  return redirect({ href: problem ? { pathname: `/orders/${orderId}`, query: { problem } } : `/orders/${orderId}`, locale: await getLocale() });
}

async function attempt(orderId: string, call: () => Promise<unknown>): Promise<void> {
  try {
    await call();
  } catch (err) {
    if (!(err instanceof ServiceError) || err.status >= 500) throw err;
    await toOrder(orderId, err.status === 409 ? 'conflict' : 'refused');
  }
}

/** Cancels an unpaid order; the order service cancels the payment first. */
export async function cancelOrderAction(form: FormData): Promise<void> {
  const orderId = text(form, 'orderId');
  const token = await buyer(orderId);
  await attempt(orderId, () => cancelOrder(token, orderId, text(form, 'key') || randomUUID()));
  await toOrder(orderId);
}

export async function confirmReceiptAction(form: FormData): Promise<void> {
  const orderId = text(form, 'orderId');
  const token = await buyer(orderId);
  await attempt(orderId, () => confirmReceipt(token, orderId, text(form, 'subOrderId'), text(form, 'key') || randomUUID()));
  await toOrder(orderId);
}

/** Asks a shop for money back: everything left when the amount is blank, else that much. */
export async function refundAction(_prev: FormState, form: FormData): Promise<FormState> {
  const orderId = text(form, 'orderId');
  const token = await buyer(orderId);
  // units of lines asked back (`units:<skuId>` fields), when any
  const units = [...form.keys()].filter((k) => /^units:[0-9a-f-]{36}$/i.test(k)).map((k) => ({ skuId: k.slice(6), text: text(form, k).trim() }));
  const values: Record<string, string> = { reason: text(form, 'reason'), amount: text(form, 'amount'), ...Object.fromEntries(units.map((u) => [`units:${u.skuId}`, u.text])) };
  const amount = values.amount!.trim() ? toMinor(values.amount!) : undefined;
  if (amount === null || amount === 0) return { errors: [{ field: 'amount', message: 'an amount such as 20 or 20.50' }], problem: null, values };
  const badUnits = units.filter((u) => u.text !== '' && !/^\d{1,4}$/.test(u.text));
  if (badUnits.length) return { errors: [{ field: 'lines', message: 'a whole number of units' }], problem: null, values };
  const lines = units.filter((u) => Number(u.text) > 0).map((u) => ({ skuId: u.skuId, quantity: Number(u.text) }));
  const parsed = RequestRefundRequest.safeParse({ reason: values.reason, ...(amount !== undefined ? { amount: { amount, currency: text(form, 'currency') } } : {}), ...(lines.length ? { lines } : {}) });
  if (!parsed.success) return { errors: issuesOf(parsed.error.issues, (p) => String(p[0])), problem: null, values };
  try {
    await requestRefund(token, orderId, text(form, 'subOrderId'), text(form, 'key') || randomUUID(), parsed.data);
  } catch (err) {
    return refused(err, values);
  }
  await toOrder(orderId);
  return accepted;
}

/** Asks the shop to take units back: `units:<skuId>` fields, a reason. */
export async function returnAction(_prev: FormState, form: FormData): Promise<FormState> {
  const orderId = text(form, 'orderId');
  const token = await buyer(orderId);
  const units = [...form.keys()].filter((k) => /^units:[0-9a-f-]{36}$/i.test(k)).map((k) => ({ skuId: k.slice(6), text: text(form, k).trim() }));
  const values: Record<string, string> = { reason: text(form, 'reason'), ...Object.fromEntries(units.map((u) => [`units:${u.skuId}`, u.text])) };
  if (units.some((u) => u.text !== '' && !/^\d{1,4}$/.test(u.text))) return { errors: [{ field: 'lines', message: 'a whole number of units' }], problem: null, values };
  const lines = units.filter((u) => Number(u.text) > 0).map((u) => ({ skuId: u.skuId, quantity: Number(u.text) }));
  const parsed = RequestReturnRequest.safeParse({ reason: values.reason, lines });
  if (!parsed.success) return { errors: issuesOf(parsed.error.issues, (p) => String(p[0])), problem: null, values };
  try {
    await requestReturn(token, orderId, text(form, 'subOrderId'), text(form, 'key') || randomUUID(), parsed.data);
  } catch (err) {
    return refused(err, values, (p) => String(p[0]));
  }
  await toOrder(orderId);
  return accepted;
}

/** The buyer withdraws a return before sending anything back. */
export async function cancelReturnAction(form: FormData): Promise<void> {
  const orderId = text(form, 'orderId');
  const token = await buyer(orderId);
  await attempt(orderId, () => cancelReturn(token, orderId, text(form, 'returnId'), text(form, 'key') || randomUUID()));
  await toOrder(orderId);
}

/** The goods of an approved return go back with a carrier and its tracking number. */
export async function shipBackAction(_prev: FormState, form: FormData): Promise<FormState> {
  const orderId = text(form, 'orderId');
  const token = await buyer(orderId);
  const values = { carrier: text(form, 'carrier'), trackingNumber: text(form, 'trackingNumber') };
  const parsed = ReturnParcelRequest.safeParse(values);
  if (!parsed.success) return { errors: issuesOf(parsed.error.issues), problem: null, values };
  try {
    await shipReturn(token, orderId, text(form, 'returnId'), text(form, 'key') || randomUUID(), parsed.data);
  } catch (err) {
    return refused(err, values, (p) => (p[0] === 'parcels' ? String(p.at(-1)) : p.join('.')));
  }
  // logistics took the parcel; order hears of it by event a moment later: wait for that (a few seconds at most),
  // so the page the buyer comes back to shows what they just sent, not the form again
  const returnId = text(form, 'returnId');
  for (let i = 0; i < 24; i++) {
    const now = await order(token, orderId).catch(() => null);
    if (!now || now.subOrders.some((s) => s.returns.some((r) => r.id === returnId && r.shipment))) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  await toOrder(orderId);
  return accepted;
}
