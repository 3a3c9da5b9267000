import type { Migration } from '@emporium/kit';
import { shippingRules } from './0001-shipping-rules';
import { flashSales } from './0002-flash-sales';

export const migrations: readonly Migration[] = [shippingRules, flashSales];
