import type { Migration } from '@emporium/kit';

export const discounts: Migration = {
  name: '0004-discounts',
  async up({ query }) {
    // coupons: what they took off each line, sub-order and order; totals are what the buyer pays
    for (const table of ['orders', 'sub_orders']) {
      await query(`ALTER TABLE ${table} ADD COLUMN discount bigint NOT NULL DEFAULT 0 CHECK (discount >= 0)`);
      // the CHECK on total was named by PostgreSQL (`${table}_check`): found by what it says
      const [old] = await query(
        `SELECT conname FROM pg_constraint WHERE conrelid = '${table}'::regclass AND contype = 'c' AND pg_get_constraintdef(oid) LIKE '%total = (subtotal + shipping)%'`,
      );
      await query(`ALTER TABLE ${table} DROP CONSTRAINT ${String(old!.conname)}`);
      await query(`ALTER TABLE ${table} ADD CONSTRAINT ${table}_total_check CHECK (total = subtotal + shipping - discount AND total >= 0)`);
    }
    // the platform-funded part of a sub-order's discount (paid to the shop by the platform)
    await query('ALTER TABLE sub_orders ADD COLUMN platform_discount bigint NOT NULL DEFAULT 0 CHECK (platform_discount >= 0 AND platform_discount <= discount)');
    await query('ALTER TABLE order_lines ADD COLUMN discount bigint NOT NULL DEFAULT 0 CHECK (discount >= 0 AND discount <= line_total)');
    // the coupons as the quote applied them (AppliedCoupon[])
    await query(`ALTER TABLE orders ADD COLUMN coupons jsonb NOT NULL DEFAULT '[]'`);
  },
};
