import type { Migration } from '@emporium/kit';

export const couponReservations: Migration = {
  name: '0004-coupon-reservations',
  async up({ query }) {
    // the order that holds a coupon (reserved at checkout) or used it (used_at set when paid)
    await query('ALTER TABLE coupons ADD COLUMN order_id uuid, ADD COLUMN reserved_at timestamptz');
    await query('ALTER TABLE coupons ADD CONSTRAINT coupons_used_by_an_order CHECK (used_at IS NULL OR order_id IS NOT NULL)');
    await query('CREATE INDEX coupons_by_order ON coupons (order_id) WHERE order_id IS NOT NULL');
  },
};
