import type { Migration } from '@emporium/kit';
import { shippingRules } from './0001-shipping-rules';
import { flashSales } from './0002-flash-sales';
import { coupons } from './0003-coupons';

export const migrations: readonly Migration[] = [shippingRules, flashSales, coupons];
