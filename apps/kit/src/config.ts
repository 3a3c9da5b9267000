import { z } from 'zod';

/**
 * Settings every kit service reads. Each key has a description and a default
 * where one makes sense; `loadConfig` is the only code that reads process.env.
 */
export const baseConfigShape = {
  APP_ID: z.string().min(1).describe('Dapr app-id of this service'),
  APP_PORT: z.coerce.number().int().min(0).max(65535).default(3000).describe('Port the service listens on'),
  APP_HOST: z.string().default('127.0.0.1').describe('Address the service listens on'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info').describe('pino log level'),
  DATABASE_URL: z
    .url()
    .default('postgres://postgres@127.0.0.1:5432/emporium')
    .describe('PostgreSQL connection; the service uses its own schema inside it'),
  DATABASE_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/)
    .optional()
    .describe("Overrides the service's own schema name (two instances side by side in tests)"),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).default(5).describe('Most database connections this process holds'),
  DAPR_HOST: z.string().default('127.0.0.1').describe('Address of the Dapr sidecar'),
  DAPR_HTTP_PORT: z.coerce.number().int().default(3500).describe('Sidecar HTTP API port'),
  DAPR_GRPC_PORT: z.coerce.number().int().default(50001).describe('Sidecar gRPC API port (workflows)'),
  DAPR_API_TOKEN: z.string().optional().describe('Token the service sends to its sidecar (dapr-api-token)'),
  APP_API_TOKEN: z.string().optional().describe('Token the sidecar must send to the service (dapr-api-token header)'),
  EVENT_NAMESPACE: z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,31}$/)
    .optional()
    .describe('Prefix of every topic on the wire (`<namespace>.<topic>`), so a test or benchmark platform never shares a broker queue with the developer\'s own'),
  IDEMPOTENCY_LEASE_MS: z.coerce
    .number()
    .int()
    .min(1_000)
    .max(120_000)
    .default(10_000)
    .describe("How long an Idempotency-Key stays held by a request that stopped renewing it (its process died): the client's retry then takes it over; a live request renews it every third of this"),
  WORKFLOW_RETRY_BUDGET_SECONDS: z.coerce
    .number()
    .int()
    .min(0)
    .max(3_600)
    .default(60)
    .describe('How long a workflow step that failed because a peer, its sidecar or the database could not be reached is tried again (exponential back-off) before its workflow compensates: longer than a pod restart, so an outage is a delay, not a cancelled order; 0 compensates at once'),
  WORKFLOW_RETRY_MAX_DELAY_SECONDS: z.coerce.number().int().min(1).max(300).default(5).describe('The longest wait between two tries of such a step (the first waits 1 s, each next twice as long up to this)'),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().default(10_000).describe('How long draining may take before exit'),
} as const;

export const BaseConfig = z.object(baseConfigShape);
export type BaseConfig = z.infer<typeof BaseConfig>;

export class ConfigError extends Error {
  constructor(readonly issues: string[]) {
    super(`invalid configuration:\n  ${issues.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Parses configuration once at start. `extra` adds a service's own keys.
 * Throws ConfigError naming every bad key.
 */
export function loadConfig<Extra extends z.ZodRawShape = Record<never, never>>(
  extra?: Extra,
  env: NodeJS.ProcessEnv = process.env,
): BaseConfig & z.infer<z.ZodObject<Extra>> {
  const schema = BaseConfig.extend(extra ?? ({} as Extra));
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`));
  }
  return parsed.data as BaseConfig & z.infer<z.ZodObject<Extra>>;
}
