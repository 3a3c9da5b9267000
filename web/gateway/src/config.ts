import { z } from 'zod';

/** The gateway's settings (it runs in web's process, in front of Next.js); the only place it reads process.env. */
export const GatewayConfig = z.object({
  WEB_DIR: z.string().optional().describe("web's folder with its .next build (default: where main.js sits, the standalone build)"),
  EVENT_NAMESPACE: z.string().optional().describe("The platform's namespace (tests, benchmarks): the rate limit's Redis keys get it as a prefix"),
  PORT: z.coerce.number().int().default(3000).describe('Where web listens: the gateway answers /api/v1, Next.js the rest'),
  HOSTNAME: z.string().default('127.0.0.1').describe('Address to listen on'),
  KEEP_ALIVE_TIMEOUT: z.coerce.number().int().min(0).default(95_000).describe("Idle connections are kept this long (longer than the sidecar's and the ingress's 90 s, so they close first)"),
  DAPR_HOST: z.string().default('127.0.0.1').describe("Address of web's own sidecar"),
  DAPR_HTTP_PORT: z.coerce.number().int().default(3500).describe("web's sidecar HTTP port"),
  DAPR_API_TOKEN: z.string().optional().describe('Token for the sidecar API'),
  GATEWAY_MAX_BODY_BYTES: z.coerce.number().int().min(1024).default(3 * 1024 * 1024).describe('Largest request body the gateway passes on (the services refuse less where they read less)'),
  GATEWAY_TIMEOUT_MS: z.coerce.number().int().min(100).default(15_000).describe('How long a proxied call may take'),
  GATEWAY_UNAVAILABLE_RETRY_AFTER_SECONDS: z.coerce.number().int().min(1).max(60).default(2).describe("Retry-After of the 503 a client gets while the service that owns its operation cannot be reached (a pod restarting takes seconds)"),
  GATEWAY_CONNECTIONS: z.coerce.number().int().min(1).default(64).describe("Kept-alive connections to web's sidecar"),
  GATEWAY_MAX_STREAMS_PER_USER: z.coerce.number().int().min(1).default(8).describe("Event streams one user may keep open on one replica (a browser's tabs); past it a new one is refused with 429 and Retry-After"),
  GATEWAY_MAX_STREAMS: z.coerce.number().int().min(0).default(1_000).describe('Event streams (an inbox followed live) one replica keeps open at once; past it a new one is refused with 503 and Retry-After (the browser tries again)'),
  GATEWAY_RATE_LIMIT_PER_SECOND: z.coerce.number().min(0).default(50).describe('Requests per second each client may send on average; 0 turns limiting off'),
  GATEWAY_RATE_LIMIT_BURST: z.coerce.number().int().min(1).default(200).describe('Requests a client may send at once after a quiet spell'),
  GATEWAY_CACHE_MAX_SECONDS: z.coerce
    .number()
    .int()
    .min(0)
    .max(300)
    .default(2)
    .describe("Longest an answer the service marked `public, max-age` is kept and given again to requests without credentials (the service's max-age decides below it); 0 turns the cache off"),
  GATEWAY_CACHE_MIB: z.coerce.number().int().min(1).max(1024).default(8).describe('Memory the kept answers may take per replica'),
  REDIS_URL: z
    .string()
    .optional()
    .describe("Redis where every replica's rate-limit counts meet (redis://host:port); unset: each process counts alone (nothing answers on Redis, as in the embedded profile)"),
  GATEWAY_TRUSTED_PROXY_HOPS: z.coerce
    .number()
    .int()
    .min(0)
    .max(10)
    .default(0)
    .describe('Proxies in front of web that append to X-Forwarded-For (an ingress: 1); the client is the address the outermost trusted one saw'),
});
export type GatewayConfig = z.infer<typeof GatewayConfig>;

export function gatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const parsed = GatewayConfig.safeParse(env);
  if (!parsed.success) throw new Error(`web's gateway settings are wrong: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

/** Sets one variable for what runs in this process after it (Next.js reads its standalone config and NODE_ENV from there). */
export function setEnv(name: 'NODE_ENV' | '__NEXT_PRIVATE_STANDALONE_CONFIG', value: string, onlyIfUnset = false): void {
  const env = process.env as Record<string, string | undefined>;
  if (onlyIfUnset && env[name] !== undefined) return;
  env[name] = value;
}
