import { countBy, moneyOf } from '@emporium/kit';
import type { CheckoutContext } from './order-context';

/** Orders per status, those placed today (UTC), and what paid orders came to per currency. */
export async function orderStats(ctx: CheckoutContext) {
  const [today] = await ctx.db.query<{ n: string }>("SELECT count(*) AS n FROM orders WHERE created_at >= date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'");
  const paid = await ctx.db.query<{ currency: string; total: string }>("SELECT currency, sum(total) AS total FROM orders WHERE status = 'paid' GROUP BY currency ORDER BY currency");
  return {
    orders: await countBy(ctx.db, 'orders', 'status'),
    today: Number(today?.n ?? 0),
    paidTotal: paid.map((p) => moneyOf(p.total, p.currency)),
  };
}
