import type { Transaction } from '@emporium/kit';
import type { Money, PaymentMethod, PaymentSplit, PaymentStatus } from '@emporium/contracts';
import { type CamelRow, type Database } from '@emporium/kit';

interface PaymentColumns {
  id: string;
  order_id: string;
  buyer_user_id: string;
  method: PaymentMethod;
  purpose: 'order' | 'top-up';
  company_id: string | null;
  company_role: 'admin' | 'buyer' | null;
  due_at: Date | null;
  settled_at: Date | null;
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

interface InvoiceTermsColumns {
  company_id: string;
  currency: string;
  credit_limit: string;
  term_days: number;
}

/** A payment as the domain sees it (amount still in the column's text: money goes through `moneyOf`). */
export type PaymentRecord = CamelRow<PaymentColumns>;
export type InvoiceTermsRecord = CamelRow<InvoiceTermsColumns>;

/** What a new payment is made of: an order's (purpose order) or a wallet top-up's. */
export interface NewPayment {
  id: string;
  orderId: string;
  buyerUserId: string;
  method: PaymentMethod;
  purpose: 'order' | 'top-up';
  companyId: string | null;
  companyRole: 'admin' | 'buyer' | null;
  amount: Money;
  splits: PaymentSplit[];
  returnUrl: string | null;
  description: string | null;
}

/** One provider webhook as recorded: its id makes it apply once. */
export interface ProviderEventRecord {
  eventId: string;
  paymentId: string;
  type: string;
  sequence: number;
  outcome: string;
}

/**
 * payment's tables besides the ledger and refunds: payments, the provider's
 * events, and what payment knows of companies (approval, buyers' limits,
 * credit lines). Every read hands back camelCase records.
 */
export class PaymentRepository {
  constructor(private readonly db: Database) {}


  private async one(sql: string, replacements: Record<string, unknown>, t?: Transaction): Promise<PaymentRecord> {
    const [r] = await this.db.select<PaymentColumns>(sql, replacements, t);
    if (!r) throw new Error(`payment ${String(replacements.id)} vanished`);
    return r;
  }

  /** The payment with this id or order id; locked for the rest of the transaction when asked. */
  async find(where: 'id' | 'orderId', value: string, t?: Transaction, lock = false): Promise<PaymentRecord | undefined> {
    const [r] = await this.db.select<PaymentColumns>(`SELECT * FROM payments WHERE ${where === 'id' ? 'id' : 'order_id'} = :value${lock ? ' FOR UPDATE' : ''}`, { value }, t);
    return r;
  }

  /** The payments of these ids that exist. */
  async many(ids: readonly string[]): Promise<PaymentRecord[]> {
    return ids.length ? this.db.select<PaymentColumns>('SELECT * FROM payments WHERE id IN (:ids)', { ids: [...ids] }) : [];
  }

  /** A new payment, unless one exists with its id or order id (then the caller reads and compares it). */
  async insert(p: NewPayment): Promise<void> {
    await this.db.query(`INSERT INTO payments (id, order_id, buyer_user_id, method, purpose, company_id, company_role, currency, amount, splits, status, return_url, description)
       VALUES (:id, :orderId, :buyerUserId, :method, :purpose, :companyId, :companyRole, :currency, :amount, :splits, 'created', :returnUrl, :description) ON CONFLICT DO NOTHING`, { ...p, currency: p.amount.currency, amount: p.amount.amount, splits: JSON.stringify(p.splits) });
  }

  /** The provider made its side of the payment: its id and hosted page; a created payment now waits for the shopper. */
  async startedAtProvider(id: string, providerId: string, hostedUrl: string | null): Promise<PaymentRecord> {
    return this.one(
      `UPDATE payments SET provider_payment_id = :providerId, hosted_url = :hostedUrl, status = CASE WHEN status = 'created' THEN 'requires_payment' ELSE status END, updated_at = now()
       WHERE id = :id RETURNING *`,
      { id, providerId, hostedUrl },
    );
  }

  /** A final status with its reason (failed, cancelled); an earlier reason stays when none is given. */
  async end(id: string, status: 'failed' | 'cancelled', reason: string | null, t: Transaction): Promise<PaymentRecord> {
    return this.one('UPDATE payments SET status = :status, failure_reason = COALESCE(:reason, failure_reason), updated_at = now() WHERE id = :id RETURNING *', { id, status, reason }, t);
  }

  /** Captured; an invoice payment falls due `termDays` from now. */
  async succeed(id: string, termDays: number | null, t: Transaction): Promise<PaymentRecord> {
    return this.one(
      `UPDATE payments SET status = 'succeeded', due_at = CASE WHEN :termDays::int IS NULL THEN NULL ELSE now() + make_interval(days => :termDays::int) END, updated_at = now()
       WHERE id = :id RETURNING *`,
      { id, termDays },
      t,
    );
  }

