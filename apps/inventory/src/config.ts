import { z } from 'zod';

/** inventory's own settings beside the kit's. */
export const inventoryConfig = {
  RESERVATION_HOLD_SECONDS: z.coerce.number().int().min(1).max(86_400).default(900).describe('How long units stay held for an unpaid order when the caller names no time'),
  EXPIRY_SWEEP_MS: z.coerce.number().int().min(100).default(5_000).describe('How often held reservations past their time go back'),
  FLASH_HOLD_SECONDS: z.coerce.number().int().min(1).max(3_600).default(300).describe("How long a shopper's flash-sale units stay held before checkout"),
  FLASH_BATCH_MS: z.coerce.number().int().min(0).max(100).default(2).describe('How long hold requests for one flash sale are collected into one actor turn (one state write)'),
  FLASH_PIPELINE: z.coerce.number().int().min(1).max(8).default(1).describe('Hold batches for one flash sale on their way to its actor at once (turns still run one at a time); 2 measured slower on the 2-core machine'),
  FLASH_SOLD_OUT_RECHECK_MS: z.coerce.number().int().min(10).max(60_000).default(1_000).describe('While a flash sale is sold out, refusals come from a cached flag; one request per this interval asks the actor again'),
  FLASH_SWEEP_SECONDS: z.coerce.number().int().min(1).max(3_600).default(10).describe("How often a flash sale's reminder gives back expired holds"),
} as const;
