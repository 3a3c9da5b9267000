import type { IncomingMessage, ServerResponse } from 'node:http';
import { Transform } from 'node:stream';
import { errors, type Dispatcher, type Pool } from 'undici';
import { jitteredSeconds } from '@emporium/kit/retry-after';
import { openApiDocument, ProblemContentType, PublicOperations, type Problem } from '@emporium/contracts';
import { clientAddress, clientOf, type TokenSubjects } from './client';
import type { GatewayConfig } from './config';
import type { RateLimiter } from './rate-limit';
import type { CachedAnswer, ResponseCache } from './response-cache';
import { matchRoute } from './routes';
import { sidecarHeaders } from './sidecar';
import { notificationStream } from './notification-stream';
import { dashboardSummary } from './summary';

/**
 * `/api/v1`: each public operation of the registry, proxied to the service
 * that owns it through web's own sidecar (service invocation), bodies
 * streamed both ways over kept-alive connections. The caller's token goes on
 * untouched: the gateway decides nothing about ownership, the services do.
 * It answers before Next.js sees the request (main.ts).
 */
export const API_PREFIX = '/api/v1';

/** Headers a client may send on; everything else stays at the edge. */
const forwardedRequestHeaders = ['authorization', 'x-cart-token', 'x-provider-signature', 'x-carrier-signature', 'idempotency-key', 'content-type', 'content-length', 'accept', 'accept-language', 'if-none-match', 'prefer', 'traceparent', 'tracestate'];
/** Headers of the service's answer the client gets back. */
const forwardedResponseHeaders = ['content-type', 'retry-after', 'idempotent-replayed', 'www-authenticate', 'cache-control', 'etag', 'location'];
/** Signed by the provider and retried by it until answered: never limited here. */
const unlimited = new Set(['providerWebhook']);

export interface GatewayDeps {
  config: GatewayConfig;
  /** kept-alive connections to web's sidecar */
  sidecar: Pool;
  /** connections of event streams' long polls (never the API's) */
  streams: Pool;
  limiter: RateLimiter;
  /** answers anyone may keep (GATEWAY_CACHE_*) */
  cache: ResponseCache;
  subjects: TokenSubjects;
  log: (level: 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>) => void;
}

/** The error code of a Dapr error body (`{"errorCode":"ERR_DIRECT_INVOKE",…}`), if it is one. */
export function daprErrorCode(text: string): string | null {
  try {
    const parsed = JSON.parse(text) as { errorCode?: unknown };
    return typeof parsed.errorCode === 'string' && /^ERR_[A-Z_]+$/.test(parsed.errorCode) ? parsed.errorCode : null;
  } catch {
    return null;
  }
}

export function sendProblem(res: ServerResponse, status: number, code: string, detail: string, headers: Record<string, string> = {}, extra: Partial<Problem> = {}): void {
  const body: Problem = { type: `https://emporium.dev/problems/${code}`, title: detail, status, code, detail, ...extra };
  res.writeHead(status, { 'content-type': ProblemContentType, ...headers });
  res.end(JSON.stringify(body));
}

/** The sidecar's request headers: the allowed ones of the client, the client's address, the sidecar's token. */
function upstreamHeaders(req: IncomingMessage, address: string, config: GatewayConfig): Record<string, string> {
  const out: Record<string, string> = { 'x-forwarded-for': address };
  for (const name of forwardedRequestHeaders) {
    const value = req.headers[name];
    if (typeof value === 'string' && value) out[name] = value;
  }
  return sidecarHeaders(config, out);
}

/** Passes a body through, failing once more than `max` bytes went by (the client may not declare its length). */
function bounded(max: number): Transform & { exceeded: boolean } {
  let size = 0;
  const t = new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.length;
      if (size > max) {
        t.exceeded = true;
        done(new Error(`body over ${max} bytes`));
      } else done(null, chunk);
    },
  }) as Transform & { exceeded: boolean };
  t.exceeded = false;
  return t;
}

