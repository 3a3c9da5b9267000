import { Router } from 'express';
import { AnalyticsPublic, AnalyticsRangeQuery, RecommendationsQuery, RecordInteractionsRequest, UserTagsQuery } from '@emporium/contracts';
import { authenticate, parseWith, principalOf, requireRole, serve, uuidParams, type KeySource } from '@emporium/kit';
import type { AnalyticsContext } from '../domain/analytics-context';
import { listTags, platformAnalytics, popular, recommendFor, recomputeTags, shopAnalytics, userTags } from '../domain/figures';

export function analyticsRoutes(ctx: AnalyticsContext, keys: KeySource): Router {
  const router = Router();
  const signedIn = authenticate(keys);
  const admin = [signedIn, requireRole('platform_admin')];

  serve(router, AnalyticsPublic.recordInteractions, async (req, res) => {
    const { items } = parseWith(RecordInteractionsRequest, req.body);
    await ctx.repo.addInteractions(items, new Date());
    res.status(202).end();
  });
  serve(router, AnalyticsPublic.getShopAnalytics, signedIn, async (req, res) => {
    const [shopId] = uuidParams(req, 'shopId');
    const { days } = parseWith(AnalyticsRangeQuery, req.query, 'query');
    res.json(await shopAnalytics(ctx, principalOf(req), shopId!, days));
  });
  serve(router, AnalyticsPublic.getPlatformAnalytics, ...admin, async (req, res) => {
    const { days } = parseWith(AnalyticsRangeQuery, req.query, 'query');
    res.json(await platformAnalytics(ctx, days));
  });
  serve(router, AnalyticsPublic.listUserTags, ...admin, async (req, res) => {
    res.json(await listTags(ctx, parseWith(UserTagsQuery, req.query, 'query')));
  });
  serve(router, AnalyticsPublic.getUserTags, ...admin, async (req, res) => {
    const [userId] = uuidParams(req, 'userId');
    res.json(await userTags(ctx, userId!));
  });
  serve(router, AnalyticsPublic.backfillAnalytics, ...admin, async (_req, res) => {
    const result = await ctx.repo.recomputeAggregates();
    await recomputeTags(ctx);
    res.json(result);
  });
  serve(router, AnalyticsPublic.recommendForProduct, async (req, res) => {
    const [productId] = uuidParams(req, 'productId');
    const { limit } = parseWith(RecommendationsQuery, req.query, 'query');
    res.json(await recommendFor(ctx, productId!, limit));
  });
  serve(router, AnalyticsPublic.recommendPopular, async (req, res) => {
    const { limit } = parseWith(RecommendationsQuery, req.query, 'query');
    res.json(await popular(ctx, limit));
  });
  return router;
}
