import type { EventBus, Logger } from '@emporium/kit';
import type { PlatformEvents } from '@emporium/contracts';
import type { DaprWorkflowClient } from '@dapr/dapr';
import { WorkflowRuntimeStatus } from '@dapr/dapr/workflow/runtime/WorkflowRuntimeStatus';
import type { OrderRepository } from '../data/order-repository';
import { PaymentResultEvent, type PaymentResult } from '../domain/checkout';
import { RefundResultEvent, type RefundResult } from '../domain/refunds';

/**
 * Commission rates come from shop's events, so a checkout never calls shop;
 * payment results reach the order's checkout workflow, and refund results the
 * refund's workflow, as their external events.
 */
/** Raises a payment's or refund's result to the workflow waiting for it; a workflow that is not waiting any more is left alone. */
export function resultRaiser(workflows: () => DaprWorkflowClient, logger: Logger) {
  return async (instanceId: string, event: string, result: PaymentResult | RefundResult, eventId?: string): Promise<boolean> => {
    const state = await workflows().getWorkflowState(instanceId, false);
    // a workflow that ended meanwhile (timed out, cancelled), or none (a refund of a cancelled order), has nobody waiting
    if (!state || (state.runtimeStatus !== WorkflowRuntimeStatus.RUNNING && state.runtimeStatus !== WorkflowRuntimeStatus.PENDING)) {
      logger.info({ instanceId, event, eventId, result: result.status }, 'result for a workflow that is not waiting');
      return false;
    }
    await workflows().raiseEvent(instanceId, event, result);
    // one line per raised result (a few per order): what tells a lost result from one never delivered
    logger.info({ instanceId, event, eventId, result: result.status, runtimeStatus: WorkflowRuntimeStatus[state.runtimeStatus] }, 'result raised');
    return true;
  };
}
export type ResultRaiser = ReturnType<typeof resultRaiser>;

/** Subscribes order's handlers; answers the raiser they use, for the late-result sweep to share. */
export function subscribeOrderEvents(events: EventBus<PlatformEvents>, repo: OrderRepository, workflows: () => DaprWorkflowClient, logger: Logger): ResultRaiser {
  events.subscribe('shop.approved', async ({ data, transaction }) => {
    await repo.setCommission(data.shopId, data.commissionBps, transaction);
  });
  events.subscribe('shop.commission-changed', async ({ data, transaction }) => {
    await repo.setCommission(data.shopId, data.commissionBps, transaction);
  });
  // the workflow calls run outside any transaction (subscribeCalling): a recovering workflow engine
  // must not hold the pool's connections; raising a result twice is harmless (one is waited for)
  const raise = resultRaiser(workflows, logger);
  events.subscribeCalling('payment.succeeded', async ({ id, data }) => {
    await raise(data.orderId, PaymentResultEvent, { status: 'succeeded' }, id);
  });
  events.subscribeCalling('payment.failed', async ({ id, data }) => {
    await raise(data.orderId, PaymentResultEvent, { status: 'failed', reason: data.reason }, id);
  });
  events.subscribeCalling('payment.refunded', async ({ id, data }) => {
    await raise(data.refundId, RefundResultEvent, { status: 'succeeded' }, id);
  });
  events.subscribeCalling('payment.refund-failed', async ({ id, data }) => {
    await raise(data.refundId, RefundResultEvent, { status: 'failed', reason: data.reason }, id);
  });
  return raise;
}
