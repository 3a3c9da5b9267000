import type { Migration } from '@emporium/kit';
import { payments } from './0001-payments';
import { payoutBatches } from './0002-payout-batches';

export const migrations: readonly Migration[] = [payments, payoutBatches];
