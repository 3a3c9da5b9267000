import { z } from 'zod';

export const catalogConfig = {
  REDIS_URL: z.string().optional().describe('Redis for the product detail cache (redis://host:port); uncached without it'),
  PRODUCT_CACHE_TTL_SECONDS: z.coerce.number().int().min(1).default(300).describe('How long a cached product detail lives at most'),
  PUBLIC_MAX_AGE_SECONDS: z.coerce
    .number()
    .int()
    .min(0)
    .max(300)
    .default(2)
    .describe("max-age of the storefront's reads asked without credentials (a product, a category's page): the gateway and browsers may give them again this long, so a change shows up to this much later there; 0: not marked"),
} as const;
