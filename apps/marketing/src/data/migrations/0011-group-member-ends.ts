import type { Migration } from '@emporium/kit';

/**
 * When a member's payment was given back (its group failed, or the payment came too late for it):
 * order asks how a waiting sub-order's group ended only once its end is some seconds old, so that
 * the group's event, on its way, is not raced by the question.
 */
export const groupMemberEnds: Migration = {
  name: '0011-group-member-ends',
  async up({ query }) {
    await query('ALTER TABLE group_buy_members ADD COLUMN refunded_at timestamptz');
  },
};
