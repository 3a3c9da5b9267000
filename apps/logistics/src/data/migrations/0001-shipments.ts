import type { Migration } from '@emporium/kit';

/**
 * Shipments and their parcels. An outbound shipment is one per sub-order
 * (`purpose, reference` unique: the sub-order's id, or for goods coming back
 * the after-sales case's). A parcel keeps its normalised status, the highest
 * rank it reached and the scan time that set it (forward-only moves), and
 * its subscription with the tracking provider as an outbox: subscribed after
 * the shipment commits, tried again with back-off. A tracking number is
 * followed by one parcel at a time while on its way. Checkpoints are kept raw,
 * each once per parcel (named by the provider's id or by code and scan time).
 */
export const shipments: Migration = {
  name: '0001-shipments',
  async up({ query }) {
    await query(`
      CREATE TABLE shipments (
        id             uuid        PRIMARY KEY,
        purpose        text        NOT NULL CHECK (purpose IN ('outbound', 'return')),
        reference      uuid        NOT NULL,
        order_id       uuid        NOT NULL,
        sub_order_id   uuid        NOT NULL,
        shop_id        uuid        NOT NULL,
        buyer_user_id  uuid        NOT NULL,
        created_by     uuid        NOT NULL,
        created_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
        delivered_at   timestamptz,
        UNIQUE (purpose, reference)
      )`);
    await query('CREATE INDEX shipments_shop ON shipments (shop_id, created_at DESC, id DESC)');
    await query('CREATE INDEX shipments_order ON shipments (order_id)');
    await query(`
      CREATE TABLE parcels (
        id                uuid        PRIMARY KEY,
        shipment_id       uuid        NOT NULL REFERENCES shipments (id),
        position          int         NOT NULL,
        carrier           text        NOT NULL,
        tracking_number   text        NOT NULL,
        provider          text        NOT NULL,
        status            text        NOT NULL DEFAULT 'pending',
        exception_kind    text,
        rank              int         NOT NULL DEFAULT 0,
        status_at         timestamptz,
        last_event_at     timestamptz,
        stale_since       timestamptz,
        delivered_at      timestamptz,
        final             boolean     NOT NULL DEFAULT false,
        failed_attempts   int         NOT NULL DEFAULT 0,
        subscribed_at     timestamptz,
        subscribe_attempts int        NOT NULL DEFAULT 0,
        subscribe_due_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
        subscribe_error   text,
        created_at        timestamptz NOT NULL DEFAULT clock_timestamp(),
        UNIQUE (shipment_id, position)
      )`);
    // one parcel on its way per tracking number: a typo or a reused label is refused, a returned waybill may travel again
    await query('CREATE UNIQUE INDEX parcels_on_the_way ON parcels (carrier, tracking_number) WHERE NOT final');
    await query('CREATE INDEX parcels_to_subscribe ON parcels (subscribe_due_at) WHERE subscribed_at IS NULL');
    await query('CREATE INDEX parcels_quiet ON parcels (coalesce(last_event_at, created_at)) WHERE NOT final AND stale_since IS NULL');
    await query(`
      CREATE TABLE tracking_events (
        id              bigserial   PRIMARY KEY,
        parcel_id       uuid        NOT NULL REFERENCES parcels (id),
        dedupe_key      text        NOT NULL,
        provider_event  text,
        code            text        NOT NULL,
        status          text,
        exception_kind  text,
        description     text        NOT NULL,
        location        text,
        occurred_at     timestamptz NOT NULL,
        received_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
        applied         boolean     NOT NULL,
        raw             jsonb       NOT NULL,
        UNIQUE (parcel_id, dedupe_key)
      )`);
    await query('CREATE INDEX tracking_events_parcel ON tracking_events (parcel_id, occurred_at, id)');
  },
};
