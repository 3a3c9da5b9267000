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
import { welcomeNewUser } from './domain/coupons';

/** marketing: the pricing engine (quotes), shipping rules, flash-sale campaigns and coupons (templates, claiming, holding with an order, use when paid, return on refund by rule). */
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
      sidecar,
      logger,
      defaults: { fee: config.DEFAULT_SHIPPING_FEE, freeAbove: config.DEFAULT_FREE_SHIPPING_ABOVE, currency: config.DEFAULT_CURRENCY },
      flashCheckoutGraceMs: config.FLASH_CHECKOUT_GRACE_SECONDS * 1000,
    };
    // a new user gets the platform's welcome coupons
    events.subscribe('user.registered', async ({ data, transaction }) => {
      const given = await welcomeNewUser(ctx, data.userId, transaction);
      if (given) logger.info({ userId: data.userId, given }, 'welcome coupons given');
    });
    // a refunded order gives back the coupons whose template says so
    events.subscribe('sub-order.refunded', async ({ data, transaction }) => {
      const back = await ctx.coupons.returnRefunded(data.orderId, data.refundedCouponIds ?? [], transaction);
      if (back.length) logger.info({ orderId: data.orderId, couponIds: back }, 'coupons returned after a full refund');
    });
    return { routes: [marketingRoutes(ctx, jwksFromIdentity(sidecar), db)] };
  },
};
