import type { Migration } from '@emporium/kit';

export const payments: Migration = {
  name: '0001-payments',
  async up({ query }) {
    await query(`
      CREATE TABLE payments (
        id                   uuid        PRIMARY KEY,
        order_id             text        NOT NULL UNIQUE,
        buyer_user_id        uuid        NOT NULL,
        method               text        NOT NULL CHECK (method IN ('card')),
        currency             char(3)     NOT NULL,
        amount               bigint      NOT NULL CHECK (amount >= 0),
        splits               jsonb       NOT NULL,
        status               text        NOT NULL CHECK (status IN ('created', 'requires_payment', 'processing', 'succeeded', 'failed', 'cancelled')),
        provider_payment_id  text        UNIQUE,
        provider_sequence    integer     NOT NULL DEFAULT 0,
        hosted_url           text,
        return_url           text,
        description          text,
        failure_reason       text,
        created_at           timestamptz NOT NULL DEFAULT now(),
        updated_at           timestamptz NOT NULL DEFAULT now()
      )`);
    await query(`
      CREATE TABLE provider_events (
        event_id     text        PRIMARY KEY,
        payment_id   uuid        REFERENCES payments(id),
        type         text        NOT NULL,
        sequence     integer     NOT NULL,
        outcome      text        NOT NULL CHECK (outcome IN ('applied', 'stale', 'ignored')),
        received_at  timestamptz NOT NULL DEFAULT now()
      )`);
    // The ledger: append-only entries; every posting sums to zero, checked by
    // the database when the transaction commits.
    await query(`
      CREATE TABLE ledger_postings (
        id          uuid        PRIMARY KEY,
        kind        text        NOT NULL CHECK (kind IN ('capture', 'split', 'release', 'payout', 'refund')),
        reference   text        NOT NULL,
        currency    char(3)     NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT now(),
        UNIQUE (kind, reference)
      )`);
    await query(`
      CREATE TABLE ledger_entries (
        posting_id  uuid    NOT NULL REFERENCES ledger_postings(id),
        account     text    NOT NULL,
        amount      bigint  NOT NULL CHECK (amount <> 0),
        PRIMARY KEY (posting_id, account)
      )`);
    await query('CREATE INDEX ledger_entries_by_account ON ledger_entries (account)');
    await query(`
      CREATE FUNCTION ledger_posting_balances() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF (SELECT COALESCE(sum(amount), 0) FROM ledger_entries WHERE posting_id = NEW.posting_id) <> 0 THEN
          RAISE EXCEPTION 'ledger posting % does not balance', NEW.posting_id;
        END IF;
        RETURN NULL;
      END $$`);
    await query(`
      CREATE CONSTRAINT TRIGGER ledger_entries_balance AFTER INSERT ON ledger_entries
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_posting_balances()`);
    await query(`
      CREATE FUNCTION ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'the ledger is append-only: post a correction instead';
      END $$`);
    await query(`
      CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE OR DELETE ON ledger_entries
      FOR EACH ROW EXECUTE FUNCTION ledger_append_only()`);
    await query(`
      CREATE TRIGGER ledger_postings_append_only BEFORE UPDATE OR DELETE ON ledger_postings
      FOR EACH ROW EXECUTE FUNCTION ledger_append_only()`);
  },
};
