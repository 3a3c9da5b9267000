import type { Migration } from '@emporium/kit';

export const refundLines: Migration = {
  name: '0008-refund-lines',
  async up({ query }) {
    // a refund asked by lines: which units of which SKU ([{ skuId, quantity }]); null: asked by amount
    await query('ALTER TABLE sub_order_refunds ADD COLUMN lines jsonb');
  },
};
