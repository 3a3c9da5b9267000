import { AppIds, type PlatformEvents } from '@emporium/contracts';
import { ChangeNotifications, jwksFromIdentity, type ServiceDefinition } from '@emporium/kit';
import { orderConfig } from './config';
import { ORDER_CHANGED, OrderRepository } from './data/order-repository';
import { migrations } from './data/migrations';
import { checkoutWorkflow } from './domain/checkout';
import { autoConfirm } from './domain/orders';
import { refundWorkflow } from './domain/refunds';
import { subscribeOrderEvents } from './events/handlers';
import { orderRoutes } from './routes/order-routes';
import type { OrderContext } from './domain/order-context';

/** order: parent orders and per-shop sub-orders, their state machine, checkout and refunds as workflows. */
export const orderService: ServiceDefinition<typeof orderConfig, PlatformEvents> = {
  appId: AppIds.order,
  schema: 'order',
  migrations,
  config: orderConfig,
  build({ config, db, sidecar, events, logger, workflowClient }) {
    const repo = new OrderRepository(db);
    const orderChanges = new ChangeNotifications(db.url, ORDER_CHANGED, logger);
    const ctx: OrderContext = {
      db,
      repo,
      sidecar,
      events,
      logger,
      defaultCommissionBps: config.DEFAULT_COMMISSION_BPS,
      workflows: workflowClient,
      orderChanges,
      paymentTimeoutSeconds: config.PAYMENT_TIMEOUT_SECONDS,
      autoConfirmSeconds: config.AUTO_CONFIRM_SECONDS,
      refundTimeoutSeconds: config.REFUND_TIMEOUT_SECONDS,
    };
    subscribeOrderEvents(events, repo, workflowClient, logger);
    return {
      close: () => orderChanges.close(),
      routes: [orderRoutes(ctx, jwksFromIdentity(sidecar))],
      workflows: [checkoutWorkflow(ctx), refundWorkflow(ctx)],
      periodic: [
        {
          name: 'auto-confirm',
          everyMs: config.AUTO_CONFIRM_SWEEP_MS,
          run: async () => {
            const n = await autoConfirm(ctx);
            if (n > 0) logger.info({ subOrders: n }, 'auto-confirmed shipped sub-orders');
          },
        },
      ],
    };
  },
};
