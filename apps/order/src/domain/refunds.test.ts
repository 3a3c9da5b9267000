import type { AppliedCoupon, SubOrderStatus } from '@emporium/contracts';
import { couponsRefundedInFull } from './refunds';

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
