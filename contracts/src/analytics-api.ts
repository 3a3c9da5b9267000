import { defineOperations, type ApiOperation } from './operation';
import { BackfillResult, PlatformAnalytics, RecordInteractionsRequest, Recommendations, ShopAnalytics, UserTags, UserTagsPage } from './analytics';

const app = 'analytics' as const;

/** analytics' public operations (the gateway routes them at /api/v1). Range queries take AnalyticsRangeQuery. */
export const AnalyticsPublic = defineOperations({
  recordInteractions: { operationId: 'recordInteractions', method: 'post', path: '/analytics/interactions', appId: app, access: 'anyone',
    summary: "Product pages viewed and SKUs put in the cart, by a session (web sends them as pages render and carts fill); a view counts once per session, product and day",
    request: RecordInteractionsRequest, example: { items: [{ kind: 'view', productId: '0b6f4c1e-2a3d-4e5f-8a9b-0c1d2e3f4a5b', sessionId: 'k3v9Qm2xL8pR4tZ7wY1n' }] },
    responses: { 202: { description: 'Taken (products analytics does not know are dropped)' } } },
  getShopAnalytics: { operationId: 'getShopAnalytics', method: 'get', path: '/shops/:shopId/analytics', appId: app,
    summary: "The caller's shop over the last days (days=30): sales and orders by day, top products, the funnel view → cart → paid, refund rate",
    responses: { 200: { description: 'Analytics', schema: ShopAnalytics } } },
  getPlatformAnalytics: { operationId: 'getPlatformAnalytics', method: 'get', path: '/admin/analytics', appId: app,
    summary: 'The platform over the last days (days=30): GMV, orders, refunds and new shops by day, top shops (platform admins)', responses: { 200: { description: 'Analytics', schema: PlatformAnalytics } } },
  listUserTags: { operationId: 'listUserTags', method: 'get', path: '/admin/analytics/user-tags', appId: app,
    summary: "Users' RFM groups and favourite categories, recomputed from facts (rfm, category, after, limit) (platform admins)", responses: { 200: { description: 'A page', schema: UserTagsPage } } },
  getUserTags: { operationId: 'getUserTags', method: 'get', path: '/admin/users/:userId/tags', appId: app, summary: "A user's tags (platform admins)",
    responses: { 200: { description: 'Tags', schema: UserTags }, 404: { description: 'The user has no paid order yet' } } },
  backfillAnalytics: { operationId: 'backfillAnalytics', method: 'post', path: '/admin/analytics/backfill', appId: app,
    summary: 'Recompute every daily aggregate and user tag from the facts (platform admins)', responses: { 200: { description: 'Recomputed', schema: BackfillResult } } },
  recommendForProduct: { operationId: 'recommendForProduct', method: 'get', path: '/products/:productId/recommendations', appId: app, access: 'anyone',
    summary: 'Products bought together with this one (co-purchases), then popular in its category (limit)', responses: { 200: { description: 'Recommendations', schema: Recommendations } } },
  recommendPopular: { operationId: 'recommendPopular', method: 'get', path: '/recommendations/popular', appId: app, access: 'anyone',
    summary: 'The best-selling products of the last 30 days (limit)', responses: { 200: { description: 'Recommendations', schema: Recommendations } } },
});
export const AnalyticsOperations: readonly ApiOperation[] = Object.values<ApiOperation>(AnalyticsPublic);

/** Operations other services call through their sidecars, each with `internal: true` and its `callers`. */
export const AnalyticsInternal = defineOperations({});
