import type { Migration } from '@emporium/kit';

export const orders: Migration = {
  name: '0001-orders',
  async up({ query }) {
    await query(`
      CREATE TABLE orders (
        id               uuid        PRIMARY KEY,
        buyer_user_id    uuid        NOT NULL,
        company_id       uuid,
        status           text        NOT NULL CHECK (status IN ('pending_payment', 'paid', 'cancelled')),
        currency         char(3)     NOT NULL,
        subtotal         bigint      NOT NULL CHECK (subtotal >= 0),
        shipping         bigint      NOT NULL CHECK (shipping >= 0),
        total            bigint      NOT NULL CHECK (total = subtotal + shipping),
        payment_method   text        NOT NULL,
        payment_id       uuid,
        payment_status   text,
        payment_url      text,
        cancel_reason    text,
        from_cart        boolean     NOT NULL,
        created_at       timestamptz NOT NULL DEFAULT now(),
        updated_at       timestamptz NOT NULL DEFAULT now()
      )`);
    await query('CREATE INDEX orders_by_buyer ON orders (buyer_user_id, created_at DESC)');
    await query(`
      CREATE TABLE sub_orders (
        id               uuid        PRIMARY KEY,
        order_id         uuid        NOT NULL REFERENCES orders(id),
        shop_id          uuid        NOT NULL,
        status           text        NOT NULL CHECK (status IN ('PENDING_PAYMENT', 'PAID', 'SHIPPED', 'DELIVERED', 'COMPLETED', 'CANCELLED', 'REFUND_REQUESTED', 'REFUNDED')),
        subtotal         bigint      NOT NULL CHECK (subtotal >= 0),
        shipping         bigint      NOT NULL CHECK (shipping >= 0),
        total            bigint      NOT NULL CHECK (total = subtotal + shipping),
        commission_bps   integer     NOT NULL,
        carrier          text,
        tracking_number  text,
        shipped_at       timestamptz,
        created_at       timestamptz NOT NULL DEFAULT now(),
        updated_at       timestamptz NOT NULL DEFAULT now(),
        UNIQUE (order_id, shop_id)
      )`);
    await query('CREATE INDEX sub_orders_by_shop ON sub_orders (shop_id, created_at DESC)');
    await query(`CREATE INDEX sub_orders_shipped ON sub_orders (shipped_at) WHERE status = 'SHIPPED'`);
    await query(`
      CREATE TABLE order_lines (
        sub_order_id  uuid    NOT NULL REFERENCES sub_orders(id),
        sku_id        uuid    NOT NULL,
        product_id    uuid    NOT NULL,
        quantity      integer NOT NULL CHECK (quantity > 0),
        unit_price    bigint  NOT NULL CHECK (unit_price >= 0),
        line_total    bigint  NOT NULL CHECK (line_total = unit_price * quantity),
        price_source  text    NOT NULL,
        PRIMARY KEY (sub_order_id, sku_id)
      )`);
    await query(`
      CREATE TABLE sub_order_timeline (
        id            bigserial   PRIMARY KEY,
        sub_order_id  uuid        NOT NULL REFERENCES sub_orders(id),
        status        text        NOT NULL,
        note          text,
        at            timestamptz NOT NULL DEFAULT now()
      )`);
    await query('CREATE INDEX sub_order_timeline_by_sub_order ON sub_order_timeline (sub_order_id, id)');
    // commission rates from shop's events: a checkout never calls shop
    await query('CREATE TABLE shop_commissions (shop_id uuid PRIMARY KEY, commission_bps integer NOT NULL, updated_at timestamptz NOT NULL DEFAULT now())');
  },
};
