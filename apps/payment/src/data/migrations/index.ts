import type { Migration } from '@emporium/kit';
import { payments } from './0001-payments';
import { payoutBatches } from './0002-payout-batches';
import { walletAndInvoice } from './0003-wallet-invoice';
import { refunds } from './0004-refunds';
import { promotions } from './0005-promotions';

export const migrations: readonly Migration[] = [payments, payoutBatches, walletAndInvoice, refunds, promotions];
