import { z } from 'zod';

/** web's settings; the only place web reads process.env. */
const WebConfig = z.object({
  DAPR_HOST: z.string().default('127.0.0.1').describe("Address of web's own sidecar"),
  DAPR_HTTP_PORT: z.coerce.number().int().default(3500).describe("web's sidecar HTTP port"),
  DAPR_API_TOKEN: z.string().optional().describe('Token for the sidecar API'),
  GATEWAY_MAX_BODY_BYTES: z.coerce.number().int().min(1024).default(3 * 1024 * 1024).describe('Largest request body the gateway passes on (the services refuse less where they read less)'),
  GATEWAY_TIMEOUT_MS: z.coerce.number().int().default(15_000).describe('How long a proxied call may take'),
  SESSION_SECURE_COOKIES: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true')
    .describe('Session cookies only over HTTPS (true behind TLS, as in the chart)'),
  GATEWAY_RATE_LIMIT_PER_SECOND: z.coerce.number().min(0).default(50).describe('Requests per second each client (token, else address) may send on average; 0 turns limiting off'),
  PLATFORM_TIME_ZONE: z.string().default('Asia/Shanghai').describe("Where the platform's day starts: dates on pages and a shop dashboard's today"),
  GATEWAY_RATE_LIMIT_BURST: z.coerce.number().int().min(1).default(200).describe('Requests a client may send at once after a quiet spell'),
});
export type WebConfig = z.infer<typeof WebConfig>;

let parsed: WebConfig | undefined;
export function config(): WebConfig {
  parsed ??= WebConfig.parse(process.env);
  return parsed;
}
