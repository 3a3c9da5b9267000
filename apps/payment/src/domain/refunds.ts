import type { Transaction } from '@emporium/kit';
import type { CreateRefundRequest, PaymentRefund, ProviderEvent } from '@emporium/contracts';
import { ConflictError, NotFoundError, moneyOf } from '@emporium/kit';
import { postRefund, refundShares, sourceOf } from './ledger';
import type { PaymentRecord } from '../data/payment-repository';
import type { RefundRecord } from '../data/refund-repository';
import type { PaymentContext } from './payment-context';

/**
 * Refunds, full or partial, of one sub-order's split. A refund never takes
 * more than is left of its split (checked under the payment's row lock), and
 * goes back the way the money came: by card through the provider (its
 * webhook finishes it), into the wallet, or off the company's invoice at
 * once. The ledger takes it out of the shop's escrow and the commission.
 */
const toRefund = (r: RefundRecord, p: PaymentRecord): PaymentRefund => ({
  id: r.id,
  paymentId: r.paymentId,
  orderId: p.orderId,
  subOrderId: r.subOrderId,
  amount: moneyOf(r.amount, p.currency),
  status: r.status,
  failureReason: r.failureReason,
  createdAt: r.createdAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
});

/** What became of these refunds (order asks when a refund's result event is late); unknown ids are left out. */
export async function refundStatuses(ctx: PaymentContext, refundIds: readonly string[]): Promise<PaymentRefund[]> {
  const refunds = await ctx.refunds.many(refundIds);
  const payments = new Map((await ctx.payments.many([...new Set(refunds.map((r) => r.paymentId))])).map((p) => [p.id, p]));
  return refunds.flatMap((r) => {
    const p = payments.get(r.paymentId);
    return p ? [toRefund(r, p)] : [];
  });
}

async function succeed(ctx: PaymentContext, t: Transaction, r: RefundRecord, p: PaymentRecord): Promise<void> {
  const amount = moneyOf(r.amount, p.currency);
  const { from } = sourceOf({ method: p.method, buyerUserId: p.buyerUserId, companyId: p.companyId });
  // the payment's row lock orders this against the sub-order's release: the refund sees whether its escrow is still held
  await ctx.payments.find('id', p.id, t, true);
  await postRefund(ctx.ledger, t, { id: r.id, to: from, shopId: r.shopId, subOrderId: r.subOrderId, amount, commissionBack: Number(r.commissionBack), subsidyBack: Number(r.subsidyBack) });
  await ctx.refunds.succeed(r.id, t);
  await ctx.events.stage(t, 'payment.refunded', { refundId: r.id, paymentId: p.id, orderId: p.orderId, subOrderId: r.subOrderId, amount });
}

async function fail(ctx: PaymentContext, t: Transaction, r: RefundRecord, p: PaymentRecord, reason: string): Promise<void> {
  await ctx.refunds.fail(r.id, reason, t);
  await ctx.events.stage(t, 'payment.refund-failed', { refundId: r.id, paymentId: p.id, orderId: p.orderId, subOrderId: r.subOrderId, reason });
}

export async function createRefund(ctx: PaymentContext, input: CreateRefundRequest): Promise<PaymentRefund> {
  const known = await ctx.refunds.find(input.refundId);
  const created = known
    ? undefined
    : await ctx.db.transaction(async (t) => {
        const p = await ctx.payments.find('orderId', input.orderId, t, true);
        if (!p || p.purpose !== 'order') throw new NotFoundError(`no payment for order ${input.orderId}`);
        if (p.status !== 'succeeded') throw new ConflictError(`the payment is ${p.status}: nothing was captured to refund`);
        if (input.amount.currency !== p.currency.trim()) throw new ConflictError(`the payment is in ${p.currency.trim()}`);
        const split = p.splits.find((s) => s.subOrderId === input.subOrderId);
        if (!split) throw new NotFoundError(`the payment has no part for sub-order ${input.subOrderId}`);
        const before = await ctx.refunds.taken(p.id, split.subOrderId, t);
        if (before + input.amount.amount > split.amount.amount) {
          throw new ConflictError(`at most ${split.amount.amount - before} of this sub-order can still be refunded`, { refundable: split.amount.amount - before });
        }
        const r = await ctx.refunds.insert(
          {
            id: input.refundId,
            paymentId: p.id,
            subOrderId: split.subOrderId,
            shopId: split.shopId,
            amount: input.amount.amount,
            ...refundShares(split, before, input.amount.amount),
            reason: input.reason,
          },
          t,
        );
        // wallet and invoice money is ours to give back at once
        if (r && p.method !== 'card') await succeed(ctx, t, r, p);
        return r;
      });
  const r = created ?? known ?? (await ctx.refunds.find(input.refundId))!;
  const p = (await ctx.payments.find('id', r.paymentId))!;
  if (p.method === 'card' && r.status === 'pending' && !r.providerRefundId) {
    // the refund id is the provider's Idempotency-Key: a retry never refunds twice
    const made = await ctx.provider.createRefund(r.id, { paymentId: p.providerPaymentId!, amount: Number(r.amount), reference: r.id });
    await ctx.refunds.setProviderRefund(r.id, made.id);
  }
  return toRefund((await ctx.refunds.find(r.id))!, p);
}

/** Everything left of a payment back, split by split (an order cancelled after its payment was captured). */
export async function refundAll(ctx: PaymentContext, paymentId: string, reason: string): Promise<PaymentRefund[]> {
  const p = await ctx.payments.find('id', paymentId);
  if (!p) throw new NotFoundError('no such payment');
  if (p.status !== 'succeeded') return [];
  const out: PaymentRefund[] = [];
  for (const split of p.splits) {
    const left = split.amount.amount - (await ctx.db.transaction((t) => ctx.refunds.taken(p.id, split.subOrderId, t)));
    if (left <= 0) continue;
    out.push(await createRefund(ctx, { refundId: `${p.id}:${split.subOrderId}:all`, orderId: p.orderId, subOrderId: split.subOrderId, amount: { amount: left, currency: split.amount.currency }, reason }));
  }
  return out;
}

/** The provider's refund.succeeded / refund.failed, applied once per event. */
export async function applyRefundEvent(ctx: PaymentContext, event: ProviderEvent): Promise<'applied' | 'duplicate' | 'ignored'> {
  const refundId = event.data.reference;
  const known = refundId ? await ctx.refunds.find(refundId) : undefined;
  if (!known) {
    ctx.logger.warn({ event: event.id, type: event.type }, 'provider refund event for no refund of ours');
    return 'ignored';
  }
  return ctx.db.transaction(async (t) => {
    const r = (await ctx.refunds.find(known.id, t, true))!;
    const p = (await ctx.payments.find('id', r.paymentId, t))!;
    const done = r.status !== 'pending';
    const outcome = done ? 'ignored' : 'applied';
    if (!(await ctx.payments.claimProviderEvent({ eventId: event.id, paymentId: p.id, type: event.type, sequence: event.sequence, outcome }, t))) return 'duplicate';
    if (done) return 'ignored';
    if (event.type === 'refund.succeeded') await succeed(ctx, t, r, p);
    else if (event.type === 'refund.failed') await fail(ctx, t, r, p, event.data.failureCode ?? 'refund failed at the provider');
    else return 'ignored';
    return 'applied';
  });
}
