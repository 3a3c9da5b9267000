import type { Migration } from '@emporium/kit';

export const birthdays: Migration = {
  name: '0004-birthdays',
  async up({ query }) {
    // the member's birthday, as identity said it (user.birthday-set)
    // and its day of the year ('MM-DD', what the daily sweep looks for; to_char is not immutable, so it cannot be an index expression)
    await query(`ALTER TABLE members ADD COLUMN birthday date, ADD COLUMN birthday_md char(5) CHECK (birthday_md ~ '^[01][0-9]-[0-3][0-9]$')`);
    await query('CREATE INDEX members_birthday ON members (birthday_md) WHERE birthday_md IS NOT NULL');
    // one birthday coupon a year: what was given (or why not), so the hourly sweep gives it once
    await query(`
      CREATE TABLE birthday_gifts (
        user_id      uuid        NOT NULL REFERENCES members (user_id),
        year         integer     NOT NULL,
        level        integer     NOT NULL,
        template_id  uuid        NOT NULL,
        coupon_id    uuid,
        refused      text,
        at           timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (user_id, year),
        CHECK ((coupon_id IS NULL) <> (refused IS NULL))
      )`);
  },
};
