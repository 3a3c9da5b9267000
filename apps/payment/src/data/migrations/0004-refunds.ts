import type { Migration } from '@emporium/kit';

export const refunds: Migration = {
  name: '0004-refunds',
  async up({ query }) {
    await query(`
      CREATE TABLE refunds (
        id                  text        PRIMARY KEY,
        payment_id          uuid        NOT NULL REFERENCES payments(id),
        sub_order_id        text        NOT NULL,
        shop_id             uuid        NOT NULL,
        amount              bigint      NOT NULL CHECK (amount > 0),
        commission_back     bigint      NOT NULL CHECK (commission_back >= 0 AND commission_back <= amount),
        status              text        NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
        reason              text        NOT NULL,
        provider_refund_id  text,
        failure_reason      text,
        created_at          timestamptz NOT NULL DEFAULT now(),
        updated_at          timestamptz NOT NULL DEFAULT now()
      )`);
    await query('CREATE INDEX refunds_by_payment ON refunds (payment_id, sub_order_id)');
  },
};
