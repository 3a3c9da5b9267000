import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import type NextServer from 'next';
import { Pool } from 'undici';
import { IdentityPublic } from '@emporium/contracts';
import { cachedJwks } from '@emporium/kit/jwt';
import { clientAddress, TokenSubjects } from './client';
import { gatewayConfig, setEnv } from './config';
import { API_PREFIX, createGateway, type GatewayDeps } from './gateway';
import { ResponseCache } from './response-cache';
import { MemoryRateLimiter, RedisRateLimiter, type RateLimiter } from './rate-limit';
import { getThroughSidecar } from './sidecar';

/**
 * web's process: one node:http server. `/api/v1` is answered by the gateway
 * (gateway.ts) before Next.js sees it; everything else (the storefront, the
 * seller portal, the admin console) goes to Next.js, started in this process
 * from its standalone build. `--dev` runs `next dev` instead (Tilt's image).
 */
const dev = process.argv.includes('--dev');
const config = gatewayConfig();
const dir = config.WEB_DIR ?? __dirname;
process.chdir(dir);
setEnv('NODE_ENV', dev ? 'development' : 'production', true);
const log: GatewayDeps['log'] = (level, msg, fields = {}) => {
  const line = JSON.stringify({ level, time: new Date().toISOString(), app: 'web', component: 'gateway', msg, ...fields });
  (level === 'error' ? process.stderr : process.stdout).write(`${line}\n`);
};

const sidecar = new Pool(`http://${config.DAPR_HOST}:${config.DAPR_HTTP_PORT}`, {
  connections: config.GATEWAY_CONNECTIONS,
  // idle connections are closed before the sidecar's 90 s
  keepAliveTimeout: 60_000,
  keepAliveMaxTimeout: 60_000,
  pipelining: 1,
});
// event streams wait on long polls: connections of their own, so open streams never queue the API's requests
const streams = new Pool(`http://${config.DAPR_HOST}:${config.DAPR_HTTP_PORT}`, { connections: Math.max(1, config.GATEWAY_MAX_STREAMS), keepAliveTimeout: 60_000, keepAliveMaxTimeout: 60_000, pipelining: 1 });

const limits = { perSecond: config.GATEWAY_RATE_LIMIT_PER_SECOND, burst: config.GATEWAY_RATE_LIMIT_BURST };
const limiter: RateLimiter = config.REDIS_URL
  ? new RedisRateLimiter(
      new Redis(config.REDIS_URL, { lazyConnect: false, maxRetriesPerRequest: 1, enableOfflineQueue: false, connectionName: 'emporium-web-gateway' }),
      limits,
      `${config.EVENT_NAMESPACE ? `${config.EVENT_NAMESPACE}:` : ''}emporium:ratelimit:`,
      (msg, err) => log('warn', msg, err instanceof Error ? { error: err.message } : {}),
    )
  : new MemoryRateLimiter(limits);

const cache = new ResponseCache(config.GATEWAY_CACHE_MAX_SECONDS, config.GATEWAY_CACHE_MIB * 1024 * 1024);
const gateway = createGateway({ config, sidecar, streams, limiter, cache, subjects: new TokenSubjects(cachedJwks(() => getThroughSidecar(sidecar, { ...config, GATEWAY_TIMEOUT_MS: 5000 }, IdentityPublic.jwks))), log });

async function main(): Promise<void> {
  if (!dev) {
    // what Next's own standalone server.js does before it starts
    const { config: nextConfig } = JSON.parse(readFileSync(join(dir, '.next', 'required-server-files.json'), 'utf8')) as { config: object };
    setEnv('__NEXT_PRIVATE_STANDALONE_CONFIG', JSON.stringify(nextConfig));
  }
  // Next stays outside the bundle: the standalone build carries its own
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const next = require('next') as typeof NextServer;
  const app = next({ dev, dir, hostname: config.HOSTNAME, port: config.PORT });
  const handle = app.getRequestHandler();
  await app.prepare();

  const server = createServer((req, res) => {
    const url = req.url ?? '/';
    if (url === API_PREFIX || url.startsWith(`${API_PREFIX}/`) || url.startsWith(`${API_PREFIX}?`)) {
      gateway(req, res).catch((err: unknown) => {
        log('error', 'gateway failed', { error: err instanceof Error ? err.stack : String(err) });
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/problem+json' }).end(JSON.stringify({ type: 'about:blank', title: 'Internal Server Error', status: 500, code: 'internal' }));
        else res.destroy();
      });
      return;
    }
    // the pages' own calls to identity (sign-in is throttled per address) name the shopper, not web:
    // the address as the gateway finds it, replacing whatever the client wrote (Next keeps an existing one)
    req.headers['x-forwarded-for'] = clientAddress(req.socket.remoteAddress, req.headers['x-forwarded-for'], config.GATEWAY_TRUSTED_PROXY_HOPS);
    void handle(req, res);
  });
  if (dev) {
    const upgrade = app.getUpgradeHandler();
    server.on('upgrade', (req, socket, head) => void upgrade(req, socket, head));
  }
  server.keepAliveTimeout = config.KEEP_ALIVE_TIMEOUT;
  server.headersTimeout = config.KEEP_ALIVE_TIMEOUT + 1000;
  server.listen(config.PORT, config.HOSTNAME, () => log('info', `web listening on http://${config.HOSTNAME}:${config.PORT} (gateway at ${API_PREFIX}, Next.js for the rest)`));

  const stop = () => {
    server.close();
    void Promise.allSettled([sidecar.close(), limiter.close()]).then(() => process.exit(0));
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((err: unknown) => {
  log('error', 'web did not start', { error: err instanceof Error ? err.stack : String(err) });
  process.exit(1);
});
