import { z } from 'zod';

/** cart's own settings beside the kit's. */
export const cartConfig = {
  GUEST_CART_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(30).describe('A guest cart untouched this long is dropped by the state store'),
  MAX_CART_LINES: z.coerce.number().int().min(1).max(500).default(100).describe('Most lines one cart holds'),
} as const;
