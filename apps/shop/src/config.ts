import { z } from 'zod';

export const shopConfig = {
  DEFAULT_COMMISSION_BPS: z.coerce.number().int().min(0).max(5000).default(500).describe('Commission of a newly approved shop, in basis points'),
} as const;