  /** The provider's word on a payment: a status (its reason kept when none is given). */
  async setStatus(id: string, status: PaymentStatus, reason: string | null, t: Transaction): Promise<void> {
    await this.db.query('UPDATE payments SET status = :status, failure_reason = COALESCE(:reason, failure_reason), updated_at = now() WHERE id = :id', { id, status, reason }, t);
  }

  async setProviderSequence(id: string, sequence: number, t: Transaction): Promise<void> {
    await this.db.query('UPDATE payments SET provider_sequence = :sequence WHERE id = :id', { id, sequence }, t);
  }

  /** Records a provider event; false when it was recorded before (a redelivery). */
  async claimProviderEvent(e: ProviderEventRecord, t: Transaction): Promise<boolean> {
    const claimed = await this.db.query<{ event_id: string }>(`INSERT INTO provider_events (event_id, payment_id, type, sequence, outcome) VALUES (:eventId, :paymentId, :type, :sequence, :outcome)
       ON CONFLICT (event_id) DO NOTHING RETURNING event_id`, { ...e }, t);
    return claimed.length > 0;
  }

  /** A company's invoice payments that were captured, newest first. */
  async invoicesOf(companyId: string): Promise<PaymentRecord[]> {
    return this.db.select<PaymentColumns>(`SELECT * FROM payments WHERE company_id = :companyId AND method = 'invoice' AND status = 'succeeded' ORDER BY created_at DESC LIMIT 200`, { companyId });
  }

  async settle(id: string, t: Transaction): Promise<PaymentRecord> {
    return this.one('UPDATE payments SET settled_at = now(), updated_at = now() WHERE id = :id RETURNING *', { id }, t);
  }

  // ---- what payment knows of companies -------------------------------------

  async invoiceTerms(companyId: string, t?: Transaction): Promise<InvoiceTermsRecord | undefined> {
    const [r] = await this.db.select<InvoiceTermsColumns>('SELECT * FROM invoice_terms WHERE company_id = :companyId', { companyId }, t);
    return r && { ...r, currency: r.currency.trim() };
  }

  async putInvoiceTerms(companyId: string, creditLimit: Money, termDays: number, by: string): Promise<void> {
    await this.db.query(`INSERT INTO invoice_terms (company_id, currency, credit_limit, term_days, updated_by) VALUES (:companyId, :currency, :limit, :termDays, :by)
       ON CONFLICT (company_id) DO UPDATE SET currency = EXCLUDED.currency, credit_limit = EXCLUDED.credit_limit, term_days = EXCLUDED.term_days, updated_by = EXCLUDED.updated_by, updated_at = now()`, { companyId, currency: creditLimit.currency, limit: creditLimit.amount, termDays, by });
  }

  async companyApproved(companyId: string, t?: Transaction): Promise<boolean> {
    const [r] = await this.db.select<{ approved: boolean }>('SELECT approved FROM companies WHERE company_id = :companyId', { companyId }, t);
    return r?.approved ?? false;
  }

  async setCompany(companyId: string, approved: boolean, t: Transaction): Promise<void> {
    await this.db.query('INSERT INTO companies (company_id, approved) VALUES (:companyId, :approved) ON CONFLICT (company_id) DO UPDATE SET approved = EXCLUDED.approved, updated_at = now()', { companyId, approved }, t);
  }

  /** A company buyer's spending limit in minor units; undefined until identity's event arrived. */
  async buyerLimit(companyId: string, userId: string, t?: Transaction): Promise<number | undefined> {
    const [r] = await this.db.select<{ limit_amount: string }>('SELECT limit_amount FROM company_buyers WHERE company_id = :companyId AND user_id = :userId', { companyId, userId }, t);
    return r ? Number(r.limitAmount) : undefined;
  }

  async setBuyerLimit(companyId: string, userId: string, limit: Money, t: Transaction): Promise<void> {
    await this.db.query(`INSERT INTO company_buyers (company_id, user_id, limit_amount, limit_currency) VALUES (:companyId, :userId, :amount, :currency)
       ON CONFLICT (company_id, user_id) DO UPDATE SET limit_amount = EXCLUDED.limit_amount, limit_currency = EXCLUDED.limit_currency, updated_at = now()`, { companyId, userId, amount: limit.amount, currency: limit.currency }, t);
  }

  /** Serialises whoever spends the same money (a wallet, a credit line) until the transaction ends. */
  async lock(what: string, t: Transaction): Promise<void> {
    await this.db.query('SELECT pg_advisory_xact_lock(hashtext(:what))', { what }, t);
  }
}
