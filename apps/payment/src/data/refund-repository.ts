import type { Transaction } from '@emporium/kit';
import type { PaymentRefund } from '@emporium/contracts';
import { type CamelRow, type Database } from '@emporium/kit';

interface RefundColumns {
  id: string;
  payment_id: string;
  sub_order_id: string;
  shop_id: string;
  amount: string;
  commission_back: string;
  subsidy_back: string;
  status: PaymentRefund['status'];
  reason: string;
  provider_refund_id: string | null;
  failure_reason: string | null;
  created_at: Date;
  updated_at: Date;
}

export type RefundRecord = CamelRow<RefundColumns>;

/** Refunds of payments, per sub-order's split. */
export class RefundRepository {
  constructor(private readonly db: Database) {}


  async find(id: string, t?: Transaction, lock = false): Promise<RefundRecord | undefined> {
    const [r] = await this.db.select<RefundColumns>(`SELECT * FROM refunds WHERE id = :id${lock ? ' FOR UPDATE' : ''}`, { id }, t);
    return r;
  }

  /** The refunds of these ids that exist. */
  async many(ids: readonly string[]): Promise<RefundRecord[]> {
    if (!ids.length) return [];
    return this.db.select<RefundColumns>('SELECT * FROM refunds WHERE id IN (:ids)', { ids: [...ids] });
  }

  /** Refunded or on its way for one split, in minor units. */
  async taken(paymentId: string, subOrderId: string, t: Transaction): Promise<number> {
    const [r] = await this.db.select<{ taken: string | null }>(`SELECT sum(amount) AS taken FROM refunds WHERE payment_id = :paymentId AND sub_order_id = :subOrderId AND status <> 'failed'`, { paymentId, subOrderId }, t);
    return Number(r?.taken ?? 0);
  }

  /** What a sub-order's succeeded refunds took back from its shop (with the platform's coupon share), net of the commission returned, in minor units. */
  async refundedNet(paymentId: string, subOrderId: string, t: Transaction): Promise<number> {
    const [r] = await this.db.select<{ net: string | null }>(
      `SELECT sum(amount + subsidy_back - commission_back) AS net FROM refunds WHERE payment_id = :paymentId AND sub_order_id = :subOrderId AND status = 'succeeded'`,
      { paymentId, subOrderId },
      t,
    );
    return Number(r?.net ?? 0);
  }

  /** A pending refund; undefined when one with this id exists already. */
  async insert(
    r: { id: string; paymentId: string; subOrderId: string; shopId: string; amount: number; commissionBack: number; subsidyBack: number; reason: string },
    t: Transaction,
  ): Promise<RefundRecord | undefined> {
    const [made] = await this.db.select<RefundColumns>(
      `INSERT INTO refunds (id, payment_id, sub_order_id, shop_id, amount, commission_back, subsidy_back, status, reason)
       VALUES (:id, :paymentId, :subOrderId, :shopId, :amount, :commissionBack, :subsidyBack, 'pending', :reason) ON CONFLICT (id) DO NOTHING RETURNING *`,
      { ...r },
      t,
    );
    return made;
  }

  async succeed(id: string, t: Transaction): Promise<void> {
    await this.db.query(`UPDATE refunds SET status = 'succeeded', updated_at = now() WHERE id = :id`, { id }, t);
  }

  async fail(id: string, reason: string, t: Transaction): Promise<void> {
    await this.db.query(`UPDATE refunds SET status = 'failed', failure_reason = :reason, updated_at = now() WHERE id = :id`, { id, reason }, t);
  }

  /** The provider's refund id, kept once (a retry finds it and asks nothing twice). */
  async setProviderRefund(id: string, providerRefundId: string): Promise<void> {
    await this.db.query('UPDATE refunds SET provider_refund_id = :providerRefundId, updated_at = now() WHERE id = :id AND provider_refund_id IS NULL', { id, providerRefundId });
  }
}
