import { z } from 'zod';

/** ISO 4217 currency code, upper case. */
export const CurrencyCode = z
  .string()
  .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as CNY or USD')
  .describe('ISO 4217 currency code');
export type CurrencyCode = z.infer<typeof CurrencyCode>;

/**
 * An amount of money in integer minor units (fen, cents) with its currency.
 * Floats never carry money in Emporium.
 */
export const Money = z
  .object({
    amount: z.number().int().describe('Integer minor units, e.g. 1999 for 19.99'),
    currency: CurrencyCode,
  })
  .strict()
  .describe('Money in integer minor units');
export type Money = z.infer<typeof Money>;

/** Money that may not be negative (prices, totals). */
export const NonNegativeMoney = Money.extend({
  amount: z.number().int().nonnegative().describe('Integer minor units, zero or more'),
})
  .strict()
  .describe('Non-negative money in integer minor units');
export type NonNegativeMoney = z.infer<typeof NonNegativeMoney>;
