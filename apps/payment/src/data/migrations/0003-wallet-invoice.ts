import type { Migration } from '@emporium/kit';

export const walletAndInvoice: Migration = {
  name: '0003-wallet-invoice',
  async up({ query }) {
    await query('ALTER TABLE payments DROP CONSTRAINT payments_method_check');
    await query(`ALTER TABLE payments ADD CONSTRAINT payments_method_check CHECK (method IN ('card', 'wallet', 'invoice'))`);
    // a payment pays an order, or tops up the buyer's wallet (order_id then names the top-up)
    await query(`ALTER TABLE payments ADD COLUMN purpose text NOT NULL DEFAULT 'order' CHECK (purpose IN ('order', 'top-up'))`);
    await query('ALTER TABLE payments ADD COLUMN company_id uuid');
    await query(`ALTER TABLE payments ADD COLUMN company_role text CHECK (company_role IN ('admin', 'buyer'))`);
    await query('ALTER TABLE payments ADD COLUMN due_at timestamptz');
    await query('ALTER TABLE payments ADD COLUMN settled_at timestamptz');
    await query(`CREATE INDEX payments_invoices ON payments (company_id, created_at DESC) WHERE method = 'invoice'`);
    await query('ALTER TABLE ledger_postings DROP CONSTRAINT ledger_postings_kind_check');
    await query(`ALTER TABLE ledger_postings ADD CONSTRAINT ledger_postings_kind_check CHECK (kind IN ('capture', 'split', 'release', 'payout', 'refund', 'top-up', 'settle'))`);
    // what payment knows of companies, from identity's events
    await query(`
      CREATE TABLE companies (
        company_id  uuid        PRIMARY KEY,
        approved    boolean     NOT NULL,
        updated_at  timestamptz NOT NULL DEFAULT now()
      )`);
    await query(`
      CREATE TABLE company_buyers (
        company_id      uuid        NOT NULL,
        user_id         uuid        NOT NULL,
        limit_amount    bigint      NOT NULL CHECK (limit_amount >= 0),
        limit_currency  char(3)     NOT NULL,
        updated_at      timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (company_id, user_id)
      )`);
    await query(`
      CREATE TABLE invoice_terms (
        company_id    uuid        PRIMARY KEY,
        currency      char(3)     NOT NULL,
        credit_limit  bigint      NOT NULL CHECK (credit_limit >= 0),
        term_days     integer     NOT NULL CHECK (term_days > 0),
        updated_by    uuid        NOT NULL,
        updated_at    timestamptz NOT NULL DEFAULT now()
      )`);
  },
};
