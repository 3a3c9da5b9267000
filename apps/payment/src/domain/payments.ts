import { randomUUID } from 'node:crypto';
import type { Transaction } from '@emporium/kit';
import { CancelReason } from '@emporium/contracts';
import type { CreatePaymentRequest, PaymentIntent, PaymentMethod, PaymentSplit, PaymentStatus, ProviderEvent } from '@emporium/contracts';
import { ConflictError, NotFoundError, type Principal, moneyOf } from '@emporium/kit';
import { post, postCapture, postRelease } from './ledger';
import type { PaymentRecord } from '../data/payment-repository';
import type { PaymentContext } from './payment-context';

const toIntent = (r: PaymentRecord): PaymentIntent => ({
  id: r.id,
  orderId: r.orderId,
  buyerUserId: r.buyerUserId,
  method: r.method,
  amount: moneyOf(r.amount, r.currency),
  status: r.status,
  hostedUrl: r.hostedUrl,
  failureReason: r.failureReason,
  createdAt: r.createdAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
});

/** What became of these payments (order asks when a result event is late). */
export async function paymentStatuses(ctx: PaymentContext, paymentIds: readonly string[]): Promise<PaymentIntent[]> {
  return (await ctx.payments.many(paymentIds)).map(toIntent);
}

// jsonb keeps its own key order: compare splits field by field
const splitKey = (s: PaymentSplit) => [s.subOrderId, s.shopId, s.amount.amount, s.amount.currency, s.commissionBps, s.platformDiscount?.amount ?? 0].join('|');
const sameRequest = (r: PaymentRecord, input: CreatePaymentRequest) =>
  Number(r.amount) === input.amount.amount &&
  r.currency.trim() === input.amount.currency &&
  r.buyerUserId === input.buyerUserId &&
  r.splits.map(splitKey).join(',') === input.splits.map(splitKey).join(',');

/**
 * An order's payment. The order id makes it idempotent: the same order again
 * answers the same intent, another amount for it is a conflict. The provider
 * call carries the payment id as its Idempotency-Key, so a retry after a lost
 * answer finds the provider's first payment, never a second one.
 */
export async function createPayment(ctx: PaymentContext, input: CreatePaymentRequest): Promise<PaymentIntent> {
  await ctx.payments.insert({
    id: randomUUID(),
    orderId: input.orderId,
    buyerUserId: input.buyerUserId,
    method: input.method,
    purpose: 'order',
    companyId: input.companyId ?? null,
    companyRole: input.companyRole ?? null,
    amount: input.amount,
    splits: input.splits,
    returnUrl: input.returnUrl ?? null,
    description: input.description ?? null,
  });
  const current = (await ctx.payments.find('orderId', input.orderId))!;
  if (!sameRequest(current, input) || current.method !== input.method) throw new ConflictError(`order ${input.orderId} is being paid with another method, amount or split`);
  if (current.status !== 'created') return toIntent(current);
  if (current.method !== 'card') return payInternally(ctx, current.id);
  return startAtProvider(ctx, current);
}

/** A card payment (or top-up) opens at the provider: its hosted page is where the shopper pays. */
export async function startAtProvider(ctx: PaymentContext, current: PaymentRecord): Promise<PaymentIntent> {
  const made = await ctx.provider.createPayment(current.id, {
    amount: Number(current.amount),
    currency: current.currency.trim(),
    reference: current.id,
    webhookUrl: ctx.webhookUrl,
    ...(current.description ? { description: current.description } : {}),
    ...(current.returnUrl ? { returnUrl: current.returnUrl } : {}),
  });
  return toIntent(await ctx.payments.startedAtProvider(current.id, made.id, made.hostedUrl));
}

/** The buyer's own payment; anyone else finds none. */
export async function getPayment(ctx: PaymentContext, caller: Principal, paymentId: string): Promise<PaymentIntent> {
  const r = await ctx.payments.find('id', paymentId);
  if (r?.buyerUserId !== caller.userId) throw new NotFoundError('no such payment');
  return toIntent(r);
}

/** order gives up waiting (timeout, cancel): an unpaid payment is cancelled at the provider too. Captured: 409. */
/** A payment that was captured cannot be cancelled; its order is paid (a refund gives the money back). */
export class PaymentCapturedError extends ConflictError {
  override readonly code = 'payment_captured';
}

