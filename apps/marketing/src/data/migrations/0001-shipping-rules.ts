import type { Migration } from '@emporium/kit';

export const shippingRules: Migration = {
  name: '0001-shipping-rules',
  async up({ query }) {
    await query(`
      CREATE TABLE shipping_rules (
        shop_id     uuid        PRIMARY KEY,
        currency    char(3)     NOT NULL,
        flat_fee    bigint      NOT NULL CHECK (flat_fee >= 0),
        free_above  bigint      CHECK (free_above >= 0),
        updated_by  uuid        NOT NULL,
        updated_at  timestamptz NOT NULL DEFAULT now()
      )`);
  },
};
