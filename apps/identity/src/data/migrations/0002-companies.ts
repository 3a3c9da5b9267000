import type { Migration } from '@emporium/kit';

export const companies: Migration = {
  name: '0002-companies',
  async up({ query }) {
    await query(`
      CREATE TABLE companies (
        id                uuid        PRIMARY KEY,
        name              text        NOT NULL,
        tax_id            text        NOT NULL UNIQUE,
        contact_email     text        NOT NULL,
        contact_phone     text,
        address           text        NOT NULL,
        status            text        NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
        rejection_reason  text,
        admin_user_id     uuid        NOT NULL REFERENCES users(id),
        created_at        timestamptz NOT NULL DEFAULT now(),
        decided_at        timestamptz
      )`);
    await query(`
      CREATE TABLE company_invitations (
        id                 uuid        PRIMARY KEY,
        company_id         uuid        NOT NULL REFERENCES companies(id),
        email              text        NOT NULL,
        limit_amount       bigint      NOT NULL CHECK (limit_amount >= 0),
        limit_currency     char(3)     NOT NULL,
        status             text        NOT NULL CHECK (status IN ('pending', 'accepted', 'revoked')),
        created_at         timestamptz NOT NULL DEFAULT now(),
        accepted_by        uuid        REFERENCES users(id)
      )`);
    await query(`CREATE UNIQUE INDEX company_invitations_open ON company_invitations (company_id, email) WHERE status = 'pending'`);
    await query(`
      CREATE TABLE company_buyers (
        company_id      uuid        NOT NULL REFERENCES companies(id),
        user_id         uuid        NOT NULL REFERENCES users(id),
        limit_amount    bigint      NOT NULL CHECK (limit_amount >= 0),
        limit_currency  char(3)     NOT NULL,
        joined_at       timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (company_id, user_id)
      )`);
  },
};
