import type { Migration } from '@emporium/kit';

export const availabilitySignal: Migration = {
  name: '0003-availability-signal',
  async up({ query }) {
    // Whether stock.availability-changed last said the SKU is in stock (null: never said);
    // the event goes out when available units cross zero, once per crossing.
    await query('ALTER TABLE stock ADD COLUMN in_stock_signalled boolean');
  },
};