export async function cancelPayment(ctx: PaymentContext, paymentId: string, reason: string): Promise<PaymentIntent> {
  const r = await ctx.payments.find('id', paymentId);
  if (!r) throw new NotFoundError('no such payment');
  if (r.status === 'succeeded') throw new PaymentCapturedError('the payment was captured; refund it instead');
  if (r.status === 'cancelled' || r.status === 'failed') return toIntent(r);
  // the provider refuses (409) while a payment is processing: the caller waits for its result
  if (r.providerPaymentId) await ctx.provider.cancelPayment(`cancel-${r.id}`, r.providerPaymentId);
  return ctx.db.transaction(async (t) => {
    const locked = (await ctx.payments.find('id', paymentId, t, true))!;
    if (locked.status === 'succeeded') throw new PaymentCapturedError('the payment was captured; refund it instead');
    if (locked.status === 'cancelled' || locked.status === 'failed') return toIntent(locked);
    const updated = await ctx.payments.end(paymentId, 'cancelled', reason, t);
    await ctx.events.stage(t, 'payment.failed', { paymentId, orderId: locked.orderId, reason: `cancelled: ${reason}` });
    return toIntent(updated);
  });
}

/**
 * Wallet and invoice payments are decided here and now, under a lock on the
 * wallet or the company's credit line so two payments cannot both spend the
 * same money: captured (posted and announced) or failed with the reason.
 */
async function payInternally(ctx: PaymentContext, paymentId: string): Promise<PaymentIntent> {
  return ctx.db.transaction(async (t) => {
    const p = (await ctx.payments.find('id', paymentId, t, true))!;
    if (p.status !== 'created') return toIntent(p);
    const amount = moneyOf(p.amount, p.currency);
    const verdict = await eligibility(ctx, { buyerUserId: p.buyerUserId, companyId: p.companyId, companyRole: p.companyRole, method: p.method, amount }, t);
    if (!verdict.ok) {
      const failed = await ctx.payments.end(p.id, 'failed', verdict.reason, t);
      await ctx.events.stage(t, 'payment.failed', { paymentId: p.id, orderId: p.orderId, reason: verdict.reason! });
      return toIntent(failed);
    }
    const terms = p.method === 'invoice' ? await ctx.payments.invoiceTerms(p.companyId!, t) : undefined;
    const paid = await ctx.payments.succeed(p.id, terms?.termDays ?? null, t);
    await postCapture(ctx.ledger, t, { id: p.id, method: p.method, buyerUserId: p.buyerUserId, companyId: p.companyId, amount, splits: p.splits });
    await ctx.events.stage(t, 'payment.succeeded', { paymentId: p.id, orderId: p.orderId, amount, method: p.method });
    return toIntent(paid);
  });
}

const fmt = (m: { amount: number; currency: string }) => `${m.currency} ${(m.amount / 100).toFixed(2)}`;

/**
 * May this buyer pay this much this way? Card: yes. Wallet: when the balance
 * covers it. Invoice: the buyer's approved company has a credit line in the
 * currency, the order is within the buyer's spending limit (a company admin
 * has none), and what is outstanding plus the order stays within the line.
 * Inside a transaction, the wallet or the credit line is locked first.
 */
export async function eligibility(
  ctx: PaymentContext,
  input: { buyerUserId: string; companyId: string | null; companyRole: 'admin' | 'buyer' | null; method: PaymentMethod; amount: { amount: number; currency: string } },
  t?: Transaction,
): Promise<{ ok: boolean; reason: string | null }> {
  const lock = async (what: string) => {
    if (t) await ctx.payments.lock(what, t);
  };
  const no = (reason: string) => ({ ok: false, reason });
  if (input.method === 'card') return { ok: true, reason: null };
  if (input.method === 'wallet') {
    await lock(`wallet:${input.buyerUserId}`);
    const balance = await ctx.ledger.balance(`wallet:${input.buyerUserId}`, t);
    if (input.amount.currency !== ctx.walletCurrency) return no(`the wallet holds ${ctx.walletCurrency} only`);
    if (balance < input.amount.amount) return no(`the wallet holds ${fmt({ amount: balance, currency: ctx.walletCurrency })}, less than ${fmt(input.amount)}`);
    return { ok: true, reason: null };
  }
  if (!input.companyId) return no('paying on invoice is for buyers of an approved company');
  await lock(`invoice:${input.companyId}`);
  if (!(await ctx.payments.companyApproved(input.companyId, t))) return no('the company is not approved');
  const terms = await ctx.payments.invoiceTerms(input.companyId, t);
  if (!terms) return no('the company has no credit line for paying on invoice');
  if (terms.currency !== input.amount.currency) return no(`the company's credit line is in ${terms.currency}`);
  const limit = await ctx.payments.buyerLimit(input.companyId, input.buyerUserId, t);
  if (input.companyRole !== 'admin' && limit === undefined) return no("the buyer's spending limit has not reached payment yet; try again in a moment");
  if (limit !== undefined && input.companyRole !== 'admin' && input.amount.amount > limit) {
    return no(`the order is over the buyer's spending limit of ${fmt({ amount: limit, currency: input.amount.currency })}`);
  }
  const outstanding = -(await ctx.ledger.balance(`invoice:${input.companyId}`, t));
  const available = Number(terms.creditLimit) - outstanding;
  if (input.amount.amount > available) return no(`the company's credit line has ${fmt({ amount: Math.max(0, available), currency: input.amount.currency })} left, less than ${fmt(input.amount)}`);
  return { ok: true, reason: null };
}

