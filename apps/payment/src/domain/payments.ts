import { randomUUID } from 'node:crypto';
import { QueryTypes, type Transaction } from 'sequelize';
import type { CreatePaymentRequest, PaymentIntent, PaymentMethod, PaymentSplit, PaymentStatus, ProviderEvent } from '@emporium/contracts';
import { ConflictError, NotFoundError, type Principal, moneyOf } from '@emporium/kit';
import { balanceOf, post, postCapture, postRelease } from './ledger';
import type { PaymentRow } from '../data/payment-repository';
import type { PaymentContext } from './payment-context';



const toIntent = (r: PaymentRow): PaymentIntent => ({
  id: r.id,
  orderId: r.order_id,
  buyerUserId: r.buyer_user_id,
  method: r.method,
  amount: moneyOf(r.amount, r.currency),
  status: r.status,
  hostedUrl: r.hosted_url,
  failureReason: r.failure_reason,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});


// jsonb keeps its own key order: compare splits field by field
const splitKey = (s: PaymentSplit) => [s.subOrderId, s.shopId, s.amount.amount, s.amount.currency, s.commissionBps].join('|');
const sameRequest = (r: PaymentRow, input: CreatePaymentRequest) =>
  Number(r.amount) === input.amount.amount &&
  r.currency.trim() === input.amount.currency &&
  r.buyer_user_id === input.buyerUserId &&
  r.splits.map(splitKey).join(',') === input.splits.map(splitKey).join(',');

/**
 * An order's payment. The order id makes it idempotent: the same order again
 * answers the same intent, another amount for it is a conflict. The provider
 * call carries the payment id as its Idempotency-Key, so a retry after a lost
 * answer finds the provider's first payment, never a second one.
 */
export async function createPayment(ctx: PaymentContext, input: CreatePaymentRequest): Promise<PaymentIntent> {
  await ctx.db.sequelize.query(
    `INSERT INTO payments (id, order_id, buyer_user_id, method, company_id, company_role, currency, amount, splits, status, return_url, description)
     VALUES (:id, :orderId, :buyerUserId, :method, :companyId, :companyRole, :currency, :amount, :splits, 'created', :returnUrl, :description) ON CONFLICT (order_id) DO NOTHING`,
    {
      replacements: {
        id: randomUUID(),
        orderId: input.orderId,
        buyerUserId: input.buyerUserId,
        method: input.method,
        companyId: input.companyId ?? null,
        companyRole: input.companyRole ?? null,
        currency: input.amount.currency,
        amount: input.amount.amount,
        splits: JSON.stringify(input.splits),
        returnUrl: input.returnUrl ?? null,
        description: input.description ?? null,
      },
    },
  );
  const current = (await ctx.payments.find('order_id', input.orderId))!;
  if (!sameRequest(current, input) || current.method !== input.method) throw new ConflictError(`order ${input.orderId} is being paid with another method, amount or split`);
  if (current.status !== 'created') return toIntent(current);
  if (current.method !== 'card') return payInternally(ctx, current.id);
  return startAtProvider(ctx, current);
}

/** A card payment (or top-up) opens at the provider: its hosted page is where the shopper pays. */
export async function startAtProvider(ctx: PaymentContext, current: PaymentRow): Promise<PaymentIntent> {
  const made = await ctx.provider.createPayment(current.id, {
    amount: Number(current.amount),
    currency: current.currency.trim(),
    reference: current.id,
    webhookUrl: ctx.webhookUrl,
    ...(current.description ? { description: current.description } : {}),
    ...(current.return_url ? { returnUrl: current.return_url } : {}),
  });
  const [updated] = await ctx.db.sequelize.query<PaymentRow>(
    `UPDATE payments SET provider_payment_id = :providerId, hosted_url = :hostedUrl, status = CASE WHEN status = 'created' THEN 'requires_payment' ELSE status END, updated_at = now()
     WHERE id = :id RETURNING *`,
    { replacements: { id: current.id, providerId: made.id, hostedUrl: made.hostedUrl }, type: QueryTypes.SELECT },
  );
  return toIntent(updated!);
}

