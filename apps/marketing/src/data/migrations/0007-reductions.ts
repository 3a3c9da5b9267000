import type { Migration } from '@emporium/kit';

export const reductions: Migration = {
  name: '0007-reductions',
  async up({ query }) {
    // a shop's full-reduction activities (满减 / 满折); tiers and scope as the contract has them
    await query(`
      CREATE TABLE reductions (
        id          uuid        PRIMARY KEY,
        shop_id     uuid        NOT NULL,
        name        jsonb       NOT NULL,
        currency    char(3)     NOT NULL,
        tiers       jsonb       NOT NULL,
        repeat      boolean     NOT NULL,
        scope       jsonb       NOT NULL,
        starts_at   timestamptz NOT NULL,
        ends_at     timestamptz NOT NULL CHECK (ends_at > starts_at),
        status      text        NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused')),
        created_by  uuid        NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT now()
      )`);
    await query('CREATE INDEX reductions_by_shop ON reductions (shop_id, ends_at)');
  },
};
