import { QueryTypes, type Transaction } from 'sequelize';
import type { Invoice, InvoiceTerms, Wallet } from '@emporium/contracts';
import { ConflictError, ForbiddenError, hasRole, NotFoundError, ValidationError, type Principal, moneyOf } from '@emporium/kit';
import { balanceOf, post } from './ledger';
import type { PaymentRow } from '../data/payment-repository';
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
  const [rows, balance] = await ctx.db.snapshot(async (t) => [
    await ctx.db.sequelize.query<{ kind: string; reference: string; amount: string; currency: string; created_at: Date }>(
      `SELECT p.kind, p.reference, e.amount, p.currency, p.created_at FROM ledger_entries e JOIN ledger_postings p ON p.id = e.posting_id
       WHERE e.account = :account ORDER BY p.created_at DESC, p.id LIMIT 50`,
      { replacements: { account }, type: QueryTypes.SELECT, transaction: t },
    ),
    await balanceOf(ctx.db, account, t),
  ] as const);
  const kindOf = (k: string) => (k === 'top-up' ? 'top-up' : k === 'refund' ? 'refund' : 'payment');
  return {
    balance: { amount: balance, currency: ctx.walletCurrency },
    entries: rows.map((r) => ({ kind: kindOf(r.kind), reference: r.reference, amount: moneyOf(r.amount, r.currency), at: r.created_at.toISOString() })),
  };
}

const toTopUp = (r: PaymentRow) => ({
  id: r.id,
  amount: moneyOf(r.amount, r.currency),
  status: r.status,
  hostedUrl: r.status === 'requires_payment' || r.status === 'created' ? r.hosted_url : null,
  createdAt: r.created_at.toISOString(),
});

/** Money into the wallet by card: a payment of purpose top-up, paid on the provider's page. Idempotent by id. */
export async function topUp(ctx: PaymentContext, userId: string, id: string, input: { amount: { amount: number; currency: string }; returnUrl?: string | undefined }) {
  if (input.amount.currency !== ctx.walletCurrency) throw new ValidationError([{ field: 'amount.currency', code: 'currency', message: `the wallet holds ${ctx.walletCurrency}` }]);
  await ctx.db.sequelize.query(
    `INSERT INTO payments (id, order_id, buyer_user_id, method, purpose, currency, amount, splits, status, return_url, description)
     VALUES (:id, :reference, :userId, 'card', 'top-up', :currency, :amount, '[]', 'created', :returnUrl, 'Emporium wallet top-up') ON CONFLICT (id) DO NOTHING`,
    { replacements: { id, reference: `top-up:${id}`, userId, currency: input.amount.currency, amount: input.amount.amount, returnUrl: input.returnUrl ?? null } },
  );
  const current = (await ctx.payments.find('id', id))!;
  if (current.buyer_user_id !== userId || Number(current.amount) !== input.amount.amount) throw new ConflictError('this Idempotency-Key made another top-up');
  if (current.status === 'created') await startAtProvider(ctx, current);
  return toTopUp((await ctx.payments.find('id', id))!);
}

export async function getTopUp(ctx: PaymentContext, userId: string, id: string) {
  const r = await ctx.payments.find('id', id);
  if (r?.purpose !== 'top-up' || r.buyer_user_id !== userId) throw new NotFoundError('no such top-up');
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
  const currency = terms.currency.trim();
  const outstanding = -(await balanceOf(ctx.db, `invoice:${companyId}`));
  const limit = Number(terms.credit_limit);
  return {
    companyId,
    creditLimit: { amount: limit, currency },
    termDays: terms.term_days,
    outstanding: { amount: outstanding, currency },
    available: { amount: Math.max(0, limit - outstanding), currency },
  };
}

