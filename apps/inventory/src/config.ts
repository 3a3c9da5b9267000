import { z } from 'zod';

/** inventory's own settings beside the kit's. */
export const inventoryConfig = {
  RESERVATION_HOLD_SECONDS: z.coerce.number().int().min(1).max(86_400).default(900).describe('How long units stay held for an unpaid order when the caller names no time'),
  EXPIRY_SWEEP_MS: z.coerce.number().int().min(100).default(5_000).describe('How often held reservations past their time go back'),
} as const;
