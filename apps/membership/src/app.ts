import { AppIds, type PlatformEvents } from '@emporium/contracts';
import { jwksFromIdentity, type ServiceDefinition } from '@emporium/kit';
import { membershipConfig } from './config';
import { migrations } from './data/migrations';
import { MembershipRepository } from './data/membership-repository';
import type { MembershipContext } from './domain/membership-context';
import { earnForSubOrder, expireDuePoints, revokeForRefund } from './domain/points';
import { returnForRefund } from './domain/holds';
import { giveBirthdayCoupons, setBirthday } from './domain/birthdays';
import { membershipRoutes } from './routes/membership-routes';

/** membership: points (lots with expiry, an append-only ledger) and growth value, earned when sub-orders complete. */
export const membershipService: ServiceDefinition<typeof membershipConfig, PlatformEvents> = {
  appId: AppIds.membership,
  schema: 'membership',
  migrations,
  config: membershipConfig,
  build({ config, db, sidecar, events, logger }) {
    const ctx: MembershipContext = {
      db,
      repo: new MembershipRepository(db),
      sidecar,
      events,
      logger,
      rules: { pointsPerYuan: config.POINTS_PER_YUAN, validDays: config.POINTS_VALID_DAYS },
      birthdays: { timeZone: config.BIRTHDAY_TIME_ZONE },
      spend: { pointsPerYuan: config.POINTS_SPEND_PER_YUAN, maxShareBps: config.POINTS_SPEND_MAX_SHARE_BPS, returnValidDays: config.POINTS_RETURN_VALID_DAYS },
    };
    // a completed sub-order earns its buyer points and growth (in the handler's transaction: once per event)
    events.subscribe('sub-order.completed', async ({ data, transaction }) => {
      if (!data.buyerUserId) {
        logger.warn({ subOrderId: data.subOrderId }, 'a completed sub-order without its buyer: no points');
        return;
      }
      const points = await earnForSubOrder(ctx, { userId: data.buyerUserId, orderId: data.orderId, subOrderId: data.subOrderId, keptMinor: (data.kept ?? data.total).amount }, transaction);
      if (points > 0) logger.info({ userId: data.buyerUserId, subOrderId: data.subOrderId, points }, 'points earned');
    });
    // a refunded sub-order gives back its share of the points its order spent (once per refund)
    events.subscribe('sub-order.refunded', async ({ data, transaction }) => {
      const back = await returnForRefund(ctx, { subOrderId: data.subOrderId, refundId: data.refundId, amount: data.amount.amount, full: data.full }, transaction);
      if (back > 0) logger.info({ subOrderId: data.subOrderId, refundId: data.refundId, points: back }, 'points given back after a refund');
      // refunded after it completed (a return): what it earned goes back in proportion
      const revoked = await revokeForRefund(ctx, { subOrderId: data.subOrderId, refundId: data.refundId, amount: data.amount.amount, full: data.full }, transaction);
      if (revoked > 0) logger.info({ subOrderId: data.subOrderId, refundId: data.refundId, points: revoked }, 'earned points taken back after a refund');
    });
    // a paid sub-order's earning rate is fixed now: the best points activity running as it was paid
    events.subscribe('order.paid', async ({ data, transaction }) => {
      await ctx.repo.fixEarnRates(data.subOrders.map((s) => ({ subOrderId: s.subOrderId, shopId: s.shopId })), transaction);
    });
    // a birthday given (once) is kept for the birthday coupon
    events.subscribe('user.birthday-set', async ({ data, transaction }) => {
      await setBirthday(ctx, data.userId, data.birthday, transaction);
    });
    return {
      routes: [membershipRoutes(ctx, jwksFromIdentity(sidecar), db)],
      periodic: [
        {
          name: 'birthday-coupons',
          everyMs: config.BIRTHDAY_SWEEP_MS,
          run: async () => {
            const n = await giveBirthdayCoupons(ctx);
            if (n > 0) logger.info({ coupons: n }, 'birthday coupons given');
          },
        },
        {
          name: 'points-expiry',
          everyMs: config.POINTS_EXPIRY_SWEEP_MS,
          run: async () => {
            const n = await expireDuePoints(ctx);
            if (n > 0) logger.info({ points: n }, 'points expired');
          },
        },
      ],
    };
  },
};
