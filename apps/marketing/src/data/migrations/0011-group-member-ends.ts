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
    // those refunded before: at their group's end, or their payment (a late payment was refunded as it came)
    await query(`UPDATE group_buy_members m SET refunded_at = coalesce(g.ended_at, m.paid_at, m.joined_at)
                   FROM group_buys g WHERE g.id = m.group_id AND m.status = 'refunded'`);
  },
};
