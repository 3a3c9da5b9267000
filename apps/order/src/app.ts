import { AppIds, type PlatformEvents } from '@emporium/contracts';
import { admit, AdmissionControl, ChangeNotifications, jwksFromIdentity, type ServiceDefinition } from '@emporium/kit';
import { orderConfig } from './config';
import { ORDER_CHANGED, OrderRepository } from './data/order-repository';
import { migrations } from './data/migrations';
import { checkoutWorkflow } from './domain/checkout';
import { autoConfirm, shipmentCreated, shipmentDelivered } from './domain/orders';
import { returnDelivered, returnShipped } from './domain/returns';
import { refundWorkflow } from './domain/refunds';
import { reconcileRefundResults } from './domain/refund-results';
import { reconcileGroupResults } from './domain/group-results';
import { subscribeOrderEvents } from './events/handlers';
import { reconcilePaymentResults } from './domain/payment-results';
import { groupFailed, groupFormed } from './domain/group-buys';
import { orderRoutes } from './routes/order-routes';
import type { OrderContext } from './domain/order-context';

/** order: parent orders and per-shop sub-orders, their state machine, checkout and refunds as workflows. */
export const orderService: ServiceDefinition<typeof orderConfig, PlatformEvents> = {
  appId: AppIds.order,
  schema: 'order',
  migrations,
  config: orderConfig,
  build({ config, db, sidecar, events, logger, metrics, workflowClient }) {
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
      returnWindowDays: config.RETURN_WINDOW_DAYS,
      refundTimeoutSeconds: config.REFUND_TIMEOUT_SECONDS,
    };
    // a checkout is a workflow whose backlog slows every order: past what the platform keeps up with, refused at the door
    const checkoutAdmission = new AdmissionControl({
      name: 'checkout',
      targetMs: config.CHECKOUT_ADMISSION_TARGET_MS,
      minLimit: config.CHECKOUT_ADMISSION_MIN,
      // a fresh process lets 8 in at once and doubles that per round of quick answers (slow start): after a
      // restart every client that waited it out comes back at once, and thirty workflows started together on
      // a process that just started took ~10 s each (chaos, order killed for 15 s), the new checkouts with them.
      // Slow answers bring the limit down by a quarter a second.
      initialLimit: Math.max(config.CHECKOUT_ADMISSION_MIN, 8),
      maxLimit: Math.max(config.CHECKOUT_ADMISSION_MIN, config.CHECKOUT_ADMISSION_MAX),
    });
    // the payment results' raiser, shared by the event handlers and the late-result sweep
    const raise = subscribeOrderEvents(events, repo, workflowClient, logger);
    // a group buy's orders wait for their group: marketing's GroupBuy actor says how it ended
    // their calls to inventory and the workflow engine run outside any transaction (each sub-order's change in one of its own)
    events.subscribeCalling('group-buy.formed', async ({ data }) => {
      const n = await groupFormed(ctx, data.groupId, data.orderIds);
      logger.info({ groupId: data.groupId, subOrders: n }, 'group formed: its sub-orders are paid');
    });
    events.subscribeCalling('group-buy.failed', async ({ data }) => {
      const n = await groupFailed(ctx, data.groupId, data.orderIds, data.reason);
      logger.info({ groupId: data.groupId, subOrders: n }, 'group failed: its sub-orders are refunded');
    });
    // logistics says when goods leave and when they arrive (outbound shipments; returns are after-sales')
    events.subscribe('shipment.created', async ({ data, transaction }) => {
      if (data.purpose === 'outbound') await shipmentCreated(ctx, data, transaction);
      else await returnShipped(ctx, data, transaction);
    });
    events.subscribe('shipment.delivered', async ({ data, transaction }) => {
      if (data.purpose === 'outbound') await shipmentDelivered(ctx, data, transaction);
      else await returnDelivered(ctx, data, transaction);
    });
    return {
      close: () => orderChanges.close(),
      routes: [orderRoutes(ctx, jwksFromIdentity(sidecar), admit(checkoutAdmission, { metrics, logger }))],
      workflows: [checkoutWorkflow(ctx), refundWorkflow(ctx)],
      periodic: [
        {
          name: 'auto-confirm',
          everyMs: config.AUTO_CONFIRM_SWEEP_MS,
          run: async () => {
            const n = await autoConfirm(ctx);
            if (n > 0) logger.info({ subOrders: n }, 'auto-confirmed delivered sub-orders');
          },
        },
        {
          // a payment's result whose event never arrived is asked for (主动查询)
          name: 'payment-results',
          everyMs: config.PAYMENT_RESULT_SWEEP_MS,
          run: async () => {
            await reconcilePaymentResults(ctx, raise, { olderThanSeconds: config.PAYMENT_RESULT_AFTER_SECONDS, everySeconds: config.PAYMENT_RESULT_AFTER_SECONDS, graceMs: config.RESULT_GRACE_MS });
          },
        },
        {
          // the same for an approved refund: its result asked for, or its workflow started if it never was
          name: 'refund-results',
          everyMs: config.PAYMENT_RESULT_SWEEP_MS,
          run: async () => {
            await reconcileRefundResults(ctx, raise, { olderThanSeconds: config.PAYMENT_RESULT_AFTER_SECONDS, everySeconds: config.PAYMENT_RESULT_AFTER_SECONDS, graceMs: config.RESULT_GRACE_MS });
          },
        },
        {
          // and for a group buy's waiting sub-order: how its group ended, asked of marketing should its event be lost
          name: 'group-results',
          everyMs: config.PAYMENT_RESULT_SWEEP_MS,
          run: async () => {
            await reconcileGroupResults(ctx, { olderThanSeconds: config.PAYMENT_RESULT_AFTER_SECONDS, everySeconds: config.PAYMENT_RESULT_AFTER_SECONDS, graceMs: config.RESULT_GRACE_MS });
          },
        },
      ],
    };
  },
};
