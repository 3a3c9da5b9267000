import { QueryTypes, type Transaction } from 'sequelize';
import type { PaymentMethod, PaymentSplit, PaymentStatus } from '@emporium/contracts';
import type { Database } from '@emporium/kit';

/** A row of \`payments\` as stored (camelCase records are the next step; see the note). */
export interface PaymentRow {
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

export interface InvoiceTermsRow {
  company_id: string;
  currency: string;
  credit_limit: string;
  term_days: number;
}

/** payment's reads that several use-cases share: a payment by id or order, a company's invoice terms, what a sub-order got back. */
export class PaymentRepository {
  constructor(private readonly db: Database) {}

  /** The payment with this id or order id; locked for the rest of the transaction when asked. */
  async find(where: 'id' | 'order_id', value: string, t?: Transaction, lock = false): Promise<PaymentRow | undefined> {
    const [r] = await this.db.sequelize.query<PaymentRow>(`SELECT * FROM payments WHERE ${where === 'id' ? 'id' : 'order_id'} = :value${lock ? ' FOR UPDATE' : ''}`, {
      replacements: { value },
      type: QueryTypes.SELECT,
      transaction: t,
    });
    return r;
  }

  async invoiceTerms(companyId: string, t?: Transaction): Promise<InvoiceTermsRow | undefined> {
    const [r] = await this.db.sequelize.query<InvoiceTermsRow>('SELECT * FROM invoice_terms WHERE company_id = :companyId', { replacements: { companyId }, type: QueryTypes.SELECT, transaction: t });
    return r;
  }

  /** What a sub-order's succeeded refunds took back from its shop, net of the commission returned, in minor units. */
  async refundedNet(paymentId: string, subOrderId: string, t: Transaction): Promise<number> {
    const [r] = await this.db.sequelize.query<{ net: string | null }>(
      `SELECT sum(amount - commission_back) AS net FROM refunds WHERE payment_id = :paymentId AND sub_order_id = :subOrderId AND status = 'succeeded'`,
      { replacements: { paymentId, subOrderId }, type: QueryTypes.SELECT, transaction: t },
    );
    return Number(r?.net ?? 0);
  }
}
