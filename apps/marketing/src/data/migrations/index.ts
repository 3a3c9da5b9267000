import type { Migration } from '@emporium/kit';
import { shippingRules } from './0001-shipping-rules';
import { flashSales } from './0002-flash-sales';
import { coupons } from './0003-coupons';
import { couponReservations } from './0004-coupon-reservations';
import { couponReturns } from './0005-coupon-returns';
import { couponDistribution } from './0006-coupon-distribution';
import { reductions } from './0007-reductions';
import { groupBuys } from './0008-group-buys';
import { levelCoupons } from './0009-level-coupons';
import { flashSaleStacking } from './0010-flash-sale-stacking';
import { groupMemberEnds } from './0011-group-member-ends';

export const migrations: readonly Migration[] = [shippingRules, flashSales, coupons, couponReservations, couponReturns, couponDistribution, reductions, groupBuys, levelCoupons, flashSaleStacking, groupMemberEnds];
