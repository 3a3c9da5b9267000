import type { Migration } from '@emporium/kit';

export const payoutBatches: Migration = {
  name: '0002-payout-batches',
  async up({ query }) {
    await query(`
      CREATE TABLE payout_batches (
        id          uuid        PRIMARY KEY,
        currency    char(3)     NOT NULL,
        payouts     jsonb       NOT NULL,
        total       bigint      NOT NULL CHECK (total >= 0),
        created_by  uuid        NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT now()
      )`);
  },
};
