import type { Migration } from '@emporium/kit';

/**
 * When order last asked marketing how a waiting group-buy sub-order's group ended (its
 * group-buy.formed or group-buy.failed lost): the sweep takes those asked longest ago first. The
 * partial index holds only sub-orders still waiting for their group.
 */
export const groupChecks: Migration = {
  name: '0013-group-checks',
  async up({ query }) {
    await query('ALTER TABLE sub_orders ADD COLUMN group_checked_at timestamptz');
    await query(`CREATE INDEX sub_orders_group_checks ON sub_orders (group_checked_at NULLS FIRST, updated_at) WHERE status = 'AWAITING_GROUP'`);
  },
};
