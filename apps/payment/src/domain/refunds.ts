import { QueryTypes, type Transaction } from 'sequelize';
import type { CreateRefundRequest, PaymentRefund, ProviderEvent } from '@emporium/contracts';
import { ConflictError, NotFoundError, moneyOf } from '@emporium/kit';
import { commissionBack, postRefund, sourceOf } from './ledger';
import type { PaymentRow } from '../data/payment-repository';
import type { PaymentContext } from './payment-context';

/**
 * Refunds, full or partial, of one sub-order's split. A refund never takes
 * more than is left of its split (checked under the payment's row lock), and
 * goes back the way the money came: by card through the provider (its
 * webhook finishes it), into the wallet, or off the company's invoice at
 * once. The ledger takes it out of the shop's escrow and the commission.
 */
interface RefundRow {
  id: string;
  payment_id: string;
  sub_order_id: string;
  shop_id: string;
  amount: string;
  commission_back: string;
  status: PaymentRefund['status'];
  reason: string;
  provider_refund_id: string | null;
  failure_reason: string | null;
  created_at: Date;
}

const toRefund = (r: RefundRow, p: PaymentRow): PaymentRefund => ({
  id: r.id,
  paymentId: r.payment_id,
  orderId: p.order_id,
  subOrderId: r.sub_order_id,
  amount: moneyOf(r.amount, p.currency),
  status: r.status,
  failureReason: r.failure_reason,
  createdAt: r.created_at.toISOString(),
});

async function refundRow(ctx: PaymentContext, id: string, t?: Transaction, lock = false): Promise<RefundRow | undefined> {
  const [r] = await ctx.db.sequelize.query<RefundRow>(`SELECT * FROM refunds WHERE id = :id${lock ? ' FOR UPDATE' : ''}`, { replacements: { id }, type: QueryTypes.SELECT, transaction: t });
  return r;
}

/** Refunded or on its way, per split. */
async function takenOf(ctx: PaymentContext, paymentId: string, subOrderId: string, t: Transaction): Promise<number> {
  const [r] = await ctx.db.sequelize.query<{ taken: string | null }>(
    `SELECT sum(amount) AS taken FROM refunds WHERE payment_id = :paymentId AND sub_order_id = :subOrderId AND status <> 'failed'`,
    { replacements: { paymentId, subOrderId }, type: QueryTypes.SELECT, transaction: t },
  );
  return Number(r?.taken ?? 0);
}

/** What shop escrow gave back for a sub-order's refunds (the release takes only the rest). */

async function succeed(ctx: PaymentContext, t: Transaction, r: RefundRow, p: PaymentRow): Promise<void> {
  const amount = moneyOf(r.amount, p.currency);
  const { from } = sourceOf({ method: p.method, buyerUserId: p.buyer_user_id, companyId: p.company_id });
  await postRefund(ctx.db, t, { id: r.id, to: from, shopId: r.shop_id, amount, commissionBack: Number(r.commission_back) });
  await ctx.db.sequelize.query(`UPDATE refunds SET status = 'succeeded', updated_at = now() WHERE id = :id`, { replacements: { id: r.id }, transaction: t });
  await ctx.events.stage(t, 'payment.refunded', { refundId: r.id, paymentId: p.id, orderId: p.order_id, subOrderId: r.sub_order_id, amount });
}

async function fail(ctx: PaymentContext, t: Transaction, r: RefundRow, p: PaymentRow, reason: string): Promise<void> {
  await ctx.db.sequelize.query(`UPDATE refunds SET status = 'failed', failure_reason = :reason, updated_at = now() WHERE id = :id`, { replacements: { id: r.id, reason }, transaction: t });
  await ctx.events.stage(t, 'payment.refund-failed', { refundId: r.id, paymentId: p.id, orderId: p.order_id, subOrderId: r.sub_order_id, reason });
}

