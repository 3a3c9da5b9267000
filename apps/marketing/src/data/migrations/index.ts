import type { Migration } from '@emporium/kit';
import { shippingRules } from './0001-shipping-rules';

export const migrations: readonly Migration[] = [shippingRules];
