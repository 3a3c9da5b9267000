import type { Migration } from '@emporium/kit';

/**
 * Sold units coming back (goods returned, or refunded before they were
 * shipped): a `restock` movement per SKU (sold → available, with its reason
 * and order), and one row per reference so that the same restock asked
 * again changes nothing.
 */
export const restocks: Migration = {
  name: '0004-restocks',
  async up({ query }) {
    await query('ALTER TABLE stock_movements DROP CONSTRAINT stock_movements_kind_check');
    await query(`ALTER TABLE stock_movements ADD CONSTRAINT stock_movements_kind_check CHECK (kind IN ('receive', 'adjust', 'reserve', 'confirm', 'release', 'expire', 'restock'))`);
    await query(`
      CREATE TABLE restocks (
        reference  text        PRIMARY KEY,
        order_id   text        NOT NULL,
        shop_id    uuid        NOT NULL,
        lines      jsonb       NOT NULL,
        reason     text        NOT NULL,
        at         timestamptz NOT NULL DEFAULT now()
      )`);
  },
};
