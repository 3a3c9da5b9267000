import { SEGMENT_CHANGES_PER_EVENT, type PlatformAnalytics, type Recommendations, type RfmGroup, type ShopAnalytics, type UserTags, type UserTagsPage, type UserTagsQuery } from '@emporium/contracts';
import { NotFoundError, requireShopStaff, type Principal, type Transaction } from '@emporium/kit';
import type { AnalyticsContext } from './analytics-context';
import { groupOf, scores } from './rfm';

/** The days from `days - 1` days before today to today, oldest first. */
function range(today: string, days: number): string[] {
  const end = Date.parse(`${today}T00:00:00Z`);
  return Array.from({ length: days }, (_, i) => new Date(end - (days - 1 - i) * 86_400_000).toISOString().slice(0, 10));
}

export async function shopAnalytics(ctx: AnalyticsContext, caller: Principal, shopId: string, days: number): Promise<ShopAnalytics> {
  requireShopStaff(caller, shopId);
  const all = range(await ctx.repo.today(), days);
  const from = all[0]!;
  const to = all[all.length - 1]!;
  const [rows, funnel, top] = await Promise.all([ctx.repo.shopDays(shopId, from, to), ctx.repo.shopFunnel(shopId, from, to), ctx.repo.topProducts(shopId, from, to, 10)]);
  const byDay = new Map(rows.map((r) => [r.day, r]));
  const money = (amount: number) => ({ amount, currency: ctx.currency });
  const series = all.map((day) => {
    const r = byDay.get(day);
    return { day, orders: r?.orders ?? 0, sales: money(Number(r?.sales ?? 0)), refunds: r?.refunds ?? 0, refunded: money(Number(r?.refunded ?? 0)), views: r?.views ?? 0, carts: r?.carts ?? 0 };
  });
  const sales = series.reduce((n, d) => n + d.sales.amount, 0);
  const refunded = series.reduce((n, d) => n + d.refunded.amount, 0);
  return {
    shopId,
    from,
    to,
    days: series,
    totals: { orders: series.reduce((n, d) => n + d.orders, 0), sales: money(sales), refunds: series.reduce((n, d) => n + d.refunds, 0), refunded: money(refunded), buyers: funnel.buyers },
    topProducts: top.map((p) => ({ productId: p.productId, name: p.name, units: Number(p.units), sales: money(Number(p.sales)) })),
    funnel: { views: funnel.views, carts: funnel.carts, paid: funnel.paid },
    refundRateBps: sales === 0 ? 0 : Math.round((refunded * 10_000) / sales),
  };
}

export async function platformAnalytics(ctx: AnalyticsContext, days: number): Promise<PlatformAnalytics> {
  const all = range(await ctx.repo.today(), days);
  const from = all[0]!;
  const to = all[all.length - 1]!;
  const [rows, top] = await Promise.all([ctx.repo.platformDays(from, to), ctx.repo.topShops(from, to, 10)]);
  const byDay = new Map(rows.map((r) => [r.day, r]));
  const money = (amount: number) => ({ amount, currency: ctx.currency });
  const series = all.map((day) => {
    const r = byDay.get(day);
    return { day, gmv: money(Number(r?.gmv ?? 0)), orders: r?.orders ?? 0, refunds: r?.refunds ?? 0, refunded: money(Number(r?.refunded ?? 0)), newShops: r?.newShops ?? 0 };
  });
  return {
    from,
    to,
    days: series,
    totals: {
      gmv: money(series.reduce((n, d) => n + d.gmv.amount, 0)),
      orders: series.reduce((n, d) => n + d.orders, 0),
      refunds: series.reduce((n, d) => n + d.refunds, 0),
      refunded: money(series.reduce((n, d) => n + d.refunded.amount, 0)),
      newShops: series.reduce((n, d) => n + d.newShops, 0),
    },
    topShops: top.map((s) => ({ shopId: s.shopId, name: s.name, gmv: money(Number(s.gmv)), orders: Number(s.orders) })),
  };
}

/**
 * Every buyer of the last year scored and grouped again, a page at a time;
 * buyers with no order in the year lose their tags. Each page's moves to
 * another group (or out of every group) are published with it, in the same
 * transaction (`user-segments.changed`): notification's broadcasts to a tag
 * follow them.
 */
