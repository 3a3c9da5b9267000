import type { Migration } from '@emporium/kit';

export const flashSales: Migration = {
  name: '0002-flash-sales',
  async up({ query }) {
    // A flash sale's units sit in the SKU's `reserved` from allocation until
    // sold or given back at close; the FlashSaleStock actor decides who gets them.
    await query(`
      CREATE TABLE flash_allocations (
        campaign_id     uuid        PRIMARY KEY,
        sku_id          uuid        NOT NULL REFERENCES stock(sku_id),
        quantity        integer     NOT NULL CHECK (quantity > 0),
        per_user_limit  integer     NOT NULL CHECK (per_user_limit > 0),
        starts_at       timestamptz NOT NULL,
        ends_at         timestamptz NOT NULL,
        sold            integer     NOT NULL DEFAULT 0,
        returned        integer     NOT NULL DEFAULT 0,
        status          text        NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
        created_at      timestamptz NOT NULL DEFAULT now(),
        closed_at       timestamptz,
        CONSTRAINT flash_allocation_adds_up CHECK (sold >= 0 AND returned >= 0 AND sold + returned <= quantity)
      )`);
    // an order's flash-sale lines are reservations too, taken from the campaign instead of available stock
    await query('ALTER TABLE reservations ADD COLUMN flash_sale_id uuid REFERENCES flash_allocations(campaign_id)');
    // whose holds a flash-sale line took (the actor keeps units per shopper)
    await query('ALTER TABLE reservations ADD COLUMN buyer_user_id uuid');
  },
};
