import type { Migration } from '@emporium/kit';

/**
 * E-mails to send: one per message to a user whose preferences let its
 * category reach them by e-mail, written in the message's transaction (an
 * outbox), sent by a periodic task through Dapr's SMTP binding. A row is
 * leased while it is being sent; a failure is tried again later, doubling.
 */
export const emails: Migration = {
  name: '0003-emails',
  async up({ query }) {
    await query(`
      CREATE TABLE emails (
        message_id  uuid        PRIMARY KEY REFERENCES messages (id) ON DELETE CASCADE,
        user_id     uuid        NOT NULL,
        status      text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'skipped', 'failed')),
        attempts    integer     NOT NULL DEFAULT 0,
        next_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
        sent_at     timestamptz,
        last_error  text
      )`);
    await query("CREATE INDEX emails_due ON emails (next_at) WHERE status = 'pending'");
  },
};
