import { commissionOf } from './ledger';

describe('commission', () => {
  it('is rounded down in basis points', () => {
    expect([commissionOf(10_000, 500), commissionOf(999, 500), commissionOf(12_345, 0), commissionOf(1, 5000)]).toEqual([500, 49, 0, 0]);
  });
});
