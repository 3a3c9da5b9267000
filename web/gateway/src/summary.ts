import type { IncomingMessage, ServerResponse } from 'node:http';
import { CatalogPublic, IdentityPublic, OrderPublic, ShopPublic, type DashboardSummary } from '@emporium/contracts';
import type { GatewayDeps } from './gateway';
import { sendProblem } from './gateway';
import { getThroughSidecar, Refused } from './sidecar';

/**
 * `GET /api/v1/dashboard/summary`: the admin console's summary, from every
 * service's `/admin/stats/…` at once. Each service checks the caller is a
 * platform admin; the first refusal is the answer.
 */
export async function dashboardSummary(deps: GatewayDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const auth = req.headers.authorization;
  if (!auth?.startsWith('Bearer ')) return sendProblem(res, 401, 'unauthenticated', 'Sign in as a platform admin');
  const ask = <O extends Parameters<typeof getThroughSidecar>[2]>(op: O) => getThroughSidecar(deps.sidecar, deps.config, op, { authorization: auth });
  try {
    const [identity, shops, products, orders] = await Promise.all([
      ask(IdentityPublic.identityStats),
      ask(ShopPublic.shopStats),
      ask(CatalogPublic.catalogStats),
      ask(OrderPublic.orderStats),
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
