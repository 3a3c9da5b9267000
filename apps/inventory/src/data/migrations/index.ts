import type { Migration } from '@emporium/kit';
import { stock } from './0001-stock';
import { flashSales } from './0002-flash-sales';
import { availabilitySignal } from './0003-availability-signal';
import { restocks } from './0004-restocks';

export const migrations: readonly Migration[] = [stock, flashSales, availabilitySignal, restocks];
