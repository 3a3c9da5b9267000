import type { Transaction } from '@emporium/kit';
import type { Invoice, InvoiceTerms, Wallet } from '@emporium/contracts';
import { ConflictError, ForbiddenError, hasRole, NotFoundError, ValidationError, type Principal, moneyOf } from '@emporium/kit';
import { post } from './ledger';
import type { PaymentRecord } from '../data/payment-repository';
import { startAtProvider } from './payments';
import type { PaymentContext } from './payment-context';

/**
 * Buyers' wallets and companies' invoices: the two ways to pay besides a
 * card. Both are accounts of the ledger (`wallet:<user>`, `invoice:<company>`),
 * so their balances are sums of postings, never a number kept on the side.
 */

// ---- wallets ------------------------------------------------------------------

/** The balance and the entries read in one snapshot: a posting committed between two reads must not show in one and not the other. */
export async function wallet(ctx: PaymentContext, userId: string): Promise<Wallet> {
  const account = `wallet:${userId}`;
  const [rows, balance] = await ctx.db.snapshot(async (t) => [await ctx.ledger.entries(account, 50, t), await ctx.ledger.balance(account, t)] as const);
  const kindOf = (k: string) => (k === 'top-up' ? 'top-up' : k === 'refund' ? 'refund' : 'payment');
  return {
    balance: { amount: balance, currency: ctx.walletCurrency },
    entries: rows.map((r) => ({ kind: kindOf(r.kind), reference: r.reference, amount: { amount: r.amount, currency: r.currency }, at: r.createdAt.toISOString() })),
  };
}

const toTopUp = (r: PaymentRecord) => ({
  id: r.id,
  amount: moneyOf(r.amount, r.currency),
  status: r.status,
  hostedUrl: r.status === 'requires_payment' || r.status === 'created' ? r.hostedUrl : null,
  createdAt: r.createdAt.toISOString(),
});

/** Money into the wallet by card: a payment of purpose top-up, paid on the provider's page. Idempotent by id. */
export async function topUp(ctx: PaymentContext, userId: string, id: string, input: { amount: { amount: number; currency: string }; returnUrl?: string | undefined }) {
  if (input.amount.currency !== ctx.walletCurrency) throw new ValidationError([{ field: 'amount.currency', code: 'currency', message: `the wallet holds ${ctx.walletCurrency}` }]);
  await ctx.payments.insert({
    id,
    orderId: `top-up:${id}`,
    buyerUserId: userId,
    method: 'card',
    purpose: 'top-up',
    companyId: null,
    companyRole: null,
    amount: input.amount,
    splits: [],
    returnUrl: input.returnUrl ?? null,
    description: 'Emporium wallet top-up',
  });
  const current = (await ctx.payments.find('id', id))!;
  if (current.buyerUserId !== userId || Number(current.amount) !== input.amount.amount) throw new ConflictError('this Idempotency-Key made another top-up');
  if (current.status === 'created') await startAtProvider(ctx, current);
  return toTopUp((await ctx.payments.find('id', id))!);
}

export async function getTopUp(ctx: PaymentContext, userId: string, id: string) {
  const r = await ctx.payments.find('id', id);
  if (r?.purpose !== 'top-up' || r.buyerUserId !== userId) throw new NotFoundError('no such top-up');
  return toTopUp(r);
}

// ---- invoices -----------------------------------------------------------------

/** Members of the company (its admin and buyers) and platform admins. */
function requireCompanyReader(caller: Principal, companyId: string): void {
  if (hasRole(caller, 'platform_admin') || hasRole(caller, 'company_admin', { companyId }) || hasRole(caller, 'company_buyer', { companyId })) return;
  throw new NotFoundError('no such company');
}

export async function invoiceTerms(ctx: PaymentContext, companyId: string, caller?: Principal): Promise<InvoiceTerms> {
  if (caller) requireCompanyReader(caller, companyId);
  const terms = await ctx.payments.invoiceTerms(companyId);
  if (!terms) throw new NotFoundError('the company has no credit line');
  const { currency } = terms;
  const outstanding = -(await ctx.ledger.balance(`invoice:${companyId}`));
  const limit = Number(terms.creditLimit);
  return {
    companyId,
    creditLimit: { amount: limit, currency },
    termDays: terms.termDays,
    outstanding: { amount: outstanding, currency },
    available: { amount: Math.max(0, limit - outstanding), currency },
  };
}

export async function putInvoiceTerms(ctx: PaymentContext, caller: Principal, companyId: string, input: { creditLimit: { amount: number; currency: string }; termDays: number }) {
  if (!(await ctx.payments.companyApproved(companyId))) throw new ConflictError('only an approved company gets a credit line (approval reaches payment by event: try again in a moment)');
  await ctx.payments.putInvoiceTerms(companyId, input.creditLimit, input.termDays, caller.userId);
  return invoiceTerms(ctx, companyId);
}

const toInvoice = (r: PaymentRecord): Invoice => ({
  paymentId: r.id,
  orderId: r.orderId,
  companyId: r.companyId!,
  buyerUserId: r.buyerUserId,
  amount: moneyOf(r.amount, r.currency),
  dueAt: r.dueAt!.toISOString(),
  settledAt: r.settledAt?.toISOString() ?? null,
  createdAt: r.createdAt.toISOString(),
});

export async function invoices(ctx: PaymentContext, caller: Principal, companyId: string): Promise<Invoice[]> {
  requireCompanyReader(caller, companyId);
  return (await ctx.payments.invoicesOf(companyId)).map(toInvoice);
}

/** The company paid the invoice (bank transfer): what it owes goes down, once. */
export async function settleInvoice(ctx: PaymentContext, caller: Principal, paymentId: string): Promise<Invoice> {
  if (!hasRole(caller, 'platform_admin')) throw new ForbiddenError('platform admins record settlements');
  return ctx.db.transaction(async (t) => {
    const p = await ctx.payments.find('id', paymentId, t, true);
    if (p?.method !== 'invoice' || p.status !== 'succeeded') throw new NotFoundError('no such invoice');
    if (p.settledAt) return toInvoice(p);
    const amount = Number(p.amount);
    await post(ctx.ledger, t, 'settle', p.id, p.currency.trim(), [
      { account: `invoice:${p.companyId}`, amount },
      { account: 'settlement:bank', amount: -amount },
    ]);
    return toInvoice(await ctx.payments.settle(p.id, t));
  });
}

// ---- what payment knows of companies (identity's events) ---------------------

export async function companyDecided(ctx: PaymentContext, t: Transaction, companyId: string, approved: boolean): Promise<void> {
  await ctx.payments.setCompany(companyId, approved, t);
}

export async function buyerLimit(ctx: PaymentContext, t: Transaction, e: { companyId: string; userId: string; spendingLimit: { amount: number; currency: string } }): Promise<void> {
  await ctx.payments.setBuyerLimit(e.companyId, e.userId, e.spendingLimit, t);
}