export async function putInvoiceTerms(ctx: PaymentContext, caller: Principal, companyId: string, input: { creditLimit: { amount: number; currency: string }; termDays: number }) {
  const [company] = await ctx.db.sequelize.query<{ approved: boolean }>('SELECT approved FROM companies WHERE company_id = :companyId', { replacements: { companyId }, type: QueryTypes.SELECT });
  if (!company?.approved) throw new ConflictError('only an approved company gets a credit line (approval reaches payment by event: try again in a moment)');
  await ctx.db.sequelize.query(
    `INSERT INTO invoice_terms (company_id, currency, credit_limit, term_days, updated_by) VALUES (:companyId, :currency, :limit, :termDays, :by)
     ON CONFLICT (company_id) DO UPDATE SET currency = EXCLUDED.currency, credit_limit = EXCLUDED.credit_limit, term_days = EXCLUDED.term_days, updated_by = EXCLUDED.updated_by, updated_at = now()`,
    { replacements: { companyId, currency: input.creditLimit.currency, limit: input.creditLimit.amount, termDays: input.termDays, by: caller.userId } },
  );
  return invoiceTerms(ctx, companyId);
}

const toInvoice = (r: PaymentRow): Invoice => ({
  paymentId: r.id,
  orderId: r.order_id,
  companyId: r.company_id!,
  buyerUserId: r.buyer_user_id,
  amount: moneyOf(r.amount, r.currency),
  dueAt: r.due_at!.toISOString(),
  settledAt: r.settled_at?.toISOString() ?? null,
  createdAt: r.created_at.toISOString(),
});

export async function invoices(ctx: PaymentContext, caller: Principal, companyId: string): Promise<Invoice[]> {
  requireCompanyReader(caller, companyId);
  const rows = await ctx.db.sequelize.query<PaymentRow>(
    `SELECT * FROM payments WHERE company_id = :companyId AND method = 'invoice' AND status = 'succeeded' ORDER BY created_at DESC LIMIT 200`,
    { replacements: { companyId }, type: QueryTypes.SELECT },
  );
  return rows.map(toInvoice);
}

/** The company paid the invoice (bank transfer): what it owes goes down, once. */
export async function settleInvoice(ctx: PaymentContext, caller: Principal, paymentId: string): Promise<Invoice> {
  if (!hasRole(caller, 'platform_admin')) throw new ForbiddenError('platform admins record settlements');
  return ctx.db.transaction(async (t) => {
    const p = await ctx.payments.find('id', paymentId, t, true);
    if (p?.method !== 'invoice' || p.status !== 'succeeded') throw new NotFoundError('no such invoice');
    if (p.settled_at) return toInvoice(p);
    const amount = Number(p.amount);
    await post(ctx.db, t, 'settle', p.id, p.currency.trim(), [
      { account: `invoice:${p.company_id}`, amount },
      { account: 'settlement:bank', amount: -amount },
    ]);
    const [settled] = await ctx.db.sequelize.query<PaymentRow>('UPDATE payments SET settled_at = now(), updated_at = now() WHERE id = :id RETURNING *', {
      replacements: { id: p.id },
      type: QueryTypes.SELECT,
      transaction: t,
    });
    return toInvoice(settled!);
  });
}

// ---- what payment knows of companies (identity's events) ---------------------

export async function companyDecided(ctx: PaymentContext, t: Transaction, companyId: string, approved: boolean): Promise<void> {
  await ctx.db.sequelize.query(
    'INSERT INTO companies (company_id, approved) VALUES (:companyId, :approved) ON CONFLICT (company_id) DO UPDATE SET approved = EXCLUDED.approved, updated_at = now()',
    { replacements: { companyId, approved }, transaction: t },
  );
}

export async function buyerLimit(ctx: PaymentContext, t: Transaction, e: { companyId: string; userId: string; spendingLimit: { amount: number; currency: string } }): Promise<void> {
  await ctx.db.sequelize.query(
    `INSERT INTO company_buyers (company_id, user_id, limit_amount, limit_currency) VALUES (:companyId, :userId, :amount, :currency)
     ON CONFLICT (company_id, user_id) DO UPDATE SET limit_amount = EXCLUDED.limit_amount, limit_currency = EXCLUDED.limit_currency, updated_at = now()`,
    { replacements: { companyId: e.companyId, userId: e.userId, amount: e.spendingLimit.amount, currency: e.spendingLimit.currency }, transaction: t },
  );
}
