import type { AppliedCoupon, SubOrderStatus } from '@emporium/contracts';
import { couponsRefundedInFull, unitsRefund } from './refunds';

const kiln = '11111111-1111-4111-8111-111111111111';
const loom = '22222222-2222-4222-8222-222222222222';
const applied = (couponId: string, shopId: string | null): AppliedCoupon => ({
  couponId,
  templateId: couponId,
  shopId,
  fundedBy: shopId ? 'shop' : 'platform',
  name: { en: 'c', 'zh-CN': 'c' },
  discount: { amount: 100, currency: 'CNY' },
  explanation: '',
});

describe('coupons of an order refunded in full', () => {
  const coupons = [applied('shop-coupon', kiln), applied('platform-coupon', null)];

  it('are a shop’s coupon once its shop’s sub-order is refunded, and a platform coupon once every sub-order it took money off is', () => {
    const subs = (kilnStatus: SubOrderStatus, loomStatus: SubOrderStatus, loomShare = '50') => [
      { shopId: kiln, status: kilnStatus, platformDiscount: '50' },
      { shopId: loom, status: loomStatus, platformDiscount: loomShare },
    ];
    expect(couponsRefundedInFull(coupons, subs('REFUNDED', 'PAID'))).toEqual(['shop-coupon']);
    expect(couponsRefundedInFull(coupons, subs('REFUNDED', 'REFUNDED'))).toEqual(['shop-coupon', 'platform-coupon']);
    expect(couponsRefundedInFull(coupons, subs('PAID', 'REFUNDED'))).toEqual([]);
    // loom's sub-order had none of the platform coupon: kiln's refund alone gives it back
    expect(couponsRefundedInFull(coupons, subs('REFUNDED', 'COMPLETED', '0'))).toEqual(['shop-coupon', 'platform-coupon']);
  });
});

describe('unitsRefund', () => {
  it('gives back a line’s net in proportion, rounded so that all its units give back exactly the net', () => {
    // three units that cost 100.00 less 10.01 of discounts: 89.99 net
    const line = { quantity: 3, net: 8_999 };
    const one = unitsRefund(line, 0, 1);
    const two = unitsRefund(line, 1, 1);
    const three = unitsRefund(line, 2, 1);
    expect([one, two, three]).toEqual([2_999, 3_000, 3_000]);
    expect(one + two + three).toBe(8_999);
    expect(unitsRefund(line, 0, 3)).toBe(8_999);
    expect(unitsRefund(line, 1, 2)).toBe(two + three);
  });
});
