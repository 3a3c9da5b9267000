import type { Migration } from '@emporium/kit';

/**
 * Inboxes. A message belongs to one inbox (`user:<id>`, `shop:<id>` or
 * `platform`) and is named by the event that made it, its inbox and its
 * template, so an event delivered twice makes nothing twice. Messages keep
 * their template and parameters, not text: each reader sees them in the
 * language they ask for. A broadcast is stored once for its audience; a
 * reader's read or archive of it is a row of its own, written only when
 * they do it.
 */
export const inboxes: Migration = {
  name: '0001-inboxes',
  async up({ query }) {
    await query(`
      CREATE TABLE messages (
        id          uuid        PRIMARY KEY,
        inbox       text        NOT NULL CHECK (inbox = 'platform' OR inbox ~ '^(user|shop):[0-9a-f-]{36}$'),
        category    text        NOT NULL,
        template    text        NOT NULL,
        params      jsonb       NOT NULL,
        link        text,
        source      text        NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
        read_at     timestamptz,
        archived_at timestamptz,
        UNIQUE (source, inbox, template)
      )`);
    await query('CREATE INDEX messages_inbox ON messages (inbox, created_at DESC, id DESC)');
    await query('CREATE INDEX messages_unread ON messages (inbox) WHERE read_at IS NULL AND archived_at IS NULL');
    await query(`
      CREATE TABLE broadcasts (
        id            uuid        PRIMARY KEY,
        audience_kind text        NOT NULL CHECK (audience_kind IN ('everyone', 'shoppers', 'merchants', 'company')),
        company_id    uuid        CHECK ((audience_kind = 'company') = (company_id IS NOT NULL)),
        category      text        NOT NULL,
        title         jsonb       NOT NULL,
        body          jsonb       NOT NULL,
        link          text,
        created_by    uuid        NOT NULL,
        created_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
        expires_at    timestamptz NOT NULL
      )`);
    await query('CREATE INDEX broadcasts_live ON broadcasts (expires_at, audience_kind)');
    await query(`
      CREATE TABLE broadcast_reads (
        broadcast_id uuid        NOT NULL REFERENCES broadcasts (id) ON DELETE CASCADE,
        user_id      uuid        NOT NULL,
        read_at      timestamptz NOT NULL,
        archived_at  timestamptz,
        PRIMARY KEY (user_id, broadcast_id)
      )`);
    await query('CREATE INDEX broadcast_reads_broadcast ON broadcast_reads (broadcast_id)');
    // a channel of a category switched off by a user (everything is on until switched off)
    await query(`
      CREATE TABLE preferences (
        user_id  uuid    NOT NULL,
        category text    NOT NULL,
        channel  text    NOT NULL CHECK (channel IN ('in_app', 'email')),
        enabled  boolean NOT NULL,
        PRIMARY KEY (user_id, category, channel)
      )`);
    // whose orders and companies these are, as the events told (later events name only the order or company)
    await query('CREATE TABLE orders (order_id uuid PRIMARY KEY, buyer_user_id uuid NOT NULL)');
    await query('CREATE TABLE companies (company_id uuid PRIMARY KEY, admin_user_id uuid NOT NULL)');
  },
};
