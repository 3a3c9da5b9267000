import { z } from 'zod';

/** logistics's own settings beside the kit's (see @emporium/kit config). */
export const logisticsConfig = {
  TRACKING_PROVIDER_URL: z.url().default('http://127.0.0.1:3192').describe("The tracking provider's API (the carrier simulator's address in development)"),
  TRACKING_CALLBACK_URL: z.url().default('http://127.0.0.1:3000/api/v1/webhooks/tracking/sim').describe("Where the provider pushes checkpoints (the gateway's route to this service)"),
  TRACKING_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000).describe('How long one call to the provider may take'),
  SECRET_STORE: z.string().default('secretstore').describe("Dapr secret store with the provider's keys"),
  CARRIER_API_KEY_SECRET: z.string().default('logistics:carrier-api-key').describe('Secret holding the API key'),
  CARRIER_WEBHOOK_SECRET_SECRET: z.string().default('logistics:carrier-webhook-secret').describe('Secret holding the callback signing key'),
  CARRIER_SECRET_KEY_API: z.string().optional().describe('Key of the API key inside its secret (Kubernetes; defaults to the secret name)'),
  CARRIER_SECRET_KEY_WEBHOOK: z.string().optional().describe('Key of the signing key inside its secret (Kubernetes; defaults to the secret name)'),
  LOGISTICS_SWEEP_MS: z.coerce.number().int().min(100).default(5_000).describe('How often subscriptions still due and quiet parcels are looked at'),
  LOGISTICS_STALE_SECONDS: z.coerce.number().int().min(1).default(4 * 86_400).describe('A parcel on its way with no news from its carrier this long is stale: the shop is told'),
  LOGISTICS_EXPIRE_SECONDS: z.coerce.number().int().min(1).default(30 * 86_400).describe('A parcel with no news this long has expired (a later checkpoint revives it)'),
} as const;
