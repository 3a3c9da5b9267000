import { z } from 'zod';

/** The simulator's settings; the only place it reads process.env. */
const Config = z.object({
  PORT: z.coerce.number().int().default(3190).describe('Port of the API and the hosted page'),
  HOST: z.string().default('127.0.0.1'),
  PROVIDER_API_KEY: z.string().min(16).describe('Bearer key the payment service sends'),
  PROVIDER_WEBHOOK_SECRET: z.string().min(16).describe('HMAC key of webhook signatures'),
  PROVIDER_WEBHOOK_URL: z.url().optional().describe('Where webhooks go when a payment names none'),
  PROVIDER_PUBLIC_URL: z.url().optional().describe('Address shoppers reach the hosted page at'),
  PROVIDER_DELAY_MS: z.coerce.number().int().min(0).default(3000).describe('How long the delayed test card takes'),
  PROVIDER_RETRY_MS: z.coerce.number().int().min(10).default(500).describe('First wait before a failed webhook is sent again (doubling)'),
});

export function loadConfig(env: NodeJS.ProcessEnv = process.env) {
  return Config.parse(env);
}
