import { Money, NonNegativeMoney } from './money';

describe('Money', () => {
  it('when the amount is a float or the currency is not ISO 4217, then it is refused', () => {
    expect(Money.safeParse({ amount: 1999, currency: 'CNY' }).success).toBe(true);
    expect(Money.safeParse({ amount: 19.99, currency: 'CNY' }).success).toBe(false);
    expect(Money.safeParse({ amount: 100, currency: 'yuan' }).success).toBe(false);
    expect(NonNegativeMoney.safeParse({ amount: -1, currency: 'USD' }).success).toBe(false);
  });
});
