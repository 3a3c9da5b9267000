import type { Migration } from '@emporium/kit';

export const shippingAddress: Migration = {
  name: '0003-shipping-address',
  async up({ query }) {
    // a copy of the buyer's address at checkout: later edits never move a parcel
    await query('ALTER TABLE orders ADD COLUMN shipping_address jsonb');
  },
};
