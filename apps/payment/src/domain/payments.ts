import { randomUUID } from 'node:crypto';
import { QueryTypes, type Transaction } from 'sequelize';
import type { CreatePaymentRequest, PaymentIntent, PaymentSplit, PaymentStatus, PlatformEvents, ProviderEvent } from '@emporium/contracts';
import { ConflictError, NotFoundError, type Database, type EventBus, type Logger, type Principal } from '@emporium/kit';
import { postCapture, postRelease } from './ledger';
import type { ProviderClient } from './provider';

export interface PaymentContext {
  db: Database;
  events: EventBus<PlatformEvents>;
  provider: ProviderClient;
  logger: Logger;
  webhookUrl: string;
}

interface PaymentRow {
  id: string;
  order_id: string;
  buyer_user_id: string;
  method: 'card';
  currency: string;
  amount: string;
  splits: PaymentSplit[];
  status: PaymentStatus;
  provider_payment_id: string | null;
  provider_sequence: number;
  hosted_url: string | null;
  return_url: string | null;
  description: string | null;
  failure_reason: string | null;
  created_at: Date;
  updated_at: Date;
}

const toIntent = (r: PaymentRow): PaymentIntent => ({
  id: r.id,
  orderId: r.order_id,
  buyerUserId: r.buyer_user_id,
  method: r.method,
  amount: { amount: Number(r.amount), currency: r.currency.trim() },
  status: r.status,
  hostedUrl: r.hosted_url,
  failureReason: r.failure_reason,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});

async function row(ctx: PaymentContext, where: 'id' | 'order_id', value: string, t?: Transaction, lock = false): Promise<PaymentRow | undefined> {
  const [r] = await ctx.db.sequelize.query<PaymentRow>(`SELECT * FROM payments WHERE ${where} = :value${lock ? ' FOR UPDATE' : ''}`, {
    replacements: { value },
    type: QueryTypes.SELECT,
    transaction: t,
  });
  return r;
}

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
    `INSERT INTO payments (id, order_id, buyer_user_id, method, currency, amount, splits, status, return_url, description)
     VALUES (:id, :orderId, :buyerUserId, :method, :currency, :amount, :splits, 'created', :returnUrl, :description) ON CONFLICT (order_id) DO NOTHING`,
    {
      replacements: {
        id: randomUUID(),
        orderId: input.orderId,
        buyerUserId: input.buyerUserId,
        method: input.method,
        currency: input.amount.currency,
        amount: input.amount.amount,
        splits: JSON.stringify(input.splits),
        returnUrl: input.returnUrl ?? null,
        description: input.description ?? null,
      },
    },
  );
  const current = (await row(ctx, 'order_id', input.orderId))!;
  if (!sameRequest(current, input)) throw new ConflictError(`order ${input.orderId} is being paid with another amount or split`);
  if (current.status !== 'created') return toIntent(current);

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
  const r = await row(ctx, 'id', paymentId);
  if (r?.buyer_user_id !== caller.userId) throw new NotFoundError('no such payment');
  return toIntent(r);
}

/** order gives up waiting (timeout, cancel): an unpaid payment is cancelled at the provider too. Captured: 409. */
export async function cancelPayment(ctx: PaymentContext, paymentId: string, reason: string): Promise<PaymentIntent> {
  const r = await row(ctx, 'id', paymentId);
  if (!r) throw new NotFoundError('no such payment');
  if (r.status === 'succeeded') throw new ConflictError('the payment was captured; refund it instead');
  if (r.status === 'cancelled' || r.status === 'failed') return toIntent(r);
  // the provider refuses (409) while a payment is processing: the caller waits for its result
  if (r.provider_payment_id) await ctx.provider.cancelPayment(`cancel-${r.id}`, r.provider_payment_id);
  return ctx.db.transaction(async (t) => {
    const locked = (await row(ctx, 'id', paymentId, t, true))!;
    if (locked.status === 'succeeded') throw new ConflictError('the payment was captured; refund it instead');
    if (locked.status === 'cancelled' || locked.status === 'failed') return toIntent(locked);
    const [updated] = await ctx.db.sequelize.query<PaymentRow>(
      `UPDATE payments SET status = 'cancelled', failure_reason = :reason, updated_at = now() WHERE id = :id RETURNING *`,
      { replacements: { id: paymentId, reason }, type: QueryTypes.SELECT, transaction: t },
    );
    await ctx.events.stage(t, 'payment.failed', { paymentId, orderId: locked.order_id, reason: `cancelled: ${reason}` });
    return toIntent(updated!);
  });
}

const terminal = (s: PaymentStatus) => s === 'succeeded' || s === 'failed' || s === 'cancelled';

/**
 * One provider event, applied at most once (by event id) and only when newer
 * than the last applied for its payment (by the provider's sequence), so a
 * duplicated or late webhook changes nothing. A terminal status never changes.
 */
export async function applyProviderEvent(ctx: PaymentContext, event: ProviderEvent): Promise<'applied' | 'duplicate' | 'stale' | 'ignored'> {
  const reference = event.data.reference ?? event.data.paymentId;
  const payment = reference ? await row(ctx, 'id', reference) : undefined;
  if (!payment || (payment.provider_payment_id && payment.provider_payment_id !== event.data.id && event.type.startsWith('payment.'))) {
    ctx.logger.warn({ event: event.id, type: event.type }, 'provider event for no payment of ours');
    return 'ignored';
  }
  return ctx.db.transaction(async (t) => {
    const p = (await row(ctx, 'id', payment.id, t, true))!;
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
    const amount = { amount: Number(p.amount), currency: p.currency.trim() };
    if (next === 'succeeded') {
      await postCapture(ctx.db, t, { id: p.id, buyerUserId: p.buyer_user_id, amount, splits: p.splits });
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
  const p = await row(ctx, 'order_id', e.orderId, t);
  if (!p) throw new Error(`no payment for order ${e.orderId} yet`);
  if (p.status !== 'succeeded') throw new Error(`payment of order ${e.orderId} is ${p.status}; nothing to release`);
  const split = p.splits.find((s) => s.subOrderId === e.subOrderId);
  if (!split) {
    ctx.logger.error({ orderId: e.orderId, subOrderId: e.subOrderId }, 'completed sub-order has no split in its payment');
    return;
  }
  await postRelease(ctx.db, t, split);
}
