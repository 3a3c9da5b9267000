import type { Migration } from '@emporium/kit';

export const catalog: Migration = {
  name: '0001-catalog',
  async up({ query }) {
    await query(`
      CREATE TABLE categories (
        id         uuid    PRIMARY KEY,
        parent_id  uuid    REFERENCES categories(id),
        slug       text    NOT NULL,
        name       jsonb   NOT NULL,
        position   integer NOT NULL DEFAULT 0,
        path       uuid[]  NOT NULL
      )`);
    await query(`CREATE UNIQUE INDEX categories_slug ON categories (coalesce(parent_id, '00000000-0000-0000-0000-000000000000'), slug)`);
    await query('CREATE INDEX categories_path ON categories USING gin (path)');
    await query(`CREATE TABLE spec_templates (category_id uuid PRIMARY KEY REFERENCES categories(id), specs jsonb NOT NULL)`);
    await query(`
      CREATE TABLE products (
        id            uuid        PRIMARY KEY,
        shop_id       uuid        NOT NULL,
        category_id   uuid        NOT NULL REFERENCES categories(id),
        category_path uuid[]      NOT NULL,
        name          jsonb       NOT NULL,
        description   jsonb       NOT NULL,
        brand         text        NOT NULL,
        attributes    jsonb       NOT NULL,
        specs         jsonb       NOT NULL,
        images        text[]      NOT NULL DEFAULT '{}',
        status        text        NOT NULL CHECK (status IN ('draft', 'published', 'unpublished')),
        currency      char(3)     NOT NULL,
        min_price     bigint,
        created_at    timestamptz NOT NULL DEFAULT now(),
        updated_at    timestamptz NOT NULL DEFAULT now(),
        published_at  timestamptz
      )`);
    await query('CREATE INDEX products_browse ON products (status, published_at DESC, id)');
    await query('CREATE INDEX products_price ON products (status, min_price, id)');
    await query('CREATE INDEX products_category ON products USING gin (category_path)');
    await query('CREATE INDEX products_shop ON products (shop_id)');
    await query(`
      CREATE TABLE skus (
        id              uuid    PRIMARY KEY,
        product_id      uuid    NOT NULL REFERENCES products(id),
        combo           text    NOT NULL,
        spec_values     jsonb   NOT NULL,
        price           bigint  NOT NULL CHECK (price >= 0),
        original_price  bigint  CHECK (original_price >= price),
        barcode         text    NOT NULL,
        weight_grams    integer NOT NULL,
        active          boolean NOT NULL,
        archived        boolean NOT NULL DEFAULT false,
        UNIQUE (product_id, combo)
      )`);
    await query('CREATE UNIQUE INDEX skus_barcode ON skus (barcode) WHERE NOT archived');
    await query(`
      CREATE TABLE sku_tiers (
        sku_id        uuid    NOT NULL REFERENCES skus(id),
        min_quantity  integer NOT NULL,
        price         bigint  NOT NULL CHECK (price >= 0),
        PRIMARY KEY (sku_id, min_quantity)
      )`);
    await query(`
      CREATE TABLE company_prices (
        company_id  uuid   NOT NULL,
        sku_id      uuid   NOT NULL REFERENCES skus(id),
        price       bigint NOT NULL CHECK (price >= 0),
        PRIMARY KEY (company_id, sku_id)
      )`);
    // catalog's own view of shop status, kept from shop's events (never read from shop's tables)
    await query(`CREATE TABLE shop_status (shop_id uuid PRIMARY KEY, status text NOT NULL, updated_at timestamptz NOT NULL DEFAULT now())`);
  },
};