const terminal = (s: PaymentStatus) => s === 'succeeded' || s === 'failed' || s === 'cancelled';

/**
 * One provider event, applied at most once (by event id) and only when newer
 * than the last applied for its payment (by the provider's sequence), so a
 * duplicated or late webhook changes nothing. A terminal status never changes.
 */
export async function applyProviderEvent(ctx: PaymentContext, event: ProviderEvent): Promise<'applied' | 'duplicate' | 'stale' | 'ignored'> {
  const reference = event.data.reference ?? event.data.paymentId;
  const payment = reference ? await ctx.payments.find('id', reference) : undefined;
  if (!payment || (payment.providerPaymentId && payment.providerPaymentId !== event.data.id && event.type.startsWith('payment.'))) {
    ctx.logger.warn({ event: event.id, type: event.type }, 'provider event for no payment of ours');
    return 'ignored';
  }
  return ctx.db.transaction(async (t) => {
    const p = (await ctx.payments.find('id', payment.id, t, true))!;
    const stale = event.sequence <= p.providerSequence;
    const next = ((): PaymentStatus | null => {
      if (stale || terminal(p.status)) return null;
      switch (event.type) {
        case 'payment.processing':
          return 'processing';
        case 'payment.succeeded':
          return 'succeeded';
        case 'payment.failed':
          return 'failed';
        case 'payment.cancelled':
          return 'cancelled';
        default:
          return null;
      }
    })();
    const outcome = stale ? 'stale' : next ? 'applied' : 'ignored';
    if (!(await ctx.payments.claimProviderEvent({ eventId: event.id, paymentId: p.id, type: event.type, sequence: event.sequence, outcome }, t))) return 'duplicate';
    if (!stale) await ctx.payments.setProviderSequence(p.id, event.sequence, t);
    if (!next) return outcome;

    const reason = next === 'failed' ? (event.data.failureCode ?? 'failed') : next === 'cancelled' ? CancelReason.cancelledAtProvider : null;
    await ctx.payments.setStatus(p.id, next, reason, t);
    const amount = moneyOf(p.amount, p.currency);
    if (p.purpose === 'top-up') {
      // a top-up concerns nobody but the wallet: no order waits for it
      if (next === 'succeeded') await postTopUp(ctx, t, p, amount);
      return 'applied';
    }
    if (next === 'succeeded') {
      await postCapture(ctx.ledger, t, { id: p.id, method: p.method, buyerUserId: p.buyerUserId, companyId: p.companyId, amount, splits: p.splits });
      await ctx.events.stage(t, 'payment.succeeded', { paymentId: p.id, orderId: p.orderId, amount, method: p.method });
    } else if (next === 'failed' || next === 'cancelled') {
      await ctx.events.stage(t, 'payment.failed', { paymentId: p.id, orderId: p.orderId, reason: reason ?? next });
    }
    return 'applied';
  });
}

/**
 * A sub-order completed: release its shop's split from escrow. Only a
 * captured payment has anything in escrow; the event is redelivered until
 * the capture is there (events may overtake each other).
 */
export async function releaseSubOrder(ctx: PaymentContext, t: Transaction, e: { orderId: string; subOrderId: string }): Promise<void> {
  // locked: a refund finishing at this moment is posted before or after the release, never beside it
  const p = await ctx.payments.find('orderId', e.orderId, t, true);
  if (!p) throw new Error(`no payment for order ${e.orderId} yet`);
  if (p.status !== 'succeeded') throw new Error(`payment of order ${e.orderId} is ${p.status}; nothing to release`);
  const split = p.splits.find((s) => s.subOrderId === e.subOrderId);
  if (!split) {
    ctx.logger.error({ orderId: e.orderId, subOrderId: e.subOrderId }, 'completed sub-order has no split in its payment');
    return;
  }
  await postRelease(ctx.ledger, t, split, await ctx.refunds.refundedNet(p.id, split.subOrderId, t));
}

/** A top-up paid by card: into clearing like any capture, then whole into the buyer's wallet. */
async function postTopUp(ctx: PaymentContext, t: Transaction, p: PaymentRecord, amount: { amount: number; currency: string }): Promise<void> {
  await post(ctx.ledger, t, 'capture', p.id, amount.currency, [
    { account: `buyer:${p.buyerUserId}`, amount: -amount.amount },
    { account: 'clearing:provider', amount: amount.amount },
  ]);
  await post(ctx.ledger, t, 'top-up', p.id, amount.currency, [
    { account: 'clearing:provider', amount: -amount.amount },
    { account: `wallet:${p.buyerUserId}`, amount: amount.amount },
  ]);
}
