import type { Migration } from '@emporium/kit';

/**
 * Three kinds of e-mail beside one per message to a user:
 * - digests: a category a user set to hourly or daily waits in the outbox
 *   with the others of its window (`digest`, `next_at` the window's end, the
 *   same for every row of an open window) and goes out as one e-mail;
 * - a shop's: a message to a shop's inbox waits as one row (`shop_id`) that
 *   the sender turns into one row per member of its staff when it is due
 *   (the shop service knows who they are then, not when the event came),
 *   but the member it is about (`except_user_id`: who just joined);
 * - to an address (`address`): someone invited who may have no account.
 * And user tags: each buyer's RFM group as analytics last told
 * (`user_segments`, newest `computed_at` wins), so a broadcast to a tag is
 * stored once and read by whoever is in the tag when they read.
 */
export const digestsStaffTags: Migration = {
  name: '0005-digests-staff-tags',
  async up({ query }) {
    await query("ALTER TABLE preferences ADD COLUMN digest text NOT NULL DEFAULT 'off' CHECK (digest IN ('off', 'hourly', 'daily'))");
    await query(`ALTER TABLE emails
                   ALTER COLUMN user_id DROP NOT NULL,
                   ADD COLUMN category   text,
                   ADD COLUMN digest     text CHECK (digest IN ('hourly', 'daily')),
                   ADD COLUMN shop_id    uuid,
                   ADD COLUMN except_user_id uuid,
                   ADD COLUMN address    text CHECK (length(address) <= 254),
                   ADD COLUMN created_at timestamptz NOT NULL DEFAULT clock_timestamp()`);
    await query('ALTER TABLE emails ADD CONSTRAINT emails_one_recipient CHECK (num_nonnulls(user_id, shop_id, address) = 1)');
    await query('ALTER TABLE emails ADD CONSTRAINT emails_digest_of_user CHECK (digest IS NULL OR user_id IS NOT NULL)');
    await query("CREATE INDEX emails_digest_due ON emails (next_at) WHERE status = 'pending' AND digest IS NOT NULL");
    await query("CREATE INDEX emails_digest_window ON emails (user_id, digest) WHERE status = 'pending' AND digest IS NOT NULL AND attempts = 0");
    await query(`CREATE TABLE user_segments (
                   user_id     uuid        PRIMARY KEY,
                   rfm         text,
                   computed_at timestamptz NOT NULL)`);
    await query('ALTER TABLE broadcasts ADD COLUMN tag text');
    await query('ALTER TABLE broadcasts DROP CONSTRAINT broadcasts_audience_kind_check');
    await query("ALTER TABLE broadcasts ADD CONSTRAINT broadcasts_audience_kind_check CHECK (audience_kind IN ('everyone', 'shoppers', 'merchants', 'company', 'tag'))");
    await query("ALTER TABLE broadcasts ADD CONSTRAINT broadcasts_tag_check CHECK ((audience_kind = 'tag') = (tag IS NOT NULL))");
  },
};
