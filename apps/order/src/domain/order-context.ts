import type { DaprWorkflowClient } from '@dapr/dapr';
import type { PlatformEvents } from '@emporium/contracts';
import type { ChangeNotifications, Database, EventBus, Logger, Sidecar } from '@emporium/kit';
import type { OrderRepository } from '../data/order-repository';

/** What the checkout saga's activities need. */
export interface CheckoutContext {
  db: Database;
  repo: OrderRepository;
  sidecar: Sidecar;
  events: EventBus<PlatformEvents>;
  logger: Logger;
  defaultCommissionBps: number;
}

/** What order's use-cases need; built once in app.ts. */
export interface OrderContext extends CheckoutContext {
  workflows: () => DaprWorkflowClient;
  /** wakes a checkout waiting for its payment page when the row changes, on any replica (LISTEN/NOTIFY) */
  orderChanges: ChangeNotifications;
  paymentTimeoutSeconds: number;
  autoConfirmSeconds: number;
  /** the return window of a shop without a policy of its own, in days */
  returnWindowDays: number;
  refundTimeoutSeconds: number;
}
