import { moneyOf } from './money';

describe('moneyOf', () => {
  it('when a row carries bigint as a string and a padded currency, then money comes out exact', () => {
    expect(moneyOf('9007199254740991', 'CNY')).toEqual({ amount: 9_007_199_254_740_991, currency: 'CNY' });
    expect(moneyOf(1999, 'USD ')).toEqual({ amount: 1999, currency: 'USD' });
    expect(moneyOf(-500n, 'CNY')).toEqual({ amount: -500, currency: 'CNY' });
  });

  it('when an amount is fractional or beyond a safe integer, then it is refused rather than rounded', () => {
    expect(() => moneyOf('19.99', 'CNY')).toThrow(/safe integer/);
    expect(() => moneyOf('9007199254740993', 'CNY')).toThrow(/safe integer/);
    expect(() => moneyOf('abc', 'CNY')).toThrow(/safe integer/);
  });
});
