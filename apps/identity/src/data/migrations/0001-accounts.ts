import type { Migration } from '@emporium/kit';

export const accounts: Migration = {
  name: '0001-accounts',
  async up({ query }) {
    await query(`
      CREATE TABLE users (
        id             uuid        PRIMARY KEY,
        email          text        UNIQUE,
        phone          text        UNIQUE,
        password_hash  text        NOT NULL,
        display_name   text        NOT NULL,
        locale         text        NOT NULL,
        created_at     timestamptz NOT NULL DEFAULT now(),
        CHECK (email IS NOT NULL OR phone IS NOT NULL),
        CHECK (email = lower(email))
      )`);
    await query(`
      CREATE TABLE memberships (
        user_id     uuid        NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        role        text        NOT NULL,
        scope_id    uuid,
        created_at  timestamptz NOT NULL DEFAULT now()
      )`);
    // one membership per user, role and scope (NULL scope counts as one value)
    await query(`CREATE UNIQUE INDEX memberships_unique ON memberships (user_id, role, coalesce(scope_id, '00000000-0000-0000-0000-000000000000'))`);
    await query(`
      CREATE TABLE refresh_tokens (
        id           uuid        PRIMARY KEY,
        family_id    uuid        NOT NULL,
        user_id      uuid        NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        token_hash   text        NOT NULL UNIQUE,
        expires_at   timestamptz NOT NULL,
        replaced_at  timestamptz,
        revoked_at   timestamptz,
        created_at   timestamptz NOT NULL DEFAULT now()
      )`);
    await query('CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id)');
    await query(`
      CREATE TABLE login_failures (
        key  text        NOT NULL,
        at   timestamptz NOT NULL DEFAULT now()
      )`);
    await query('CREATE INDEX login_failures_key_at ON login_failures (key, at)');
  },
};
