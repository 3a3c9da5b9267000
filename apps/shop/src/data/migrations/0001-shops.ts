import type { Migration } from '@emporium/kit';

export const shops: Migration = {
  name: '0001-shops',
  async up({ query }) {
    await query(`
      CREATE TABLE shops (
        id              uuid        PRIMARY KEY,
        owner_user_id   uuid        NOT NULL,
        name            jsonb       NOT NULL,
        description     jsonb       NOT NULL,
        contact_email   text        NOT NULL,
        contact_phone   text        NOT NULL,
        status          text        NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'suspended')),
        status_reason   text,
        commission_bps  integer     NOT NULL CHECK (commission_bps BETWEEN 0 AND 5000),
        account_name    text        NOT NULL,
        bank_name       text        NOT NULL,
        account_number  text        NOT NULL,
        created_at      timestamptz NOT NULL DEFAULT now(),
        updated_at      timestamptz NOT NULL DEFAULT now()
      )`);
    // one open application per merchant at a time
    await query(`CREATE UNIQUE INDEX shops_one_pending_per_owner ON shops (owner_user_id) WHERE status = 'pending'`);
    await query(`
      CREATE TABLE shop_staff (
        shop_id    uuid        NOT NULL REFERENCES shops(id),
        user_id    uuid        NOT NULL,
        role       text        NOT NULL CHECK (role IN ('merchant_owner', 'merchant_staff')),
        joined_at  timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (shop_id, user_id)
      )`);
    await query(`
      CREATE TABLE staff_invitations (
        id           uuid        PRIMARY KEY,
        shop_id      uuid        NOT NULL REFERENCES shops(id),
        email        text        NOT NULL,
        role         text        NOT NULL,
        status       text        NOT NULL CHECK (status IN ('pending', 'accepted', 'revoked')),
        accepted_by  uuid,
        created_at   timestamptz NOT NULL DEFAULT now()
      )`);
    await query(`CREATE UNIQUE INDEX staff_invitations_open ON staff_invitations (shop_id, email) WHERE status = 'pending'`);
  },
};
