import 'server-only';
import { cookies } from 'next/headers';
import { AnalyticsPublic, type Recommendation } from '@emporium/contracts';
import { logLine } from '../log';
import { VISITOR_COOKIE, VISITOR_ID } from '../session';
import { call } from './sidecar';

/**
 * Tells analytics a visitor viewed a product or put it in the cart. Never in
 * the way: the page does not wait for it, and a failure is only logged.
 */
export async function recordInteraction(kind: 'view' | 'cart', productId: string): Promise<void> {
  const visitor = (await cookies()).get(VISITOR_COOKIE)?.value;
  if (!visitor || !VISITOR_ID.test(visitor)) return;
  void call(AnalyticsPublic.recordInteractions, { body: { items: [{ kind, productId, sessionId: visitor }] } }).catch((err: unknown) =>
    logLine('warn', 'interaction not recorded', { kind, productId, err: err instanceof Error ? err.message : String(err) }),
  );
}

/** Recommendations are a nicety: when analytics cannot answer, the page shows none. */
async function orNone(what: string, p: Promise<{ items: Recommendation[] }>): Promise<Recommendation[]> {
  try {
    return (await p).items;
  } catch (err) {
    logLine('warn', `${what} not shown`, { err: err instanceof Error ? err.message : String(err) });
    return [];
  }
}

export function recommendedWith(productId: string, limit = 6) {
  return orNone('recommendations', call(AnalyticsPublic.recommendForProduct, { params: { productId }, query: { limit } }));
}

export function popularProducts(limit = 8) {
  return orNone('popular products', call(AnalyticsPublic.recommendPopular, { query: { limit } }));
}

export function shopAnalytics(shopId: string, token: string, days = 30) {
  return call(AnalyticsPublic.getShopAnalytics, { params: { shopId }, query: { days }, token });
}

export function platformAnalytics(token: string, days = 30) {
  return call(AnalyticsPublic.getPlatformAnalytics, { query: { days }, token });
}

export function userTags(token: string, query: Record<string, string | undefined>) {
  return call(AnalyticsPublic.listUserTags, { query, token });
}
