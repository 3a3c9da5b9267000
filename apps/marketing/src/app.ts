import { AppIds, type PlatformEvents } from '@emporium/contracts';
import { jwksFromIdentity, type ServiceDefinition } from '@emporium/kit';
import { marketingConfig } from './config';
import { migrations } from './data/migrations';
import { CouponRepository } from './data/coupon-repository';
import { FlashSaleRepository } from './data/flash-sale-repository';
import { ReductionRepository } from './data/reduction-repository';
import { ShippingRepository } from './data/shipping-repository';
import { marketingRoutes } from './routes/marketing-routes';
import type { MarketingContext } from './domain/marketing-context';
import { rewardLevel, welcomeNewUser } from './domain/coupons';
import { GroupBuyRepository } from './data/group-buy-repository';
import { expireDueGroups, groupBuyActor } from './domain/group-buys';
import { MemberTerms } from './domain/member-terms';

/** marketing: the pricing engine (quotes), shipping rules, flash-sale campaigns, coupons (templates, claiming, holding with an order, use when paid, return on refund by rule), full-reduction and group buys (GroupBuy actor per group). */
export const marketingService: ServiceDefinition<typeof marketingConfig, PlatformEvents> = {
  appId: AppIds.marketing,
  schema: 'marketing',
  migrations,
  config: marketingConfig,
  build({ config, db, sidecar, events, logger }) {
    const ctx: MarketingContext = {
      repo: new ShippingRepository(db),
      flashSales: new FlashSaleRepository(db),
      coupons: new CouponRepository(db),
      reductions: new ReductionRepository(db),
      groupBuys: new GroupBuyRepository(db),
      db,
      events,
      sidecar,
      logger,
      defaults: { fee: config.DEFAULT_SHIPPING_FEE, freeAbove: config.DEFAULT_FREE_SHIPPING_ABOVE, currency: config.DEFAULT_CURRENCY },
      flashCheckoutGraceMs: config.FLASH_CHECKOUT_GRACE_SECONDS * 1000,
      members: new MemberTerms(sidecar, logger, { timeoutMs: config.MEMBERSHIP_TIMEOUT_MS, retryAfterMs: config.MEMBERSHIP_RETRY_AFTER_MS }),
    };
    // a new user gets the platform's welcome coupons
    events.subscribe('user.registered', async ({ data, transaction }) => {
      const given = await welcomeNewUser(ctx, data.userId, transaction);
      if (given) logger.info({ userId: data.userId, given }, 'welcome coupons given');
    });
    // a member who reaches a level gets the platform's coupons for it
    events.subscribe('member.level-changed', async ({ data, transaction }) => {
      const given = await rewardLevel(ctx, data.userId, data.from, data.to, transaction);
      if (given) logger.info({ userId: data.userId, level: data.to, given }, 'level coupons given');
    });
    // a refunded order gives back the coupons whose template says so
    events.subscribe('sub-order.refunded', async ({ data, transaction }) => {
      const back = await ctx.coupons.returnRefunded(data.orderId, data.refundedCouponIds ?? [], transaction);
      if (back.length) logger.info({ orderId: data.orderId, couponIds: back }, 'coupons returned after a full refund');
    });
    return {
      routes: [marketingRoutes(ctx, jwksFromIdentity(sidecar), db)],
      actors: [groupBuyActor({ db, groupBuys: ctx.groupBuys, events, logger })],
      periodic: [
        {
          name: 'group-buy-expiry',
          everyMs: config.GROUP_BUY_SWEEP_SECONDS * 1000,
          run: async () => {
            const n = await expireDueGroups(ctx);
            if (n > 0) logger.warn({ groups: n }, 'groups past their end were failed by the sweep: their reminders did not fire');
          },
        },
      ],
    };
  },
};
