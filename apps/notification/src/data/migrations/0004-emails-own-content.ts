import type { Migration } from '@emporium/kit';

/**
 * An e-mail no longer needs its message in the inbox: a user who switched a
 * category off in the inbox but on by e-mail still gets the e-mail. The
 * e-mail keeps its own template, parameters and link; `message_id` stays the
 * id the message has (or would have had), so each event still makes each
 * e-mail once.
 */
export const emailsOwnContent: Migration = {
  name: '0004-emails-own-content',
  async up({ query }) {
    await query('ALTER TABLE emails DROP CONSTRAINT emails_message_id_fkey');
    await query('ALTER TABLE emails ADD COLUMN template text, ADD COLUMN params jsonb, ADD COLUMN link text');
    await query('UPDATE emails e SET template = m.template, params = m.params, link = m.link FROM messages m WHERE m.id = e.message_id');
    await query('ALTER TABLE emails ALTER COLUMN template SET NOT NULL, ALTER COLUMN params SET NOT NULL');
  },
};
