import { MarketingInternal } from '@emporium/contracts';
import { groupFailed, groupFormed } from './group-buys';
import type { OrderContext } from './order-context';

/**
 * 主动查询 for group buys, as for payments and refunds: a sub-order waiting for its group
 * `olderThanSeconds` after it was paid asks marketing how its group ended (each at most every
 * `everySeconds`, a batch of those asked longest ago), and a group that formed or failed at least
 * `graceMs` ago (so the question does not race the event on its way) is applied
 * as its event would have been (both act only on sub-orders still waiting, so an event that comes
 * after all changes nothing twice). The chaos suite saw a group-buy.formed lost on MQTT across the
 * broker's restart leave both members of a formed group waiting with nothing to wake them.
 * A group still open is left to its event; a seat that never heard of its order's payment is told
 * (what checkout's last step does). One order whose change fails (inventory away) is tried again on
 * a later look; the others go on.
 */
export async function reconcileGroupResults(ctx: OrderContext, opts: { olderThanSeconds: number; everySeconds: number; graceMs: number }): Promise<{ formed: number; failed: number }> {
  const done = { formed: 0, failed: 0 };
  const orderIds = await ctx.repo.takeGroupChecks(opts.olderThanSeconds, opts.everySeconds, 100);
  if (!orderIds.length) return done;
  const { items } = await ctx.sidecar.call(MarketingInternal.groupOutcomes, { body: { orderIds } });
  const now = Date.now();
  for (const o of items) {
    if (o.outcome === 'waiting' && !o.seatPaid) {
      // paid, yet its seat never heard (checkout's call lost): told now, as checkout would (the same order again changes nothing)
      await ctx.sidecar.call(MarketingInternal.groupSeatPaid, { params: { orderId: o.orderId } }).then(
        () => ctx.logger.warn({ orderId: o.orderId, groupId: o.groupId }, "a paid order's group seat had not heard of its payment: told"),
        (err: unknown) => ctx.logger.warn({ err, orderId: o.orderId, groupId: o.groupId }, "a paid order's group seat could not be told yet: told again later"),
      );
      continue;
    }
    // an end of the last seconds is the event's to bring (it is normally here within one): asked again next time
    if (o.outcome === 'waiting' || !o.decidedAt || now - Date.parse(o.decidedAt) < opts.graceMs) continue;
    try {
      const n = o.outcome === 'formed' ? await groupFormed(ctx, o.groupId, [o.orderId]) : await groupFailed(ctx, o.groupId, [o.orderId], o.reason ?? 'the group did not form');
      if (o.outcome === 'formed') done.formed += n;
      else done.failed += n;
      if (n) ctx.logger.warn({ orderId: o.orderId, groupId: o.groupId, outcome: o.outcome }, "a group's end had not reached its order: applied");
    } catch (err) {
      ctx.logger.warn({ err, orderId: o.orderId, groupId: o.groupId }, "a group's end could not be applied yet: asked again later");
    }
  }
  return done;
}
