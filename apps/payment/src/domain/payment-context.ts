import type { PlatformEvents } from '@emporium/contracts';
import type { Database, EventBus, Logger } from '@emporium/kit';
import type { LedgerRepository } from '../data/ledger-repository';
import type { PaymentRepository } from '../data/payment-repository';
import type { RefundRepository } from '../data/refund-repository';
import type { ProviderClient } from './provider';

/** What payment's use-cases need; built once in app.ts. */
export interface PaymentContext {
  db: Database;
  payments: PaymentRepository;
  refunds: RefundRepository;
  ledger: LedgerRepository;
  events: EventBus<PlatformEvents>;
  provider: ProviderClient;
  logger: Logger;
  webhookUrl: string;
  /** the one currency wallets hold */
  walletCurrency: string;
}
