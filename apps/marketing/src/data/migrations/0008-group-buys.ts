import type { Migration } from '@emporium/kit';

export const groupBuys: Migration = {
  name: '0008-group-buys',
  async up({ query }) {
    // a shop's group-buy campaigns (拼团): one SKU at a group price for groups of group_size
    await query(`
      CREATE TABLE group_buy_campaigns (
        id              uuid        PRIMARY KEY,
        shop_id         uuid        NOT NULL,
        product_id      uuid        NOT NULL,
        sku_id          uuid        NOT NULL,
        title           jsonb       NOT NULL,
        group_size      integer     NOT NULL CHECK (group_size BETWEEN 2 AND 50),
        price           bigint      NOT NULL CHECK (price > 0),
        list_price      bigint      NOT NULL CHECK (list_price > price),
        currency        char(3)     NOT NULL,
        open_seconds    integer     NOT NULL CHECK (open_seconds > 0),
        per_user_limit  integer     NOT NULL CHECK (per_user_limit > 0),
        starts_at       timestamptz NOT NULL,
        ends_at         timestamptz NOT NULL CHECK (ends_at > starts_at),
        status          text        NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused')),
        created_by      uuid        NOT NULL,
        created_at      timestamptz NOT NULL DEFAULT now()
      )`);
    await query('CREATE INDEX group_buy_campaigns_by_product ON group_buy_campaigns (product_id, ends_at)');
    await query('CREATE INDEX group_buy_campaigns_by_shop ON group_buy_campaigns (shop_id, created_at DESC)');
    // one group; written only in its GroupBuy actor's turns
    await query(`
      CREATE TABLE group_buys (
        id           uuid        PRIMARY KEY,
        campaign_id  uuid        NOT NULL REFERENCES group_buy_campaigns (id),
        size         integer     NOT NULL,
        status       text        NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'formed', 'failed')),
        opened_at    timestamptz NOT NULL DEFAULT now(),
        expires_at   timestamptz NOT NULL,
        ended_at     timestamptz,
        CHECK ((status = 'open') = (ended_at IS NULL))
      )`);
    await query(`CREATE INDEX group_buys_open ON group_buys (campaign_id, expires_at) WHERE status = 'open'`);
    await query(`CREATE INDEX group_buys_due ON group_buys (expires_at) WHERE status = 'open'`);
    // a seat, one per order: held while its checkout pays, then paid; released when the checkout ends unpaid;
    // refunded when it was paid but the group failed (or formed without it)
    await query(`
      CREATE TABLE group_buy_members (
        order_id     uuid        PRIMARY KEY,
        group_id     uuid        NOT NULL REFERENCES group_buys (id),
        campaign_id  uuid        NOT NULL REFERENCES group_buy_campaigns (id),
        user_id      uuid        NOT NULL,
        quantity     integer     NOT NULL CHECK (quantity > 0),
        leader       boolean     NOT NULL,
        status       text        NOT NULL DEFAULT 'held' CHECK (status IN ('held', 'paid', 'released', 'refunded')),
        hold_until   timestamptz NOT NULL,
        joined_at    timestamptz NOT NULL DEFAULT now(),
        paid_at      timestamptz
      )`);
    await query('CREATE INDEX group_buy_members_by_group ON group_buy_members (group_id)');
    await query('CREATE INDEX group_buy_members_by_user ON group_buy_members (user_id, joined_at DESC)');
    await query('CREATE INDEX group_buy_members_by_campaign_user ON group_buy_members (campaign_id, user_id)');
  },
};