export async function createRefund(ctx: PaymentContext, input: CreateRefundRequest): Promise<PaymentRefund> {
  const known = await refundRow(ctx, input.refundId);
  const created = known
    ? undefined
    : await ctx.db.transaction(async (t) => {
        const p = await ctx.payments.find('order_id', input.orderId, t, true);
        if (!p || p.purpose !== 'order') throw new NotFoundError(`no payment for order ${input.orderId}`);
        if (p.status !== 'succeeded') throw new ConflictError(`the payment is ${p.status}: nothing was captured to refund`);
        if (input.amount.currency !== p.currency.trim()) throw new ConflictError(`the payment is in ${p.currency.trim()}`);
        const split = p.splits.find((s) => s.subOrderId === input.subOrderId);
        if (!split) throw new NotFoundError(`the payment has no part for sub-order ${input.subOrderId}`);
        const before = await takenOf(ctx, p.id, split.subOrderId, t);
        if (before + input.amount.amount > split.amount.amount) {
          throw new ConflictError(`at most ${split.amount.amount - before} of this sub-order can still be refunded`, { refundable: split.amount.amount - before });
        }
        const [r] = await ctx.db.sequelize.query<RefundRow>(
          `INSERT INTO refunds (id, payment_id, sub_order_id, shop_id, amount, commission_back, status, reason)
           VALUES (:id, :paymentId, :subOrderId, :shopId, :amount, :commissionBack, 'pending', :reason) ON CONFLICT (id) DO NOTHING RETURNING *`,
          {
            replacements: {
              id: input.refundId,
              paymentId: p.id,
              subOrderId: split.subOrderId,
              shopId: split.shopId,
              amount: input.amount.amount,
              commissionBack: commissionBack(split, before, input.amount.amount),
              reason: input.reason,
            },
            type: QueryTypes.SELECT,
            transaction: t,
          },
        );
        // wallet and invoice money is ours to give back at once
        if (r && p.method !== 'card') await succeed(ctx, t, r, p);
        return r;
      });
  const r = created ?? known ?? (await refundRow(ctx, input.refundId))!;
  const p = (await ctx.payments.find('id', r.payment_id))!;
  if (p.method === 'card' && r.status === 'pending' && !r.provider_refund_id) {
    // the refund id is the provider's Idempotency-Key: a retry never refunds twice
    const made = await ctx.provider.createRefund(r.id, { paymentId: p.provider_payment_id!, amount: Number(r.amount), reference: r.id });
    await ctx.db.sequelize.query('UPDATE refunds SET provider_refund_id = :pid, updated_at = now() WHERE id = :id AND provider_refund_id IS NULL', { replacements: { id: r.id, pid: made.id } });
  }
  return toRefund((await refundRow(ctx, r.id))!, p);
}

/** Everything left of a payment back, split by split (an order cancelled after its payment was captured). */
export async function refundAll(ctx: PaymentContext, paymentId: string, reason: string): Promise<PaymentRefund[]> {
  const p = await ctx.payments.find('id', paymentId);
  if (!p) throw new NotFoundError('no such payment');
  if (p.status !== 'succeeded') return [];
  const out: PaymentRefund[] = [];
  for (const split of p.splits) {
    const left = split.amount.amount - (await ctx.db.transaction((t) => takenOf(ctx, p.id, split.subOrderId, t)));
    if (left <= 0) continue;
    out.push(await createRefund(ctx, { refundId: `${p.id}:${split.subOrderId}:all`, orderId: p.order_id, subOrderId: split.subOrderId, amount: { amount: left, currency: split.amount.currency }, reason }));
  }
  return out;
}

/** The provider's refund.succeeded / refund.failed, applied once per event. */
export async function applyRefundEvent(ctx: PaymentContext, event: ProviderEvent): Promise<'applied' | 'duplicate' | 'ignored'> {
  const refundId = event.data.reference;
  const known = refundId ? await refundRow(ctx, refundId) : undefined;
  if (!known) {
    ctx.logger.warn({ event: event.id, type: event.type }, 'provider refund event for no refund of ours');
    return 'ignored';
  }
  return ctx.db.transaction(async (t) => {
    const r = (await refundRow(ctx, known.id, t, true))!;
    const p = (await ctx.payments.find('id', r.payment_id, t))!;
    const done = r.status !== 'pending';
    const claimed = await ctx.db.sequelize.query<{ event_id: string }>(
      `INSERT INTO provider_events (event_id, payment_id, type, sequence, outcome) VALUES (:id, :paymentId, :type, :sequence, :outcome)
       ON CONFLICT (event_id) DO NOTHING RETURNING event_id`,
      { replacements: { id: event.id, paymentId: p.id, type: event.type, sequence: event.sequence, outcome: done ? 'ignored' : 'applied' }, type: QueryTypes.SELECT, transaction: t },
    );
    if (claimed.length === 0) return 'duplicate';
    if (done) return 'ignored';
    if (event.type === 'refund.succeeded') await succeed(ctx, t, r, p);
    else if (event.type === 'refund.failed') await fail(ctx, t, r, p, event.data.failureCode ?? 'refund failed at the provider');
    else return 'ignored';
    return 'applied';
  });
}
