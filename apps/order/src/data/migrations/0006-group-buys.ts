import type { Migration } from '@emporium/kit';

export const groupBuys: Migration = {
  name: '0006-group-buys',
  async up({ query }) {
    // a group buy's paid sub-order waits for its group in AWAITING_GROUP; the CHECK PostgreSQL named is found by what it says
    const [old] = await query(
      `SELECT conname FROM pg_constraint WHERE conrelid = 'sub_orders'::regclass AND contype = 'c' AND pg_get_constraintdef(oid) LIKE '%PENDING_PAYMENT%'`,
    );
    await query(`ALTER TABLE sub_orders DROP CONSTRAINT ${String(old!.conname)}`);
    await query(`ALTER TABLE sub_orders ADD CONSTRAINT sub_orders_status_check
      CHECK (status IN ('PENDING_PAYMENT', 'AWAITING_GROUP', 'PAID', 'SHIPPED', 'DELIVERED', 'COMPLETED', 'CANCELLED', 'REFUND_REQUESTED', 'REFUNDED'))`);
    // the group the sub-order took a seat in ({ campaignId, groupId }), null for any other order
    await query('ALTER TABLE sub_orders ADD COLUMN group_buy jsonb');
    await query(`CREATE INDEX sub_orders_awaiting_group ON sub_orders (order_id) WHERE status = 'AWAITING_GROUP'`);
    // a refund the platform started (a group that did not form) was asked for by nobody
    await query('ALTER TABLE sub_order_refunds ALTER COLUMN requested_by DROP NOT NULL');
  },
};
