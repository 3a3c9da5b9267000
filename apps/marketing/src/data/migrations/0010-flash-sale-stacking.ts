import type { Migration } from '@emporium/kit';

export const flashSaleStacking: Migration = {
  name: '0010-flash-sale-stacking',
  async up({ query }) {
    // an activity price is the whole discount unless the campaign says full-reduction, coupons and member benefits apply on top
    await query('ALTER TABLE flash_sales ADD COLUMN stacks_with_promotions boolean NOT NULL DEFAULT false');
  },
};
