import { z } from 'zod';

export const catalogConfig = {
  REDIS_URL: z.string().optional().describe('Redis for the product detail cache (redis://host:port); uncached without it'),
  PRODUCT_CACHE_TTL_SECONDS: z.coerce.number().int().min(1).default(300).describe('How long a cached product detail lives at most'),
} as const;
