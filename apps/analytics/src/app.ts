import { AppIds, type PlatformEvents, type ProductSnapshot } from '@emporium/contracts';
import { jwksFromIdentity, type ServiceDefinition, type Transaction } from '@emporium/kit';
import { analyticsConfig } from './config';
import { migrations } from './data/migrations';
import { AnalyticsRepository } from './data/analytics-repository';
import type { AnalyticsContext } from './domain/analytics-context';
import { recomputeTags } from './domain/figures';
import { analyticsRoutes } from './routes/analytics-routes';

/**
 * analytics: facts from the platform's events (orders paid, refunded and
 * completed; shops approved; products as catalog publishes them) and from web
 * (product views and carts by session), daily aggregates per shop and for the
 * platform, RFM tags per buyer and recommendations from co-purchases.
 */
export const analyticsService: ServiceDefinition<typeof analyticsConfig, PlatformEvents> = {
  appId: AppIds.analytics,
  schema: 'analytics',
  migrations,
  config: analyticsConfig,
  build({ config, db, sidecar, events, logger }) {
    const repo = new AnalyticsRepository(db, config.ANALYTICS_TIME_ZONE, config.ANALYTICS_CURRENCY);
    const ctx: AnalyticsContext = { db, repo, sidecar, events, logger, currency: config.ANALYTICS_CURRENCY };
    const product = (p: ProductSnapshot, published: boolean, t: Transaction) =>
      repo.putProduct(
        { productId: p.id, shopId: p.shopId, categoryId: p.categoryId, categoryPath: p.categoryPath, name: p.name, image: p.images[0] ?? null, minPrice: p.minPrice?.amount ?? null, currency: p.currency, published, version: new Date(p.updatedAt) },
        t,
      );
    events.subscribe('product.published', ({ data, transaction }) => product(data.product, true, transaction));
    events.subscribe('product.updated', ({ data, transaction }) => product(data.product, true, transaction));
    events.subscribe('product.unpublished', ({ data, transaction }) => product(data.product, false, transaction));
    events.subscribe('shop.approved', async ({ data, transaction }) => {
      if (await repo.putShop({ shopId: data.shopId, name: data.name, approvedAt: new Date(data.occurredAt), suspended: false }, transaction)) await repo.addNewShop(new Date(data.occurredAt), transaction);
    });
    events.subscribe('shop.suspended', ({ data, transaction }) => repo.putShop({ shopId: data.shopId, suspended: true }, transaction).then(() => undefined));
    events.subscribe('shop.resumed', ({ data, transaction }) => repo.putShop({ shopId: data.shopId, suspended: false }, transaction).then(() => undefined));
    events.subscribe('order.paid', async ({ data, transaction }) => {
      for (const s of data.subOrders) {
        await repo.addPaid(
          {
            subOrderId: s.subOrderId,
            orderId: data.orderId,
            shopId: s.shopId,
            buyerUserId: data.buyerUserId,
            amount: s.total.amount,
            currency: s.total.currency,
            paidAt: new Date(data.occurredAt),
            lines: (s.lines ?? []).map((l) => ({ productId: l.productId, skuId: l.skuId, quantity: l.quantity, amount: l.paid.amount })),
          },
          transaction,
        );
      }
    });
    events.subscribe('sub-order.refunded', async ({ data, transaction }) => {
      await repo.addRefund({ refundId: data.refundId, subOrderId: data.subOrderId, shopId: data.shopId, amount: data.amount.amount, currency: data.amount.currency, at: new Date(data.occurredAt) }, transaction);
    });
    events.subscribe('sub-order.completed', async ({ data, transaction }) => {
      await repo.addCompletion({ subOrderId: data.subOrderId, shopId: data.shopId, at: new Date(data.occurredAt) }, transaction);
    });
    return {
      routes: [analyticsRoutes(ctx, jwksFromIdentity(sidecar))],
      periodic: [
        {
          name: 'user-tags',
          everyMs: config.ANALYTICS_TAGS_EVERY_MS,
          firstAfterMs: 5_000,
          run: async () => logger.info({ users: await recomputeTags(ctx) }, 'user tags recomputed'),
        },
      ],
    };
  },
};
