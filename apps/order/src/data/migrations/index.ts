import type { Migration } from '@emporium/kit';
import { orders } from './0001-orders';
import { refunds } from './0002-refunds';

export const migrations: readonly Migration[] = [orders, refunds];
