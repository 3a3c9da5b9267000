import { z } from 'zod';

/** membership's own settings beside the kit's (see @emporium/kit config): a zod shape, each key with a default and a description. */
export const membershipConfig = {
  POINTS_PER_YUAN: z.coerce.number().int().min(0).max(100).default(1).describe('Points a completed sub-order earns per whole yuan its buyer paid and kept'),
  POINTS_VALID_DAYS: z.coerce.number().int().min(1).max(3650).default(365).describe('Days a lot of points lasts from the day it is earned or added'),
  POINTS_EXPIRY_SWEEP_MS: z.coerce.number().int().min(100).max(86_400_000).default(60_000).describe('How often lots past their expiry are looked for'),
  POINTS_SPEND_PER_YUAN: z.coerce.number().int().min(1).max(10_000).default(100).describe('Points worth one yuan (100 minor units) at checkout; points are spent in whole yuan'),
  POINTS_SPEND_MAX_SHARE_BPS: z.coerce.number().int().min(0).max(10_000).default(5_000).describe('The largest share of the goods (after the other discounts) points may pay, in basis points'),
  POINTS_RETURN_VALID_DAYS: z.coerce.number().int().min(1).max(3650).default(30).describe('Days points given back (an unpaid order, a refund) last when the lot they came from has expired meanwhile'),
  BIRTHDAY_TIME_ZONE: z.string().min(1).default('Asia/Shanghai').refine((tz) => { try { new Intl.DateTimeFormat('en', { timeZone: tz }); return true; } catch { return false; } }, 'an IANA time zone').describe("The time zone whose calendar day decides whose birthday it is"),
  BIRTHDAY_SWEEP_MS: z.coerce.number().int().min(100).max(86_400_000).default(3_600_000).describe('How often members whose birthday is today are looked for (each gets one birthday coupon a year)'),
} as const satisfies z.ZodRawShape;
