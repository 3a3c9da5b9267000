import { z } from 'zod';

/** payment's own settings beside the kit's. */
export const paymentConfig = {
  PROVIDER_URL: z.url().default('http://127.0.0.1:3190').describe("The card provider's API"),
  PROVIDER_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000).describe('How long one call to the provider may take'),
  WEBHOOK_URL: z.url().default('http://127.0.0.1:3000/api/v1/webhooks/provider').describe("Where the provider sends its events (the gateway's route to this service)"),
  SECRET_STORE: z.string().default('secretstore').describe('Dapr secret store with the provider keys'),
  PROVIDER_API_KEY_SECRET: z.string().default('payment:provider-api-key').describe('Secret holding the API key'),
  PROVIDER_WEBHOOK_SECRET_SECRET: z.string().default('payment:provider-webhook-secret').describe('Secret holding the webhook signing key'),
  PROVIDER_SECRET_KEY_API: z.string().optional().describe('Key of the API key inside its secret (Kubernetes; defaults to the secret name)'),
  PROVIDER_SECRET_KEY_WEBHOOK: z.string().optional().describe('Key of the webhook key inside its secret (Kubernetes; defaults to the secret name)'),
  WALLET_CURRENCY: z.string().regex(/^[A-Z]{3}$/).default('CNY').describe('The one currency wallets hold (top-ups and wallet payments)'),
} as const;
