import type { Migration } from '@emporium/kit';

/**
 * Delivery comes from logistics: a sub-order is DELIVERED when every parcel
 * of its shipment is, and completes on its own at `auto_complete_at`
 * (delivery plus the confirmation period of the day it was delivered).
 * Sub-orders shipped before logistics existed have no shipment to follow:
 * they keep the old rule, seven days after shipping.
 */
export const delivery: Migration = {
  name: '0009-delivery',
  async up({ query }) {
    await query('ALTER TABLE sub_orders ADD COLUMN shipment_id uuid, ADD COLUMN delivered_at timestamptz, ADD COLUMN auto_complete_at timestamptz');
    await query(`UPDATE sub_orders SET auto_complete_at = shipped_at + interval '7 days' WHERE status = 'SHIPPED' AND shipped_at IS NOT NULL`);
    await query(`CREATE INDEX sub_orders_auto_complete ON sub_orders (auto_complete_at) WHERE status IN ('SHIPPED', 'DELIVERED') AND auto_complete_at IS NOT NULL`);
  },
};
