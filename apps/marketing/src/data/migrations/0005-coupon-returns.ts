import type { Migration } from '@emporium/kit';

export const couponReturns: Migration = {
  name: '0005-coupon-returns',
  async up({ query }) {
    // the template's rule: a used coupon is usable again when every sub-order it took money off is refunded in full
    await query('ALTER TABLE coupon_templates ADD COLUMN return_on_refund boolean NOT NULL DEFAULT false');
    // when a used coupon came back that way (its last return)
    await query('ALTER TABLE coupons ADD COLUMN returned_at timestamptz');
  },
};
