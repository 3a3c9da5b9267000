import type { Migration } from '@emporium/kit';

export const pointHolds: Migration = {
  name: '0003-point-holds',
  async up({ query }) {
    // points given back after their lot expired arrive in a lot of their own (source 'return')
    await query('ALTER TABLE point_lots DROP CONSTRAINT point_lots_source_check');
    await query(`ALTER TABLE point_lots ADD CONSTRAINT point_lots_source_check CHECK (source IN ('order', 'adjust', 'return'))`);
    // the points a checkout spent, held for its order: given back if it ends unpaid ('released')
    await query(`
      CREATE TABLE point_holds (
        order_id        uuid        PRIMARY KEY,
        user_id         uuid        NOT NULL REFERENCES members (user_id),
        points          integer     NOT NULL CHECK (points > 0),
        spend_entry_id  bigint      NOT NULL REFERENCES point_entries (id),
        status          text        NOT NULL CHECK (status IN ('held', 'released')),
        created_at      timestamptz NOT NULL DEFAULT now(),
        released_at     timestamptz
      )`);
    // each sub-order's part, so its refunds give back its share: returned = points × refunded ÷ total, rounded down, all of it once refunded in full
    await query(`
      CREATE TABLE point_hold_parts (
        sub_order_id  uuid    PRIMARY KEY,
        order_id      uuid    NOT NULL REFERENCES point_holds (order_id),
        points        integer NOT NULL CHECK (points >= 0),
        total         bigint  NOT NULL CHECK (total >= 0),
        refunded      bigint  NOT NULL DEFAULT 0 CHECK (refunded >= 0),
        returned      integer NOT NULL DEFAULT 0 CHECK (returned >= 0 AND returned <= points)
      )`);
    await query('CREATE INDEX point_hold_parts_by_order ON point_hold_parts (order_id)');
    // a refund is counted once, whatever the broker redelivers
    await query(`
      CREATE TABLE point_hold_refunds (
        refund_id     uuid        PRIMARY KEY,
        sub_order_id  uuid        NOT NULL REFERENCES point_hold_parts (sub_order_id),
        amount        bigint      NOT NULL,
        points        integer     NOT NULL,
        at            timestamptz NOT NULL DEFAULT now()
      )`);
  },
};
