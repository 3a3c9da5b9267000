import type { Migration } from '@emporium/kit';
import { stock } from './0001-stock';
import { flashSales } from './0002-flash-sales';

export const migrations: readonly Migration[] = [stock, flashSales];
