import type { Migration } from '@emporium/kit';

export const refunds: Migration = {
  name: '0002-refunds',
  async up({ query }) {
    await query(`
      CREATE TABLE sub_order_refunds (
        id            uuid        PRIMARY KEY,
        sub_order_id  uuid        NOT NULL REFERENCES sub_orders(id),
        amount        bigint      NOT NULL CHECK (amount > 0),
        reason        text        NOT NULL,
        status        text        NOT NULL CHECK (status IN ('requested', 'approved', 'refunded', 'rejected', 'failed')),
        -- where the sub-order goes back to when refused or refunded in part
        prior_status  text        NOT NULL,
        note          text,
        requested_by  uuid        NOT NULL,
        requested_at  timestamptz NOT NULL DEFAULT now(),
        decided_at    timestamptz,
        refunded_at   timestamptz
      )`);
    await query('CREATE INDEX sub_order_refunds_by_sub_order ON sub_order_refunds (sub_order_id, requested_at)');
    // one open request at a time per sub-order
    await query(`CREATE UNIQUE INDEX sub_order_refunds_one_open ON sub_order_refunds (sub_order_id) WHERE status IN ('requested', 'approved')`);
  },
};
