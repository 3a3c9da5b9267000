import { z } from 'zod';

/** analytics' own settings beside the kit's (see @emporium/kit config): a zod shape, each key with a default and a description. */
export const analyticsConfig = {
  ANALYTICS_TIME_ZONE: z.string().min(1).default('Asia/Shanghai').refine((tz) => { try { new Intl.DateTimeFormat('en', { timeZone: tz }); return true; } catch { return false; } }, 'an IANA time zone').describe("The time zone whose calendar days the daily figures use"),
  ANALYTICS_CURRENCY: z.string().regex(/^[A-Z]{3}$/).default('CNY').describe('The currency the figures add up (facts in another are kept, not summed)'),
  ANALYTICS_TAGS_EVERY_MS: z.coerce.number().int().min(1_000).max(86_400_000).default(3_600_000).describe("How often every buyer's RFM group and favourite categories are recomputed from the facts"),
} as const satisfies z.ZodRawShape;
