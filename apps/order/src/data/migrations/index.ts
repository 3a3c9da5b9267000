import type { Migration } from '@emporium/kit';
import { orders } from './0001-orders';
import { refunds } from './0002-refunds';
import { shippingAddress } from './0003-shipping-address';
import { discounts } from './0004-discounts';
import { reductions } from './0005-reductions';
import { groupBuys } from './0006-group-buys';
import { memberBenefits } from './0007-member-benefits';
import { refundLines } from './0008-refund-lines';
import { delivery } from './0009-delivery';
import { returns } from './0010-returns';
import { paymentChecks } from './0011-payment-checks';
import { refundChecks } from './0012-refund-checks';
import { groupChecks } from './0013-group-checks';

export const migrations: readonly Migration[] = [orders, refunds, shippingAddress, discounts, reductions, groupBuys, memberBenefits, refundLines, delivery, returns, paymentChecks, refundChecks, groupChecks];
