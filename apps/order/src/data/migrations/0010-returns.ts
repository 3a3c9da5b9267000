import type { Migration } from '@emporium/kit';

/**
 * After-sales: returns of goods. One open return per sub-order at a time;
 * each step is a row of its timeline. The refund a return pays with is a
 * refund row like any other (`return_id`), asked with the return so that
 * what is left to refund counts it, decided only by the return's steps.
 * A sub-order's return window is fixed when it is delivered (or completed
 * without a delivery scan), from its shop's policy of that day.
 */
export const returns: Migration = {
  name: '0010-returns',
  async up({ query }) {
    await query(`
      CREATE TABLE after_sales_policies (
        shop_id             uuid        PRIMARY KEY,
        return_window_days  integer     NOT NULL CHECK (return_window_days BETWEEN 0 AND 90),
        updated_at          timestamptz NOT NULL DEFAULT now()
      )`);
    await query('ALTER TABLE sub_orders ADD COLUMN returnable_until timestamptz');
    await query(`
      CREATE TABLE sub_order_returns (
        id               uuid        PRIMARY KEY,
        sub_order_id     uuid        NOT NULL REFERENCES sub_orders (id),
        status           text        NOT NULL CHECK (status IN ('requested', 'approved', 'rejected', 'cancelled', 'shipped_back', 'delivered_to_shop', 'received', 'disputed', 'refunded', 'refund_failed')),
        reason           text        NOT NULL,
        lines            jsonb       NOT NULL,
        amount           bigint      NOT NULL CHECK (amount > 0),
        return_address   jsonb,
        shipment_id      uuid,
        carrier          text,
        tracking_number  text,
        note             text,
        restocked        jsonb,
        refund_id        uuid        NOT NULL,
        requested_by     uuid        NOT NULL,
        requested_at     timestamptz NOT NULL DEFAULT now(),
        updated_at       timestamptz NOT NULL DEFAULT now()
      )`);
    await query(`CREATE UNIQUE INDEX sub_order_returns_open ON sub_order_returns (sub_order_id) WHERE status IN ('requested', 'approved', 'shipped_back', 'delivered_to_shop', 'received')`);
    await query('CREATE INDEX sub_order_returns_sub ON sub_order_returns (sub_order_id)');
    await query(`
      CREATE TABLE return_timeline (
        id         bigserial   PRIMARY KEY,
        return_id  uuid        NOT NULL REFERENCES sub_order_returns (id),
        status     text        NOT NULL,
        by_whom    text        NOT NULL CHECK (by_whom IN ('buyer', 'shop', 'carrier', 'platform')),
        note       text,
        at         timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await query('CREATE INDEX return_timeline_return ON return_timeline (return_id, id)');
    await query('ALTER TABLE sub_order_refunds ADD COLUMN return_id uuid');
  },
};
