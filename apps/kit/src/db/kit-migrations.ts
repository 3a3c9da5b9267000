import type { Migration } from './migrations';

/** Tables the kit itself keeps in every service's schema; applied before the service's own. */
export const kitMigrations: readonly Migration[] = [
  {
    name: 'kit-0001-idempotency-keys',
    async up({ query }) {
      await query(`
        CREATE TABLE IF NOT EXISTS idempotency_keys (
          key           text        NOT NULL,
          caller        text        NOT NULL DEFAULT '',
          request_hash  text        NOT NULL,
          status        integer,
          content_type  text,
          body          text,
          created_at    timestamptz NOT NULL DEFAULT now(),
          completed_at  timestamptz,
          PRIMARY KEY (caller, key)
        )`);
      await query('CREATE INDEX IF NOT EXISTS idempotency_keys_created_at ON idempotency_keys (created_at)');
    },
  },
  {
    name: 'kit-0002-processed-events',
    async up({ query }) {
      await query(`
        CREATE TABLE IF NOT EXISTS processed_events (
          subscription  text        NOT NULL,
          event_id      text        NOT NULL,
          processed_at  timestamptz NOT NULL DEFAULT now(),
          PRIMARY KEY (subscription, event_id)
        )`);
    },
  },
  {
    name: 'kit-0003-dead-letters',
    async up({ query }) {
      await query(`
        CREATE TABLE IF NOT EXISTS dead_letters (
          topic        text        NOT NULL,
          event_id     text        NOT NULL,
          body         jsonb       NOT NULL,
          received_at  timestamptz NOT NULL DEFAULT now(),
          PRIMARY KEY (topic, event_id)
        )`);
    },
  },
  {
    name: 'kit-0004-outbox',
    async up({ query }) {
      await query(`
        CREATE TABLE IF NOT EXISTS outbox (
          id            uuid        PRIMARY KEY,
          seq           bigserial   NOT NULL,
          topic         text        NOT NULL,
          body          jsonb       NOT NULL,
          created_at    timestamptz NOT NULL DEFAULT now(),
          published_at  timestamptz
        )`);
      await query('CREATE INDEX IF NOT EXISTS outbox_unpublished ON outbox (seq) WHERE published_at IS NULL');
    },
  },
  {
    // a request in flight renews its key's lease (idempotency.ts): a key whose holder died is taken over
    // by the next retry once its lease runs out, not after a fixed minute
    name: 'kit-0005-idempotency-lease',
    async up({ query }) {
      await query('ALTER TABLE idempotency_keys ADD COLUMN IF NOT EXISTS heartbeat_at timestamptz NOT NULL DEFAULT now()');
    },
  },
];
