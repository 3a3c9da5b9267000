import type { Migration } from '@emporium/kit';

export const flashSales: Migration = {
  name: '0002-flash-sales',
  async up({ query }) {
    // The campaign's terms; its units live in inventory (FlashSaleStock actor).
    await query(`
      CREATE TABLE flash_sales (
        id              uuid        PRIMARY KEY,
        shop_id         uuid        NOT NULL,
        sku_id          uuid        NOT NULL,
        product_id      uuid        NOT NULL,
        title           jsonb       NOT NULL,
        currency        char(3)     NOT NULL,
        price           bigint      NOT NULL CHECK (price >= 0),
        list_price      bigint      NOT NULL CHECK (list_price >= price),
        quantity        integer     NOT NULL CHECK (quantity > 0),
        per_user_limit  integer     NOT NULL CHECK (per_user_limit > 0),
        starts_at       timestamptz NOT NULL,
        ends_at         timestamptz NOT NULL CHECK (ends_at > starts_at),
        created_by      uuid        NOT NULL,
        created_at      timestamptz NOT NULL DEFAULT now()
      )`);
    await query('CREATE INDEX flash_sales_by_end ON flash_sales (ends_at)');
    await query('CREATE INDEX flash_sales_by_shop ON flash_sales (shop_id, ends_at)');
  },
};
