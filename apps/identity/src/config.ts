import { z } from 'zod';

/** identity's own settings beside the kit's (see @emporium/kit config). */
export const identityConfig = {
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(3600).default(900).describe('Lifetime of an access token'),
  REFRESH_TOKEN_TTL_DAYS: z.coerce.number().int().min(1).max(90).default(30).describe('Lifetime of a session without use'),
  REFRESH_REUSE_GRACE_SECONDS: z.coerce
    .number()
    .int()
    .min(0)
    .max(60)
    .default(10)
    .describe('A refresh token presented again this soon after its rotation gets a new pair instead of ending the session (parallel page loads race to refresh)'),
  LOGIN_WINDOW_SECONDS: z.coerce.number().int().min(60).default(900).describe('Window in which failed log-ins are counted'),
  LOGIN_MAX_FAILURES_PER_ACCOUNT: z.coerce.number().int().min(1).default(5).describe('Failed log-ins per account in the window before 429'),
  LOGIN_MAX_FAILURES_PER_ADDRESS: z.coerce.number().int().min(1).default(30).describe('Failed log-ins per client address in the window before 429'),
  SIGNING_KEY_SECRET: z.string().default('identity:jwt-private-key').describe('Name of the secret holding the Ed25519 private key (PEM)'),
  SIGNING_KEY_SECRET_KEY: z
    .string()
    .optional()
    .describe('Key inside that secret; defaults to its name (local file store). In Kubernetes a Secret holds several keys'),
  SECRET_STORE: z.string().default('secretstore').describe('Dapr secret store holding the signing key'),
  SCRYPT_COST: z.coerce.number().int().min(1024).default(16384).describe('scrypt N for password hashes (a power of two)'),
} as const;
