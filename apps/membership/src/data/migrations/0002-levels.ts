import type { Migration } from '@emporium/kit';

export const levels: Migration = {
  name: '0002-levels',
  async up({ query }) {
    // the level ladder: reached by growth, each with its benefits; platform admins replace it as a whole
    await query(`
      CREATE TABLE levels (
        level                        integer     PRIMARY KEY CHECK (level BETWEEN 0 AND 9),
        name                         jsonb       NOT NULL,
        min_growth                   bigint      NOT NULL CHECK (min_growth >= 0),
        discount_bps                 integer     NOT NULL CHECK (discount_bps BETWEEN 0 AND 2000),
        free_shipping_above          bigint      CHECK (free_shipping_above >= 0),
        currency                     char(3),
        birthday_coupon_template_id  uuid,
        CHECK ((free_shipping_above IS NULL) = (currency IS NULL))
      )`);
    // a ladder to start from (growth is one per yuan spent)
    await query(`
      INSERT INTO levels (level, name, min_growth, discount_bps, free_shipping_above, currency) VALUES
        (0, '{"zh-CN": "普通会员", "en": "Member"}', 0, 0, NULL, NULL),
        (1, '{"zh-CN": "白银会员", "en": "Silver"}', 500, 100, NULL, NULL),
        (2, '{"zh-CN": "黄金会员", "en": "Gold"}', 2000, 200, 4900, 'CNY'),
        (3, '{"zh-CN": "铂金会员", "en": "Platinum"}', 8000, 300, 0, 'CNY'),
        (4, '{"zh-CN": "钻石会员", "en": "Diamond"}', 20000, 500, 0, 'CNY')`);
    await query('ALTER TABLE members ADD COLUMN level integer NOT NULL DEFAULT 0');
  },
};
