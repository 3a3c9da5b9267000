import type { Migration } from '@emporium/kit';

export const pointsActivities: Migration = {
  name: '0005-points-activities',
  async up({ query }) {
    // points activities (积分活动): sub-orders paid in the window earn their points multiplied
    await query(`
      CREATE TABLE points_activities (
        id                  uuid        PRIMARY KEY,
        name                jsonb       NOT NULL,
        multiplier_percent  integer     NOT NULL CHECK (multiplier_percent BETWEEN 101 AND 1000),
        shop_id             uuid,
        starts_at           timestamptz NOT NULL,
        ends_at             timestamptz NOT NULL CHECK (ends_at > starts_at),
        created_by          uuid        NOT NULL,
        created_at          timestamptz NOT NULL DEFAULT now()
      )`);
    await query('CREATE INDEX points_activities_window ON points_activities (starts_at, ends_at)');
    // the rate a sub-order earns at, fixed when it was paid (the best activity running then)
    await query(`
      CREATE TABLE earn_rates (
        sub_order_id        uuid        PRIMARY KEY,
        activity_id         uuid        NOT NULL REFERENCES points_activities (id),
        multiplier_percent  integer     NOT NULL,
        at                  timestamptz NOT NULL DEFAULT now()
      )`);
  },
};
