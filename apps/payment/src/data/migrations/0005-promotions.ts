import type { Migration } from '@emporium/kit';

export const promotions: Migration = {
  name: '0005-promotions',
  async up({ query }) {
    // what a refund gave back to the platform's promotions account (its share of a platform coupon)
    await query('ALTER TABLE refunds ADD COLUMN subsidy_back bigint NOT NULL DEFAULT 0 CHECK (subsidy_back >= 0)');
  },
};
