import { ProblemContentType, type Problem } from '@emporium/contracts';
import { summary } from '../data/admin';
import { ServiceError } from '../data/sidecar';
import { config } from '../config';
import { clientOf, RateLimiter } from './rate-limit';
import { matchRoute } from './routes';

let limiter: RateLimiter | undefined;
const limiterOf = () => {
  const { GATEWAY_RATE_LIMIT_PER_SECOND, GATEWAY_RATE_LIMIT_BURST } = config();
  return (limiter ??= new RateLimiter({ perSecond: GATEWAY_RATE_LIMIT_PER_SECOND, burst: GATEWAY_RATE_LIMIT_BURST }));
};
/** Signed by the provider and retried by it until answered: never limited here. */
const unlimited = new Set(['providerWebhook']);

/** Headers a client may send on; everything else stays at the edge. */
const forwardedRequestHeaders = ['authorization', 'x-cart-token', 'x-provider-signature', 'idempotency-key', 'content-type', 'accept', 'accept-language', 'traceparent', 'tracestate'];
/** Headers of the service's answer the client gets back. */
const forwardedResponseHeaders = ['content-type', 'retry-after', 'idempotent-replayed', 'www-authenticate', 'cache-control', 'etag', 'location'];

function problem(status: number, code: string, detail: string, extra: Record<string, string> = {}): Response {
  const body: Problem = { type: `https://emporium.dev/problems/${code}`, title: detail, status, code, detail };
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': ProblemContentType, ...extra } });
}

/** The client's turn: a 429 when it is over its rate, else what it has left (undefined when not limited). */
function rateLimit(req: Request, operationId: string): Response | number | undefined {
  const limits = limiterOf();
  if (!limits.enabled || unlimited.has(operationId)) return undefined;
  const verdict = limits.take(clientOf(req.headers));
  if (!verdict.ok) return problem(429, 'rate_limited', `Too many requests from this client; try again in ${verdict.retryAfterSeconds} s`, { 'retry-after': String(verdict.retryAfterSeconds) });
  return verdict.remaining;
}

/**
 * `GET /api/v1/dashboard/summary`: the admin console's summary (lib/data's
 * `summary`, which asks every service's `/admin/stats/…` at once); each
 * service checks the caller is a platform admin, and the first refusal is
 * the answer.
 */
export async function dashboardSummary(req: Request): Promise<Response> {
  const limited = rateLimit(req, 'dashboardSummary');
  if (limited instanceof Response) return limited;
  const auth = req.headers.get('authorization');
  if (!auth?.startsWith('Bearer ')) return problem(401, 'unauthenticated', 'Sign in as a platform admin');
  try {
    return Response.json(await summary(auth.slice(7)), { headers: { 'cache-control': 'no-store' } });
  } catch (err) {
    if (err instanceof ServiceError && err.status === 401) return problem(401, 'unauthenticated', 'The token is not valid');
    if (err instanceof ServiceError && err.status === 403) return problem(403, 'forbidden', 'Only platform admins see the summary');
    return problem(503, 'upstream_unavailable', 'a service could not count');
  }
}

/**
 * The request's body, read up to `max` bytes; undefined when it is longer
 * (declared or as it streams), so an oversized body is never held whole.
 */
async function boundedBody(req: Request, max: number): Promise<Uint8Array<ArrayBuffer> | undefined> {
  const declared = Number(req.headers.get('content-length') ?? NaN);
  if (declared > max) return undefined;
  if (!req.body) return new Uint8Array(new ArrayBuffer(0));
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = req.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  const body = new Uint8Array(new ArrayBuffer(size));
  let at = 0;
  for (const c of chunks) {
    body.set(c, at);
    at += c.byteLength;
  }
  return body;
}

/**
 * Proxies `/api/v1/<path>` to the owning service through web's own sidecar
 * (service invocation). The caller's token goes on untouched: the gateway
 * decides nothing about ownership, the services do.
 */
export async function proxy(req: Request, segments: readonly string[]): Promise<Response> {
  const path = `/${segments.map((s) => encodeURIComponent(s)).join('/')}`;
  const match = matchRoute(req.method, path);
  if (match.kind === 'not-found') return problem(404, 'route_not_found', `No API route ${req.method} /api/v1${path}`);
  if (match.kind === 'method-not-allowed') return problem(405, 'method_not_allowed', `${req.method} is not allowed here`, { allow: match.allow.join(', ') });

  const limited = rateLimit(req, match.operation.operationId);
  if (limited instanceof Response) return limited;
  const remaining = limited;

  const { DAPR_HOST, DAPR_HTTP_PORT, DAPR_API_TOKEN, GATEWAY_TIMEOUT_MS, GATEWAY_MAX_BODY_BYTES } = config();
  const headers = new Headers();
  for (const name of forwardedRequestHeaders) {
    const value = req.headers.get(name);
    if (value) headers.set(name, value);
  }
  const clientAddress = req.headers.get('x-forwarded-for')?.split(',')[0]?.trim() ?? req.headers.get('x-real-ip');
  if (clientAddress) headers.set('x-forwarded-for', clientAddress);
  if (DAPR_API_TOKEN) headers.set('dapr-api-token', DAPR_API_TOKEN);

  const search = new URL(req.url).search;
  const hasBody = !['GET', 'HEAD'].includes(req.method);
  const body = hasBody ? await boundedBody(req, GATEWAY_MAX_BODY_BYTES) : undefined;
  if (hasBody && !body) {
    const tooLarge: Problem = {
      type: 'https://emporium.dev/problems/input_limit_exceeded',
      title: 'Content Too Large',
      status: 413,
      code: 'input_limit_exceeded',
      detail: `The body may be at most ${GATEWAY_MAX_BODY_BYTES} bytes`,
      limit: { name: 'bodyBytes', max: GATEWAY_MAX_BODY_BYTES },
      errors: [{ field: '', code: 'too_large', message: `The body may be at most ${GATEWAY_MAX_BODY_BYTES} bytes` }],
    };
    return new Response(JSON.stringify(tooLarge), { status: 413, headers: { 'content-type': ProblemContentType } });
  }
  let answer: Response;
  try {
    answer = await fetch(`http://${DAPR_HOST}:${DAPR_HTTP_PORT}/v1.0/invoke/${match.operation.appId}/method${path}${search}`, {
      method: req.method,
      headers,
      ...(body ? { body } : {}),
      signal: AbortSignal.timeout(GATEWAY_TIMEOUT_MS),
      redirect: 'manual',
    });
  } catch (err) {
    const timedOut = err instanceof Error && err.name === 'TimeoutError';
    return problem(timedOut ? 504 : 503, timedOut ? 'upstream_timeout' : 'upstream_unavailable', `${match.operation.appId} did not answer`);
  }
  const out = new Headers();
  for (const name of forwardedResponseHeaders) {
    const value = answer.headers.get(name);
    if (value) out.set(name, value);
  }
  if (remaining !== undefined) out.set('ratelimit-remaining', String(remaining));
  return new Response(answer.status === 204 ? null : answer.body, { status: answer.status, headers: out });
}
