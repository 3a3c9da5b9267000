import type { IncomingMessage, ServerResponse } from 'node:http';
import { CatalogPublic, IdentityPublic, OrderPublic, pathOf, ShopPublic, successSchemaOf, type AnswerOf, type ApiOperation, type DashboardSummary } from '@emporium/contracts';
import type { GatewayDeps } from './gateway';
import { sendProblem } from './gateway';

class Refused extends Error {
  constructor(readonly status: number) {
    super(`answered ${status}`);
  }
}

/** One operation through web's sidecar with the caller's token; the answer checked against its contract. */
async function ask<O extends ApiOperation>(deps: GatewayDeps, op: O, authorization: string): Promise<AnswerOf<O>> {
  const headers: Record<string, string> = { accept: 'application/json', authorization };
  if (deps.config.DAPR_API_TOKEN) headers['dapr-api-token'] = deps.config.DAPR_API_TOKEN;
  const answer = await deps.sidecar.request({
    path: `/v1.0/invoke/${op.appId}/method${pathOf(op)}`,
    method: 'GET',
    headers,
    headersTimeout: deps.config.GATEWAY_TIMEOUT_MS,
    bodyTimeout: deps.config.GATEWAY_TIMEOUT_MS,
  });
  const text = await answer.body.text();
  if (answer.statusCode !== 200) throw new Refused(answer.statusCode);
  const parsed = successSchemaOf(op)!.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Refused(502);
  return parsed.data as AnswerOf<O>;
}

/**
 * `GET /api/v1/dashboard/summary`: the admin console's summary, from every
 * service's `/admin/stats/…` at once. Each service checks the caller is a
 * platform admin; the first refusal is the answer.
 */
export async function dashboardSummary(deps: GatewayDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const auth = req.headers.authorization;
  if (!auth?.startsWith('Bearer ')) return sendProblem(res, 401, 'unauthenticated', 'Sign in as a platform admin');
  try {
    const [identity, shops, products, orders] = await Promise.all([
      ask(deps, IdentityPublic.identityStats, auth),
      ask(deps, ShopPublic.shopStats, auth),
      ask(deps, CatalogPublic.catalogStats, auth),
      ask(deps, OrderPublic.orderStats, auth),
    ]);
    const summary: DashboardSummary = { users: identity.users, companies: identity.companies, shops: shops.shops, products: products.products, orders, generatedAt: new Date().toISOString() };
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(JSON.stringify(summary));
  } catch (err) {
    if (err instanceof Refused && err.status === 401) return sendProblem(res, 401, 'unauthenticated', 'The token is not valid');
    if (err instanceof Refused && err.status === 403) return sendProblem(res, 403, 'forbidden', 'Only platform admins see the summary');
    deps.log('warn', 'dashboard summary failed', { error: err instanceof Error ? err.message : String(err) });
    return sendProblem(res, 503, 'upstream_unavailable', 'a service could not count; try again shortly', { 'retry-after': '1' });
  }
}
