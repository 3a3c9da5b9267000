import type { Money } from '@emporium/contracts';

/**
 * Money from a row's columns, the one mapper every repository uses:
 * PostgreSQL's bigint and numeric arrive as strings and char(3) currencies
 * padded. An amount that is not a safe integer is a broken row, never a
 * float carried on.
 */
export function moneyOf(amount: string | number | bigint, currency: string): Money {
  const n = typeof amount === 'number' ? amount : Number(amount);
  if (!Number.isSafeInteger(n)) throw new Error(`money amount ${String(amount)} is not a safe integer of minor units`);
  return { amount: n, currency: currency.trim() };
}
