import type { Migration } from '@emporium/kit';

export const birthdays: Migration = {
  name: '0004-birthdays',
  async up({ query }) {
    // a member's birthday (membership gives a birthday coupon by level); set once by the user
    await query('ALTER TABLE users ADD COLUMN birthday date');
  },
};