export async function recomputeTags(ctx: AnalyticsContext): Promise<number> {
  const at = new Date();
  const computedAt = at.toISOString();
  const publish = async (t: Transaction, changes: { userId: string; rfm: RfmGroup | null }[]) => {
    if (changes.length > 0) await ctx.events.stage(t, 'user-segments.changed', { computedAt, changes });
  };
  let after: string | null = null;
  let n = 0;
  for (;;) {
    const buyers = await ctx.repo.buyerFigures(after, SEGMENT_CHANGES_PER_EVENT);
    if (buyers.length === 0) break;
    await ctx.db.transaction(async (t) => {
      const changed = await ctx.repo.putTags(
        buyers.map((b) => {
          const recencyDays = Math.max(0, Math.floor((at.getTime() - b.lastPaidAt.getTime()) / 86_400_000));
          const monetary = Math.max(0, Number(b.paid) - Number(b.refunded));
          const s = scores(recencyDays, b.orders, monetary);
          return { userId: b.buyerUserId, rfm: groupOf(s), recencyDays, frequency: b.orders, monetary, ...s, favouriteCategories: b.categories ?? [] };
        }),
        at,
        t,
      );
      await publish(t, changed.map((c) => ({ userId: c.userId, rfm: c.rfm as RfmGroup })));
    });
    n += buyers.length;
    after = buyers[buyers.length - 1]!.buyerUserId;
  }
  for (;;) {
    const dropped = await ctx.db.transaction(async (t) => {
      const users = await ctx.repo.dropTagsBefore(at, SEGMENT_CHANGES_PER_EVENT, t);
      await publish(t, users.map((userId) => ({ userId, rfm: null })));
      return users.length;
    });
    if (dropped < SEGMENT_CHANGES_PER_EVENT) break;
  }
  return n;
}

function tagsView(ctx: AnalyticsContext, r: NonNullable<Awaited<ReturnType<AnalyticsContext['repo']['tagsOf']>>>): UserTags {
  return {
    userId: r.userId,
    rfm: r.rfm as UserTags['rfm'],
    recencyDays: r.recencyDays,
    frequency: r.frequency,
    monetary: { amount: Number(r.monetary), currency: ctx.currency },
    scores: { r: r.r, f: r.f, m: r.m },
    favouriteCategories: r.favouriteCategories,
    computedAt: r.computedAt.toISOString(),
  };
}

export async function listTags(ctx: AnalyticsContext, q: UserTagsQuery): Promise<UserTagsPage> {
  const rows = await ctx.repo.tags({ rfm: q.rfm, category: q.category, after: q.after, limit: q.limit + 1 });
  const page = rows.slice(0, q.limit);
  return {
    items: page.map((r) => tagsView(ctx, r)),
    nextCursor: rows.length > q.limit ? page[page.length - 1]!.userId : null,
    groups: (await ctx.repo.groupCounts()) as UserTagsPage['groups'],
  };
}

export async function userTags(ctx: AnalyticsContext, userId: string): Promise<UserTags> {
  const row = await ctx.repo.tagsOf(userId);
  if (!row) throw new NotFoundError('no tags: the user has no paid order in the last year (or tags were not computed since)');
  return tagsView(ctx, row);
}

type Rec = Awaited<ReturnType<AnalyticsContext['repo']['popular']>>[number];
const recommendation = (ctx: AnalyticsContext, r: Rec, reason: Recommendations['items'][number]['reason']) => ({
  productId: r.productId,
  name: r.name,
  image: r.image,
  minPrice: r.minPrice === null ? null : { amount: Number(r.minPrice), currency: r.currency.trim() },
  reason,
  score: r.score,
});

/** Bought together first, then the best sellers of its category, then of the platform; never the product itself. */
export async function recommendFor(ctx: AnalyticsContext, productId: string, limit: number): Promise<Recommendations> {
  const product = await ctx.repo.product(productId);
  const items = (await ctx.repo.boughtTogether(productId, limit)).map((r) => recommendation(ctx, r, 'bought_together'));
  const exclude = () => [productId, ...items.map((i) => i.productId)];
  if (items.length < limit && product) {
    items.push(...(await ctx.repo.popular({ categoryId: product.categoryId, exclude: exclude(), limit: limit - items.length })).map((r) => recommendation(ctx, r, 'popular_in_category')));
  }
  if (items.length < limit) items.push(...(await ctx.repo.popular({ exclude: exclude(), limit: limit - items.length })).map((r) => recommendation(ctx, r, 'popular')));
  return { items };
}

export async function popular(ctx: AnalyticsContext, limit: number): Promise<Recommendations> {
  return { items: (await ctx.repo.popular({ exclude: [], limit })).map((r) => recommendation(ctx, r, 'popular')) };
}
