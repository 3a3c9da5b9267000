import { ProblemContentType, type Problem } from '@emporium/contracts';
import { config } from '../config';
import { matchRoute } from './routes';

/** Headers a client may send on; everything else stays at the edge. */
const forwardedRequestHeaders = ['authorization', 'x-cart-token', 'x-provider-signature', 'idempotency-key', 'content-type', 'accept', 'accept-language', 'traceparent', 'tracestate'];
/** Headers of the service's answer the client gets back. */
const forwardedResponseHeaders = ['content-type', 'retry-after', 'idempotent-replayed', 'www-authenticate', 'cache-control', 'etag', 'location'];

function problem(status: number, code: string, detail: string, extra: Record<string, string> = {}): Response {
  const body: Problem = { type: `https://emporium.dev/problems/${code}`, title: detail, status, code, detail };
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': ProblemContentType, ...extra } });
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

  const { DAPR_HOST, DAPR_HTTP_PORT, DAPR_API_TOKEN, GATEWAY_TIMEOUT_MS } = config();
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
  let answer: Response;
  try {
    answer = await fetch(`http://${DAPR_HOST}:${DAPR_HTTP_PORT}/v1.0/invoke/${match.operation.appId}/method${path}${search}`, {
      method: req.method,
      headers,
      ...(hasBody ? { body: await req.arrayBuffer() } : {}),
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
  return new Response(answer.status === 204 ? null : answer.body, { status: answer.status, headers: out });
}