export function createGateway(deps: GatewayDeps): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const { config } = deps;
  let openApi: string | undefined;

  return async function gateway(req, res) {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = (q === -1 ? url : url.slice(0, q)).slice(API_PREFIX.length) || '/';
    const search = q === -1 ? '' : url.slice(q);
    const method = req.method ?? 'GET';

    if (path === '/openapi.json' && (method === 'GET' || method === 'HEAD')) {
      openApi ??= JSON.stringify({ ...openApiDocument(PublicOperations, 'Emporium public API'), servers: [{ url: API_PREFIX }] });
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'public, max-age=300' });
      res.end(method === 'HEAD' ? undefined : openApi);
      return;
    }
    const match = matchRoute(method, path);
    if (match.kind === 'not-found') return sendProblem(res, 404, 'route_not_found', `No API route ${method} ${API_PREFIX}${path}`);
    if (match.kind === 'method-not-allowed') return sendProblem(res, 405, 'method_not_allowed', `${method} is not allowed here`, { allow: match.allow.join(', ') });
    const op = match.operation;

    const address = clientAddress(req.socket.remoteAddress, req.headers['x-forwarded-for'], config.GATEWAY_TRUSTED_PROXY_HOPS);
    let remaining: number | undefined;
    if (deps.limiter.enabled && !unlimited.has(op.operationId)) {
      const verdict = await deps.limiter.take(await clientOf(req.headers.authorization, address, deps.subjects));
      if (!verdict.ok) {
        req.resume();
        return sendProblem(res, 429, 'rate_limited', `Too many requests from this client; try again in ${verdict.retryAfterSeconds} s`, { 'retry-after': String(verdict.retryAfterSeconds) });
      }
      remaining = verdict.remaining;
    }

    // served here: the admins' summary asks every service at once; a user's inbox as an event stream
    if (op.operationId === 'streamMyNotifications') return notificationStream(deps, req, res);
    if (op.appId === 'web') return dashboardSummary(deps, req, res);

    // an answer the service said anyone may keep, still fresh: given again without asking
    const cacheKey = deps.cache.keyOf(method, path + search, req.headers);
    if (cacheKey !== undefined) {
      const hit = await deps.cache.lookup(cacheKey);
      if (hit) return sendCached(res, hit, remaining);
    }
    let settle: ((a: CachedAnswer | undefined) => void) | undefined;
    if (cacheKey !== undefined) deps.cache.begin(cacheKey, new Promise((resolve) => (settle = resolve)));
    try {
      await proxy();
    } finally {
      // whatever happened, requests waiting for this one go on (on their own when nothing was kept)
      settle?.(undefined);
    }
    return;

    async function proxy(): Promise<void> {
    const max = config.GATEWAY_MAX_BODY_BYTES;
    const hasBody = method !== 'GET' && method !== 'HEAD';
    const tooLarge = () => {
      req.resume();
      sendProblem(res, 413, 'input_limit_exceeded', `The body may be at most ${max} bytes`, {}, {
        title: 'Content Too Large',
        limit: { name: 'bodyBytes', max },
        errors: [{ field: '', code: 'too_large', message: `The body may be at most ${max} bytes` }],
      });
    };
    if (hasBody && Number(req.headers['content-length'] ?? 0) > max) return tooLarge();
    const body = hasBody ? req.pipe(bounded(max)) : undefined;

    // a client that goes away takes its upstream request with it
    const abort = new AbortController();
    const onClose = () => {
      if (!res.writableFinished) abort.abort();
    };
    res.once('close', onClose);
    let answer: Dispatcher.ResponseData;
    try {
      // a long poll holds its connection for seconds: on the streams' pool, never queueing the API's requests
      answer = await (op.operationId === 'watchMyNotifications' ? deps.streams : deps.sidecar).request({
        path: `/v1.0/invoke/${op.appId}/method${path}${search}`,
        method,
        headers: upstreamHeaders(req, address, config),
        ...(body ? { body } : {}),
        headersTimeout: config.GATEWAY_TIMEOUT_MS,
        bodyTimeout: config.GATEWAY_TIMEOUT_MS,
        signal: abort.signal,
      });
    } catch (err) {
      res.off('close', onClose);
      if (abort.signal.aborted) return;
      if (body?.exceeded) return tooLarge();
      const timedOut = err instanceof errors.HeadersTimeoutError || err instanceof errors.BodyTimeoutError;
      deps.log('warn', 'upstream call failed', { appId: op.appId, operationId: op.operationId, error: err instanceof Error ? err.message : String(err) });
      return timedOut
        ? sendProblem(res, 504, 'upstream_timeout', `${op.appId} did not answer in ${config.GATEWAY_TIMEOUT_MS} ms`)
        : sendProblem(res, 503, 'upstream_unavailable', `${op.appId} did not answer; try again shortly`, { 'retry-after': String(jitteredSeconds(config.GATEWAY_UNAVAILABLE_RETRY_AFTER_SECONDS)) });
    }
    const headers: Record<string, string> = {};
    for (const name of forwardedResponseHeaders) {
      const value = answer.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    if (remaining !== undefined) headers['ratelimit-remaining'] = String(remaining);
    // a server error that is not the service's problem+json is the sidecar's own (`{"errorCode":"ERR_…"}`):
    // it could not reach the service (down, restarting, not yet known to name resolution). The client hears
    // "unavailable, try again shortly" with a problem code, never a bare 500 it cannot tell from a bug.
    if (answer.statusCode >= 500 && !String(answer.headers['content-type'] ?? '').includes('problem+json')) {
      const text = await answer.body.text().catch(() => '');
      res.off('close', onClose);
      const code = daprErrorCode(text);
      if (code) {
        // the sidecar's own message says why (name resolution, a refused connection, a timeout); the client never sees it
        deps.log('warn', 'the sidecar could not reach the service', { appId: op.appId, operationId: op.operationId, status: answer.statusCode, errorCode: code, sidecarMessage: text.slice(0, 500) });
        return sendProblem(res, 503, 'upstream_unavailable', `${op.appId} cannot be reached right now; try again shortly`, { 'retry-after': String(jitteredSeconds(config.GATEWAY_UNAVAILABLE_RETRY_AFTER_SECONDS)) });
      }
      res.writeHead(answer.statusCode, headers);
      res.end(text);
      return;
    }
    const ttlMs = cacheKey !== undefined ? deps.cache.ttlOf(answer.statusCode, answer.headers) : 0;
    const length = Number(answer.headers['content-length'] ?? NaN);
    if (ttlMs > 0 && cacheKey !== undefined && (Number.isNaN(length) || deps.cache.fits(length))) {
      let body: Buffer;
      try {
        body = Buffer.from(await answer.body.arrayBuffer());
      } catch {
        res.off('close', onClose);
        res.destroy();
        return;
      }
      res.off('close', onClose);
      const { 'ratelimit-remaining': _own, ...shared } = headers;
      const kept: CachedAnswer = { status: answer.statusCode, headers: shared, body, at: Date.now(), ttlMs };
      if (deps.cache.put(cacheKey, kept)) settle?.(kept);
      res.writeHead(answer.statusCode, headers);
      res.end(body);
      return;
    }
    res.writeHead(answer.statusCode, headers);
    if (answer.statusCode === 204 || method === 'HEAD') {
      answer.body.resume();
      res.end();
      res.off('close', onClose);
      return;
    }
    answer.body.on('error', () => res.destroy());
    answer.body.pipe(res);
    await new Promise<void>((resolve) => res.once('close', resolve));
    }
  };
}

/** A kept answer, with its age in whole seconds. */
function sendCached(res: ServerResponse, hit: CachedAnswer, remaining: number | undefined): void {
  const headers: Record<string, string> = { ...hit.headers, age: String(Math.max(0, Math.floor((Date.now() - hit.at) / 1000))) };
  if (remaining !== undefined) headers['ratelimit-remaining'] = String(remaining);
  res.writeHead(hit.status, headers);
  res.end(hit.body);
}
