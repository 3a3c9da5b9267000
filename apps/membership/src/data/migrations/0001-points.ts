import type { Migration } from '@emporium/kit';

export const points: Migration = {
  name: '0001-points',
  async up({ query }) {
    // one row per member: the points balance (the sum of the ledger) and growth value (never spent, never expires)
    await query(`
      CREATE TABLE members (
        user_id     uuid        PRIMARY KEY,
        points      bigint      NOT NULL DEFAULT 0 CHECK (points >= 0),
        growth      bigint      NOT NULL DEFAULT 0 CHECK (growth >= 0),
        created_at  timestamptz NOT NULL DEFAULT now(),
        updated_at  timestamptz NOT NULL DEFAULT now()
      )`);
    // points come in lots, each with its expiry; what takes points takes them from the lot expiring first
    await query(`
      CREATE TABLE point_lots (
        id           uuid        PRIMARY KEY,
        user_id      uuid        NOT NULL REFERENCES members (user_id),
        source       text        NOT NULL CHECK (source IN ('order', 'adjust')),
        -- the sub-order a lot was earned by, or the adjustment's id: one lot per source and ref
        ref          text        NOT NULL,
        points       integer     NOT NULL CHECK (points > 0),
        points_left  integer     NOT NULL CHECK (points_left >= 0 AND points_left <= points),
        earned_at    timestamptz NOT NULL DEFAULT now(),
        expires_at   timestamptz NOT NULL,
        UNIQUE (source, ref)
      )`);
    await query('CREATE INDEX point_lots_open ON point_lots (user_id, expires_at) WHERE points_left > 0');
    await query('CREATE INDEX point_lots_due ON point_lots (expires_at) WHERE points_left > 0');
    // the append-only ledger: every change of a balance, with the balance after it
    await query(`
      CREATE TABLE point_entries (
        id             bigserial   PRIMARY KEY,
        user_id        uuid        NOT NULL REFERENCES members (user_id),
        kind           text        NOT NULL CHECK (kind IN ('earn', 'adjust', 'expire', 'spend', 'return')),
        points         integer     NOT NULL CHECK (points <> 0),
        balance_after  bigint      NOT NULL CHECK (balance_after >= 0),
        lot_id         uuid        REFERENCES point_lots (id),
        order_id       uuid,
        sub_order_id   uuid,
        note           text,
        created_by     uuid,
        at             timestamptz NOT NULL DEFAULT now()
      )`);
    await query('CREATE INDEX point_entries_by_user ON point_entries (user_id, id DESC)');
    // which lots an entry that took points took them from (so they can be given back to the same lots)
    await query(`
      CREATE TABLE point_entry_lots (
        entry_id  bigint  NOT NULL REFERENCES point_entries (id),
        lot_id    uuid    NOT NULL REFERENCES point_lots (id),
        points    integer NOT NULL CHECK (points > 0),
        PRIMARY KEY (entry_id, lot_id)
      )`);
    // no UPDATE or DELETE of the ledger, whoever asks
    await query(`
      CREATE FUNCTION point_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'point_entries is append-only'; END $$`);
    await query('CREATE TRIGGER point_entries_append_only BEFORE UPDATE OR DELETE ON point_entries FOR EACH ROW EXECUTE FUNCTION point_entries_append_only()');
  },
};
