import type { Migration } from '@emporium/kit';

export const reductions: Migration = {
  name: '0005-reductions',
  async up({ query }) {
    // the full-reduction activities the quote applied (AppliedReduction[]); their discounts are in `discount` already
    await query(`ALTER TABLE orders ADD COLUMN reductions jsonb NOT NULL DEFAULT '[]'`);
  },
};
