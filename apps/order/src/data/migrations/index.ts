import type { Migration } from '@emporium/kit';
import { orders } from './0001-orders';
import { refunds } from './0002-refunds';
import { shippingAddress } from './0003-shipping-address';
import { discounts } from './0004-discounts';
import { reductions } from './0005-reductions';

export const migrations: readonly Migration[] = [orders, refunds, shippingAddress, discounts, reductions];
