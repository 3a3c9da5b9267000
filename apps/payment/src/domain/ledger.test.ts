import type { PaymentSplit } from '@emporium/contracts';
import { commissionOf, grossOf, refundShares, subsidyShare } from './ledger';

const split = (amount: number, platformDiscount?: number): PaymentSplit => ({
  subOrderId: 'sub-1',
  shopId: '11111111-1111-4111-8111-111111111111',
  amount: { amount, currency: 'CNY' },
  commissionBps: 500,
  ...(platformDiscount === undefined ? {} : { platformDiscount: { amount: platformDiscount, currency: 'CNY' } }),
});

describe('a platform coupon in a split', () => {
  it('is paid to the shop on top of the buyer’s money, and commission is taken of both', () => {
    const s = split(9_001, 1_999);
    expect(grossOf(s)).toBe(11_000);
    expect(commissionOf(grossOf(s), s.commissionBps)).toBe(550);
    expect(grossOf(split(9_001))).toBe(9_001);
  });

  it('goes back to promotions in proportion to what is refunded, all of it with the last refund and never a fen more', () => {
    const s = split(9_001, 1_999);
    // refunds of 1, 3,000, 3,000 and the rest, one after another
    let before = 0;
    const backs = [1, 3_000, 3_000, 3_000].map((amount) => {
      const shares = refundShares(s, before, amount);
      before += amount;
      return shares;
    });
    expect(backs.map((b) => b.subsidyBack)).toEqual([0, 666, 666, 667]);
    expect(backs.reduce((a, b) => a + b.subsidyBack, 0)).toBe(1_999);
    expect(backs.reduce((a, b) => a + b.commissionBack, 0)).toBe(550);
    // each refund takes from the shop what it was given for that part: the buyer's refund and the coupon share, less commission
    const fromShop = backs.reduce((a, b, i) => a + [1, 3_000, 3_000, 3_000][i]! + b.subsidyBack - b.commissionBack, 0);
    expect(fromShop).toBe(grossOf(s) - commissionOf(grossOf(s), s.commissionBps));
  });

  it('without a platform coupon, refunds give back the commission as before', () => {
    const s = split(10_000);
    expect(refundShares(s, 0, 999)).toEqual({ commissionBack: 49, subsidyBack: 0 });
    expect(refundShares(s, 999, 9_001)).toEqual({ commissionBack: 451, subsidyBack: 0 });
    expect(subsidyShare(split(0, 0), 0)).toBe(0);
  });
});
