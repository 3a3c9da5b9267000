import type { Migration } from '@emporium/kit';

/**
 * When order last asked payment what became of an order's payment (its result event being late):
 * the sweep takes the orders asked longest ago first, so a few hundred abandoned payment pages never
 * keep it from the order whose event was lost. The partial index holds only orders still waiting.
 */
export const paymentChecks: Migration = {
  name: '0011-payment-checks',
  async up({ query }) {
    await query('ALTER TABLE orders ADD COLUMN payment_checked_at timestamptz');
    await query(`CREATE INDEX orders_awaiting_payment_result ON orders (payment_checked_at NULLS FIRST, updated_at) WHERE status = 'pending_payment' AND payment_id IS NOT NULL`);
  },
};
