import type { Migration } from '@emporium/kit';

/**
 * When order last looked after an approved refund whose result has not come (its result event lost,
 * or its workflow never started): the sweep takes those looked at longest ago first. The partial
 * index holds only refunds still approved, a handful at any time.
 */
export const refundChecks: Migration = {
  name: '0012-refund-checks',
  async up({ query }) {
    await query('ALTER TABLE sub_order_refunds ADD COLUMN checked_at timestamptz');
    await query(`CREATE INDEX sub_order_refunds_awaiting_result ON sub_order_refunds (checked_at NULLS FIRST, decided_at) WHERE status = 'approved'`);
  },
};
