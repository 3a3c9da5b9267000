import type { Migration } from '@emporium/kit';

export const couponDistribution: Migration = {
  name: '0006-coupon-distribution',
  async up({ query }) {
    // how a template's coupons reach shoppers: claimed (coupon centre, product pages), given to every new user, or issued by hand
    await query(`ALTER TABLE coupon_templates ADD COLUMN distribution text NOT NULL DEFAULT 'claim' CHECK (distribution IN ('claim', 'new-user', 'issued'))`);
    // who issued a coupon by hand, and why (a compensation)
    await query('ALTER TABLE coupons ADD COLUMN issued_by uuid, ADD COLUMN note text');
  },
};
