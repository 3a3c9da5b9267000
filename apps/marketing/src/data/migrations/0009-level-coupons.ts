import type { Migration } from '@emporium/kit';

export const levelCoupons: Migration = {
  name: '0009-level-coupons',
  async up({ query }) {
    // a fourth way: given to every member who reaches a level (membership's member.level-changed) while the template is open
    const [old] = await query(`SELECT conname FROM pg_constraint WHERE conrelid = 'coupon_templates'::regclass AND contype = 'c' AND pg_get_constraintdef(oid) LIKE '%new-user%'`);
    await query(`ALTER TABLE coupon_templates DROP CONSTRAINT ${String(old!.conname)}`);
    await query(`ALTER TABLE coupon_templates ADD CONSTRAINT coupon_templates_distribution_check CHECK (distribution IN ('claim', 'new-user', 'issued', 'level'))`);
    await query(`ALTER TABLE coupon_templates ADD COLUMN min_level integer CHECK (min_level BETWEEN 1 AND 9)`);
    await query(`ALTER TABLE coupon_templates ADD CONSTRAINT coupon_templates_level_check CHECK ((distribution = 'level') = (min_level IS NOT NULL))`);
  },
};
