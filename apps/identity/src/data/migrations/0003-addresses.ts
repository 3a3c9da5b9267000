import type { Migration } from '@emporium/kit';

export const addresses: Migration = {
  name: '0003-addresses',
  async up({ query }) {
    await query(`
      CREATE TABLE addresses (
        id           uuid        PRIMARY KEY,
        user_id      uuid        NOT NULL REFERENCES users(id),
        recipient    text        NOT NULL,
        phone        text        NOT NULL,
        province     text        NOT NULL,
        city         text        NOT NULL,
        district     text        NOT NULL,
        street       text        NOT NULL,
        postal_code  text,
        is_default   boolean     NOT NULL DEFAULT false,
        created_at   timestamptz NOT NULL DEFAULT now()
      )`);
    await query('CREATE INDEX addresses_by_user ON addresses (user_id, created_at)');
    // at most one default per user
    await query('CREATE UNIQUE INDEX addresses_one_default ON addresses (user_id) WHERE is_default');
  },
};
