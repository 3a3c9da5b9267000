import { z } from 'zod';

/** marketing's own settings beside the kit's. */
export const marketingConfig = {
  DEFAULT_SHIPPING_FEE: z.coerce.number().int().min(0).default(1000).describe("Shipping per shop and order, in minor units, for shops without their own rule"),
  DEFAULT_FREE_SHIPPING_ABOVE: z.coerce.number().int().min(0).default(9900).describe("A shop's subtotal from which shipping is free, for shops without their own rule"),
  DEFAULT_CURRENCY: z.string().regex(/^[A-Z]{3}$/).default('CNY').describe('Currency of the default shipping rule'),
  FLASH_CHECKOUT_GRACE_SECONDS: z.coerce.number().int().min(0).default(900).describe("How long after a flash sale's end its price still holds at checkout; at least inventory's FLASH_HOLD_SECONDS"),
  GROUP_BUY_SWEEP_SECONDS: z.coerce.number().int().min(1).max(3600).default(30).describe("How often groups past their end are looked for, should a GroupBuy actor's reminder not fire"),
  MEMBERSHIP_TIMEOUT_MS: z.coerce.number().int().min(50).max(10_000).default(1_000).describe("How long a quote waits for a buyer's membership terms (level discount, points) before it goes on without them"),
  MEMBERSHIP_RETRY_AFTER_MS: z.coerce.number().int().min(0).max(600_000).default(30_000).describe('After membership did not answer, how long quotes go without asking it again'),
} as const;
