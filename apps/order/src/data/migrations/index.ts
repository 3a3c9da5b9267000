import type { Migration } from '@emporium/kit';
import { orders } from './0001-orders';

export const migrations: readonly Migration[] = [orders];