/** The buyer's own payment; anyone else finds none. */
export async function getPayment(ctx: PaymentContext, caller: Principal, paymentId: string): Promise<PaymentIntent> {
  const r = await ctx.payments.find('id', paymentId);
  if (r?.buyer_user_id !== caller.userId) throw new NotFoundError('no such payment');
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
  if (r.provider_payment_id) await ctx.provider.cancelPayment(`cancel-${r.id}`, r.provider_payment_id);
  return ctx.db.transaction(async (t) => {
    const locked = (await ctx.payments.find('id', paymentId, t, true))!;
    if (locked.status === 'succeeded') throw new PaymentCapturedError('the payment was captured; refund it instead');
    if (locked.status === 'cancelled' || locked.status === 'failed') return toIntent(locked);
    const [updated] = await ctx.db.sequelize.query<PaymentRow>(
      `UPDATE payments SET status = 'cancelled', failure_reason = :reason, updated_at = now() WHERE id = :id RETURNING *`,
      { replacements: { id: paymentId, reason }, type: QueryTypes.SELECT, transaction: t },
    );
    await ctx.events.stage(t, 'payment.failed', { paymentId, orderId: locked.order_id, reason: `cancelled: ${reason}` });
    return toIntent(updated!);
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
    const verdict = await eligibility(ctx, { buyerUserId: p.buyer_user_id, companyId: p.company_id, companyRole: p.company_role, method: p.method, amount }, t);
    if (!verdict.ok) {
      const [failed] = await ctx.db.sequelize.query<PaymentRow>(`UPDATE payments SET status = 'failed', failure_reason = :reason, updated_at = now() WHERE id = :id RETURNING *`, {
        replacements: { id: p.id, reason: verdict.reason },
        type: QueryTypes.SELECT,
        transaction: t,
      });
      await ctx.events.stage(t, 'payment.failed', { paymentId: p.id, orderId: p.order_id, reason: verdict.reason! });
      return toIntent(failed!);
    }
    const terms = p.method === 'invoice' ? await ctx.payments.invoiceTerms(p.company_id!, t) : undefined;
    const [paid] = await ctx.db.sequelize.query<PaymentRow>(
      `UPDATE payments SET status = 'succeeded', due_at = CASE WHEN :termDays::int IS NULL THEN NULL ELSE now() + make_interval(days => :termDays::int) END, updated_at = now()
       WHERE id = :id RETURNING *`,
      { replacements: { id: p.id, termDays: terms?.term_days ?? null }, type: QueryTypes.SELECT, transaction: t },
    );
    await postCapture(ctx.db, t, { id: p.id, method: p.method, buyerUserId: p.buyer_user_id, companyId: p.company_id, amount, splits: p.splits });
    await ctx.events.stage(t, 'payment.succeeded', { paymentId: p.id, orderId: p.order_id, amount, method: p.method });
    return toIntent(paid!);
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
    if (t) await ctx.db.sequelize.query('SELECT pg_advisory_xact_lock(hashtext(:what))', { replacements: { what }, transaction: t });
  };
  const no = (reason: string) => ({ ok: false, reason });
  if (input.method === 'card') return { ok: true, reason: null };
  if (input.method === 'wallet') {
    await lock(`wallet:${input.buyerUserId}`);
    const balance = await balanceOf(ctx.db, `wallet:${input.buyerUserId}`, t);
    if (input.amount.currency !== ctx.walletCurrency) return no(`the wallet holds ${ctx.walletCurrency} only`);
    if (balance < input.amount.amount) return no(`the wallet holds ${fmt({ amount: balance, currency: ctx.walletCurrency })}, less than ${fmt(input.amount)}`);
    return { ok: true, reason: null };
  }
  if (!input.companyId) return no('paying on invoice is for buyers of an approved company');
  await lock(`invoice:${input.companyId}`);
  const [company] = await ctx.db.sequelize.query<{ approved: boolean }>('SELECT approved FROM companies WHERE company_id = :companyId', {
    replacements: { companyId: input.companyId },
    type: QueryTypes.SELECT,
    transaction: t,
  });
  if (!company?.approved) return no('the company is not approved');
  const terms = await ctx.payments.invoiceTerms(input.companyId, t);
  if (!terms) return no('the company has no credit line for paying on invoice');
  if (terms.currency.trim() !== input.amount.currency) return no(`the company's credit line is in ${terms.currency.trim()}`);
  const [buyer] = await ctx.db.sequelize.query<{ limit_amount: string }>('SELECT limit_amount FROM company_buyers WHERE company_id = :companyId AND user_id = :userId', {
    replacements: { companyId: input.companyId, userId: input.buyerUserId },
    type: QueryTypes.SELECT,
    transaction: t,
  });
  if (input.companyRole !== 'admin' && !buyer) return no("the buyer's spending limit has not reached payment yet; try again in a moment");
  if (buyer && input.companyRole !== 'admin' && input.amount.amount > Number(buyer.limit_amount)) {
    return no(`the order is over the buyer's spending limit of ${fmt(moneyOf(buyer.limit_amount, input.amount.currency))}`);
  }
  const outstanding = -(await balanceOf(ctx.db, `invoice:${input.companyId}`, t));
  const available = Number(terms.credit_limit) - outstanding;
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
  if (!payment || (payment.provider_payment_id && payment.provider_payment_id !== event.data.id && event.type.startsWith('payment.'))) {
    ctx.logger.warn({ event: event.id, type: event.type }, 'provider event for no payment of ours');
    return 'ignored';
  }
  return ctx.db.transaction(async (t) => {
    const p = (await ctx.payments.find('id', payment.id, t, true))!;
    const stale = event.sequence <= p.provider_sequence;
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
    const claimed = await ctx.db.sequelize.query<{ event_id: string }>(
      `INSERT INTO provider_events (event_id, payment_id, type, sequence, outcome) VALUES (:id, :paymentId, :type, :sequence, :outcome)
       ON CONFLICT (event_id) DO NOTHING RETURNING event_id`,
      { replacements: { id: event.id, paymentId: p.id, type: event.type, sequence: event.sequence, outcome }, type: QueryTypes.SELECT, transaction: t },
    );
    if (claimed.length === 0) return 'duplicate';
    if (!stale) await ctx.db.sequelize.query('UPDATE payments SET provider_sequence = :sequence WHERE id = :id', { replacements: { id: p.id, sequence: event.sequence }, transaction: t });
    if (!next) return outcome;

    const reason = next === 'failed' ? (event.data.failureCode ?? 'failed') : next === 'cancelled' ? 'cancelled at the provider' : null;
    await ctx.db.sequelize.query('UPDATE payments SET status = :next, failure_reason = COALESCE(:reason, failure_reason), updated_at = now() WHERE id = :id', {
      replacements: { id: p.id, next, reason },
      transaction: t,
    });
    const amount = moneyOf(p.amount, p.currency);
    if (p.purpose === 'top-up') {
      // a top-up concerns nobody but the wallet: no order waits for it
      if (next === 'succeeded') await postTopUp(ctx, t, p, amount);
      return 'applied';
    }
    if (next === 'succeeded') {
      await postCapture(ctx.db, t, { id: p.id, method: p.method, buyerUserId: p.buyer_user_id, companyId: p.company_id, amount, splits: p.splits });
      await ctx.events.stage(t, 'payment.succeeded', { paymentId: p.id, orderId: p.order_id, amount, method: p.method });
    } else if (next === 'failed' || next === 'cancelled') {
      await ctx.events.stage(t, 'payment.failed', { paymentId: p.id, orderId: p.order_id, reason: reason ?? next });
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
  const p = await ctx.payments.find('order_id', e.orderId, t);
  if (!p) throw new Error(`no payment for order ${e.orderId} yet`);
  if (p.status !== 'succeeded') throw new Error(`payment of order ${e.orderId} is ${p.status}; nothing to release`);
  const split = p.splits.find((s) => s.subOrderId === e.subOrderId);
  if (!split) {
    ctx.logger.error({ orderId: e.orderId, subOrderId: e.subOrderId }, 'completed sub-order has no split in its payment');
    return;
  }
  await postRelease(ctx.db, t, split, await ctx.payments.refundedNet(p.id, split.subOrderId, t));
}

/** A top-up paid by card: into clearing like any capture, then whole into the buyer's wallet. */
async function postTopUp(ctx: PaymentContext, t: Transaction, p: PaymentRow, amount: { amount: number; currency: string }): Promise<void> {
  await post(ctx.db, t, 'capture', p.id, amount.currency, [
    { account: `buyer:${p.buyer_user_id}`, amount: -amount.amount },
    { account: 'clearing:provider', amount: amount.amount },
  ]);
  await post(ctx.db, t, 'top-up', p.id, amount.currency, [
    { account: 'clearing:provider', amount: -amount.amount },
    { account: `wallet:${p.buyer_user_id}`, amount: amount.amount },
  ]);
}
