import type { Migration } from '@emporium/kit';

/**
 * Facts, one row per thing that happened (each keyed so an event applied
 * twice writes once), and the daily aggregates made from them: kept up to
 * date event by event, and recomputable from the facts at any time.
 * Days are calendar days in ANALYTICS_TIME_ZONE, written as the facts arrive.
 */
export const facts: Migration = {
  name: '0001-facts',
  async up({ query }) {
    // what analytics knows of products and shops, from their events (names, category, the shop a view counts for)
    await query(`
      CREATE TABLE products (
        product_id     uuid        PRIMARY KEY,
        shop_id        uuid        NOT NULL,
        category_id    uuid        NOT NULL,
        category_path  uuid[]      NOT NULL,
        name           jsonb       NOT NULL,
        image          text,
        min_price      bigint,
        currency       char(3)     NOT NULL,
        published      boolean     NOT NULL,
        version        timestamptz NOT NULL
      )`);
    await query('CREATE INDEX products_category ON products (category_id) WHERE published');
    await query('CREATE TABLE shops (shop_id uuid PRIMARY KEY, name jsonb, approved_at timestamptz, suspended boolean NOT NULL DEFAULT false)');

    await query(`
      CREATE TABLE paid_facts (
        sub_order_id   uuid        PRIMARY KEY,
        order_id       uuid        NOT NULL,
        shop_id        uuid        NOT NULL,
        buyer_user_id  uuid        NOT NULL,
        amount         bigint      NOT NULL CHECK (amount >= 0),
        currency       char(3)     NOT NULL,
        paid_at        timestamptz NOT NULL,
        day            date        NOT NULL
      )`);
    await query('CREATE INDEX paid_facts_shop_day ON paid_facts (shop_id, day)');
    await query('CREATE INDEX paid_facts_buyer ON paid_facts (buyer_user_id, paid_at)');
    await query(`
      CREATE TABLE line_facts (
        sub_order_id  uuid    NOT NULL REFERENCES paid_facts (sub_order_id),
        order_id      uuid    NOT NULL,
        product_id    uuid    NOT NULL,
        sku_id        uuid    NOT NULL,
        quantity      integer NOT NULL CHECK (quantity > 0),
        amount        bigint  NOT NULL CHECK (amount >= 0),
        PRIMARY KEY (sub_order_id, sku_id)
      )`);
    await query('CREATE INDEX line_facts_product ON line_facts (product_id)');
    await query('CREATE INDEX line_facts_order ON line_facts (order_id)');
    await query(`
      CREATE TABLE refund_facts (
        refund_id     uuid        PRIMARY KEY,
        sub_order_id  uuid        NOT NULL,
        shop_id       uuid        NOT NULL,
        amount        bigint      NOT NULL CHECK (amount >= 0),
        currency      char(3)     NOT NULL,
        at            timestamptz NOT NULL,
        day           date        NOT NULL
      )`);
    await query('CREATE INDEX refund_facts_shop_day ON refund_facts (shop_id, day)');
    await query('CREATE TABLE completion_facts (sub_order_id uuid PRIMARY KEY, shop_id uuid NOT NULL, at timestamptz NOT NULL, day date NOT NULL)');
    // a product viewed or put in the cart by a session, once a day
    await query(`
      CREATE TABLE interaction_facts (
        day         date        NOT NULL,
        kind        text        NOT NULL CHECK (kind IN ('view', 'cart')),
        product_id  uuid        NOT NULL,
        session_id  text        NOT NULL,
        shop_id     uuid        NOT NULL,
        at          timestamptz NOT NULL,
        PRIMARY KEY (day, kind, product_id, session_id)
      )`);
    await query('CREATE INDEX interaction_facts_shop ON interaction_facts (shop_id, day, kind, session_id)');

    await query(`
      CREATE TABLE shop_days (
        shop_id   uuid    NOT NULL,
        day       date    NOT NULL,
        orders    integer NOT NULL DEFAULT 0,
        sales     bigint  NOT NULL DEFAULT 0,
        refunds   integer NOT NULL DEFAULT 0,
        refunded  bigint  NOT NULL DEFAULT 0,
        views     integer NOT NULL DEFAULT 0,
        carts     integer NOT NULL DEFAULT 0,
        PRIMARY KEY (shop_id, day)
      )`);
    await query(`
      CREATE TABLE platform_days (
        day        date    PRIMARY KEY,
        gmv        bigint  NOT NULL DEFAULT 0,
        orders     integer NOT NULL DEFAULT 0,
        refunds    integer NOT NULL DEFAULT 0,
        refunded   bigint  NOT NULL DEFAULT 0,
        new_shops  integer NOT NULL DEFAULT 0
      )`);
    await query(`
      CREATE TABLE user_tags (
        user_id               uuid        PRIMARY KEY,
        rfm                   text        NOT NULL,
        recency_days          integer     NOT NULL,
        frequency             integer     NOT NULL,
        monetary              bigint      NOT NULL,
        r                     smallint    NOT NULL,
        f                     smallint    NOT NULL,
        m                     smallint    NOT NULL,
        favourite_categories  uuid[]      NOT NULL,
        computed_at           timestamptz NOT NULL
      )`);
    await query('CREATE INDEX user_tags_rfm ON user_tags (rfm, user_id)');
  },
};
