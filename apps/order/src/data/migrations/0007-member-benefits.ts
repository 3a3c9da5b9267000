import type { Migration } from '@emporium/kit';

export const memberBenefits: Migration = {
  name: '0007-member-benefits',
  async up({ query }) {
    // shipping the platform pays for a member (a lower free-shipping threshold): part of what the platform pays the shop, not of the discount
    await query('ALTER TABLE sub_orders ADD COLUMN shipping_waived bigint NOT NULL DEFAULT 0 CHECK (shipping_waived >= 0)');
    const [old] = await query(`SELECT conname FROM pg_constraint WHERE conrelid = 'sub_orders'::regclass AND contype = 'c' AND pg_get_constraintdef(oid) LIKE '%platform_discount <= discount%'`);
    await query(`ALTER TABLE sub_orders DROP CONSTRAINT ${String(old!.conname)}`);
    await query('ALTER TABLE sub_orders ADD CONSTRAINT sub_orders_platform_discount_check CHECK (platform_discount >= 0 AND platform_discount <= discount + shipping_waived)');
    // the buyer's membership as the quote applied it (QuoteMember: level discount, waived shipping, points)
    await query('ALTER TABLE orders ADD COLUMN member jsonb');
  },
};
