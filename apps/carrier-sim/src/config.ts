import { z } from 'zod';

/** The simulator's settings; the only place it reads process.env. */
const Config = z.object({
  PORT: z.coerce.number().int().default(3192).describe('Port of the API'),
  HOST: z.string().default('127.0.0.1'),
  CARRIER_API_KEY: z.string().min(16).describe('Bearer key logistics sends'),
  CARRIER_WEBHOOK_SECRET: z.string().min(16).describe('HMAC key of callback signatures'),
  CARRIER_STEP_MS: z.coerce.number().int().min(10).default(10_000).describe("Time between a parcel's checkpoints (a whole journey is about six steps)"),
  CARRIER_RETRY_MS: z.coerce.number().int().min(10).default(500).describe('First wait before a failed callback is sent again (doubling)'),
});

export function loadConfig(env: NodeJS.ProcessEnv = process.env) {
  return Config.parse(env);
}
