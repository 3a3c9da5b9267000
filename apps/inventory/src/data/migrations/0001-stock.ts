import type { Migration } from '@emporium/kit';

export const stock: Migration = {
  name: '0001-stock',
  async up({ query }) {
    // The invariant lives in the table: no code path can break it.
    await query(`
      CREATE TABLE stock (
        sku_id               uuid        PRIMARY KEY,
        shop_id              uuid        NOT NULL,
        product_id           uuid        NOT NULL,
        received             integer     NOT NULL DEFAULT 0,
        available            integer     NOT NULL DEFAULT 0,
        reserved             integer     NOT NULL DEFAULT 0,
        sold                 integer     NOT NULL DEFAULT 0,
        low_stock_threshold  integer     CHECK (low_stock_threshold >= 0),
        low_stock_alerted    boolean     NOT NULL DEFAULT false,
        updated_at           timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT stock_adds_up CHECK (available >= 0 AND reserved >= 0 AND sold >= 0 AND available + reserved + sold = received)
      )`);
    await query('CREATE INDEX stock_by_shop ON stock (shop_id, product_id)');
    await query(`
      CREATE TABLE stock_movements (
        id             uuid        PRIMARY KEY,
        sku_id         uuid        NOT NULL REFERENCES stock(sku_id),
        kind           text        NOT NULL CHECK (kind IN ('receive', 'adjust', 'reserve', 'confirm', 'release', 'expire')),
        quantity       integer     NOT NULL,
        reason         text,
        order_id       text,
        actor_user_id  uuid,
        at             timestamptz NOT NULL DEFAULT now()
      )`);
    await query('CREATE INDEX stock_movements_by_sku ON stock_movements (sku_id, at DESC)');
    await query(`
      CREATE TABLE reservations (
        order_id    text        NOT NULL,
        line_id     text        NOT NULL,
        sku_id      uuid        NOT NULL REFERENCES stock(sku_id),
        quantity    integer     NOT NULL CHECK (quantity > 0),
        status      text        NOT NULL CHECK (status IN ('held', 'confirmed', 'released', 'expired')),
        expires_at  timestamptz NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT now(),
        updated_at  timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (order_id, line_id)
      )`);
    await query(`CREATE INDEX reservations_expiring ON reservations (expires_at) WHERE status = 'held'`);
  },
};
