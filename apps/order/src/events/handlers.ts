import type { EventBus, Logger } from '@emporium/kit';
import type { PlatformEvents } from '@emporium/contracts';
import { WorkflowRuntimeStatus, type DaprWorkflowClient } from '@dapr/dapr';
import type { OrderRepository } from '../data/order-repository';
import { PaymentResultEvent, type PaymentResult } from '../domain/checkout';

/**
 * Commission rates come from shop's events, so a checkout never calls shop;
 * payment results reach the order's checkout workflow as its external event.
 */
export function subscribeOrderEvents(events: EventBus<PlatformEvents>, repo: OrderRepository, workflows: () => DaprWorkflowClient, logger: Logger): void {
  events.subscribe('shop.approved', async ({ data, transaction }) => {
    await repo.setCommission(data.shopId, data.commissionBps, transaction);
  });
  events.subscribe('shop.commission-changed', async ({ data, transaction }) => {
    await repo.setCommission(data.shopId, data.commissionBps, transaction);
  });
  const raise = async (orderId: string, result: PaymentResult) => {
    const state = await workflows().getWorkflowState(orderId, false);
    // an order that ended meanwhile (timed out, cancelled) has nobody waiting
    if (!state || (state.runtimeStatus !== WorkflowRuntimeStatus.RUNNING && state.runtimeStatus !== WorkflowRuntimeStatus.PENDING)) {
      logger.info({ orderId, result: result.status }, 'payment result for a checkout that is no longer waiting');
      return;
    }
    await workflows().raiseEvent(orderId, PaymentResultEvent, result);
  };
  events.subscribe('payment.succeeded', async ({ data }) => {
    await raise(data.orderId, { status: 'succeeded' });
  });
  events.subscribe('payment.failed', async ({ data }) => {
    await raise(data.orderId, { status: 'failed', reason: data.reason });
  });
}
