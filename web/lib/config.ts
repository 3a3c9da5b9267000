import { z } from 'zod';

/** The pages' settings; the only place Next.js code reads process.env (the gateway has its own: gateway/src/config.ts). */
const WebConfig = z.object({
  DAPR_HOST: z.string().default('127.0.0.1').describe("Address of web's own sidecar"),
  DAPR_HTTP_PORT: z.coerce.number().int().default(3500).describe("web's sidecar HTTP port"),
  DAPR_API_TOKEN: z.string().optional().describe('Token for the sidecar API'),
  GATEWAY_TIMEOUT_MS: z.coerce.number().int().default(15_000).describe("How long a page's call of a service may take"),
  SESSION_SECURE_COOKIES: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true')
    .describe('Session cookies only over HTTPS (true behind TLS, as in the chart)'),
  PLATFORM_TIME_ZONE: z.string().default('Asia/Shanghai').describe("Where the platform's day starts: dates on pages and a shop dashboard's today"),
});
export type WebConfig = z.infer<typeof WebConfig>;

let parsed: WebConfig | undefined;
export function config(): WebConfig {
  parsed ??= WebConfig.parse(process.env);
  return parsed;
}
