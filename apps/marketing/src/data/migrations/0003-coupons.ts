import type { Migration } from '@emporium/kit';

export const coupons: Migration = {
  name: '0003-coupons',
  async up({ query }) {
    // A template's terms (discount, scope, validity as their contract's JSON) and its counters:
    // claimed never passes total (the CHECK backs the claim's conditional UPDATE).
    await query(`
      CREATE TABLE coupon_templates (
        id               uuid        PRIMARY KEY,
        shop_id          uuid,
        name             jsonb       NOT NULL,
        currency         char(3),
        discount         jsonb       NOT NULL,
        min_spend        bigint      CHECK (min_spend > 0),
        scope            jsonb       NOT NULL,
        validity         jsonb       NOT NULL,
        claim_starts_at  timestamptz NOT NULL,
        claim_ends_at    timestamptz NOT NULL CHECK (claim_ends_at > claim_starts_at),
        total            integer     NOT NULL CHECK (total > 0),
        per_user_limit   integer     NOT NULL CHECK (per_user_limit > 0 AND per_user_limit <= total),
        claimed          integer     NOT NULL DEFAULT 0 CHECK (claimed >= 0 AND claimed <= total),
        used             integer     NOT NULL DEFAULT 0 CHECK (used >= 0 AND used <= claimed),
        status           text        NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused')),
        created_by       uuid        NOT NULL,
        created_at       timestamptz NOT NULL DEFAULT now()
      )`);
    await query('CREATE INDEX coupon_templates_by_shop ON coupon_templates (shop_id, created_at DESC)');
    await query('CREATE INDEX coupon_templates_open ON coupon_templates (claim_ends_at) WHERE status = \'active\'');
    // A shopper's coupon: its validity fixed at the claim
    await query(`
      CREATE TABLE coupons (
        id           uuid        PRIMARY KEY,
        template_id  uuid        NOT NULL REFERENCES coupon_templates (id),
        user_id      uuid        NOT NULL,
        valid_from   timestamptz NOT NULL,
        valid_until  timestamptz NOT NULL CHECK (valid_until > valid_from),
        claimed_at   timestamptz NOT NULL DEFAULT now(),
        used_at      timestamptz
      )`);
    await query('CREATE INDEX coupons_by_user ON coupons (user_id, valid_until)');
    await query('CREATE INDEX coupons_by_template_user ON coupons (template_id, user_id)');
  },
};
