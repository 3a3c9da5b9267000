import type { Migration } from '@emporium/kit';

/**
 * What a completed sub-order earned (points, growth and the money kept),
 * so that a refund after completion (a return) takes back its share: a
 * `revoke` entry, once per refund. Points already spent cannot be taken:
 * the take stops at the balance, and what it could not take is forgiven.
 */
export const earnRevocations: Migration = {
  name: '0006-earn-revocations',
  async up({ query }) {
    await query('ALTER TABLE point_entries DROP CONSTRAINT point_entries_kind_check');
    await query(`ALTER TABLE point_entries ADD CONSTRAINT point_entries_kind_check CHECK (kind IN ('earn', 'adjust', 'expire', 'spend', 'return', 'revoke'))`);
    await query(`
      CREATE TABLE sub_order_earnings (
        sub_order_id    uuid    PRIMARY KEY,
        user_id         uuid    NOT NULL,
        order_id        uuid    NOT NULL,
        points          integer NOT NULL,
        growth          integer NOT NULL,
        kept            bigint  NOT NULL,
        refunded        bigint  NOT NULL DEFAULT 0,
        revoked_points  integer NOT NULL DEFAULT 0,
        revoked_growth  integer NOT NULL DEFAULT 0
      )`);
    await query(`
      CREATE TABLE earning_refunds (
        refund_id     uuid    PRIMARY KEY,
        sub_order_id  uuid    NOT NULL,
        amount        bigint  NOT NULL,
        points        integer NOT NULL,
        growth        integer NOT NULL
      )`);
  },
};
