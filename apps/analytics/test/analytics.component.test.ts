import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { PlatformAnalytics, Product, Recommendations, ShopAnalytics, TokenPair, UserTags, UserTagsPage } from '@emporium/contracts';
import { eventually } from '@emporium/devkit';
import { bearer, marketplaceFixtures, startTestPlatform, uniqueSuffix, type TestApp, type TestPeer, type TestPlatform } from '@emporium/devkit/testing';
import { analyticsService } from '../src/app';

/**
 * analytics with its own sidecar beside real identity, shop and catalog (the
 * products and shops it knows come from their events); the orders it counts
 * are delivered to it as its sidecar would, some twice.
 */
describe('analytics', () => {
  let platform: TestPlatform;
  let identity: TestPeer;
  let shop: TestPeer;
  let catalog: TestPeer;
  let analytics: TestApp;
  const run = uniqueSuffix();
  let fx: ReturnType<typeof marketplaceFixtures>;
  let kiln: { tokens: TokenPair; shopId: string };
  let loom: { tokens: TokenPair; shopId: string };
  let p1: Product;
  let p2: Product;
  let p3: Product;
  const buyerA = randomUUID();
  const buyerB = randomUUID();
  const cny = (amount: number) => ({ amount, currency: 'CNY' });

  const deliver = async (topic: string, data: Record<string, unknown>, id = randomUUID()) => {
    const event = { id, specversion: '1.0', source: 'test', type: `emporium.${topic}.v1`, datacontenttype: 'application/json', data: { version: 1, occurredAt: new Date().toISOString(), ...data } };
    const res = await request(analytics.url).post(`/dapr/events/${topic}`).set('content-type', 'application/cloudevents+json').send(event);
    expect(res.body).toEqual({ status: 'SUCCESS' });
  };
  const paid = (orderId: string, subOrderId: string, buyer: string, lines: [Product, number, number][]) => ({
    orderId,
    buyerUserId: buyer,
    total: cny(lines.reduce((n, l) => n + l[2], 0)),
    subOrders: [{ subOrderId, shopId: kiln.shopId, total: cny(lines.reduce((n, l) => n + l[2], 0)), lines: lines.map(([p, quantity, amount]) => ({ productId: p.id, skuId: p.skus[0]!.id, quantity, paid: cny(amount) })) }],
  });
  const shopFigures = async () => (await request(analytics.url).get(`/shops/${kiln.shopId}/analytics`).set('Authorization', bearer(kiln.tokens)).expect(200)).body as ShopAnalytics;

  beforeAll(async () => {
    platform = await startTestPlatform({ profile: 'services' });
    [identity, shop, catalog, analytics] = await Promise.all([
      platform.startPeer('identity', { env: { SCRYPT_COST: '1024', LOGIN_MAX_FAILURES_PER_ADDRESS: '100000' } }),
      platform.startPeer('shop'),
      platform.startPeer('catalog'),
      platform.startApp(analyticsService, { appId: 'analytics', env: { ANALYTICS_TAGS_EVERY_MS: '3600000' } }),
    ]);
    fx = marketplaceFixtures({ identity, shop, catalog }, { run, password: 'a long enough password', databaseUrl: platform.endpoints.postgres });
    [kiln, loom] = await Promise.all([fx.merchant('kiln'), fx.merchant('loom')]);
    [p1, p2, p3] = await Promise.all([fx.product(kiln, { white: 5000 }), fx.product(kiln, { white: 3000 }), fx.product(kiln, { blue: 8000 })]);
    // analytics knows the products from catalog's events
    const db = analytics.service.deps.db;
    await eventually('products known', () => db.query<{ n: string }>('SELECT count(*) AS n FROM products WHERE product_id IN (:ids)', { ids: [p1.id, p2.id, p3.id] }), (r) => r[0]?.n === '3', 20_000);
  });
  afterAll(async () => {
    await platform?.stop();
  });

  it('when web reports views and carts, then a shop counts each session once a day and unknown products are dropped', async () => {
    const s1 = `sess-${run}-one-abcdef`.replace(/[^A-Za-z0-9_-]/g, '');
    const s2 = `sess-${run}-two-abcdef`.replace(/[^A-Za-z0-9_-]/g, '');
    const send = (items: object[]) => request(analytics.url).post('/analytics/interactions').send({ items });
    expect((await send([{ kind: 'view', productId: p1.id, sessionId: s1 }, { kind: 'view', productId: p2.id, sessionId: s1 }, { kind: 'view', productId: p1.id, sessionId: s2 }])).status).toBe(202);
    expect((await send([{ kind: 'view', productId: p1.id, sessionId: s1 }, { kind: 'cart', productId: p1.id, sessionId: s1 }, { kind: 'view', productId: randomUUID(), sessionId: s1 }])).status).toBe(202);
    const bad = await send([{ kind: 'like', productId: p1.id, sessionId: 'x' }]);
    expect([bad.status, (bad.body.errors as { field: string }[]).map((e) => e.field).sort()]).toEqual([400, ['items.0.kind', 'items.0.sessionId']]);
    const figures = await shopFigures();
    expect(figures.funnel).toEqual({ views: 2, carts: 1, paid: 0 });
    const today = figures.days[figures.days.length - 1]!;
    expect([today.views, today.carts]).toEqual([2, 1]);
  });

  it('when a session\'s views of two products of a shop come side by side, then the shop counts the session once', async () => {
    const send = (items: object[]) => request(analytics.url).post('/analytics/interactions').send({ items });
    const todayViews = async () => (await shopFigures()).days.at(-1)!.views;
    const before = await todayViews();
    const sessions = Array.from({ length: 8 }, (_, i) => `sess-${run}-side-${i}`.replace(/[^A-Za-z0-9_-]/g, ''));
    const sent = await Promise.all(sessions.flatMap((sessionId) => [send([{ kind: 'view', productId: p1.id, sessionId }]), send([{ kind: 'view', productId: p3.id, sessionId }])]));
    expect(sent.map((r) => r.status)).toEqual(sent.map(() => 202));
    expect((await todayViews()) - before).toBe(sessions.length);
  });

  it('when orders are paid (one delivered twice) and one refunded, then sales, top products, refund rate and the platform add up', async () => {
    const orderA = randomUUID();
    const subA = randomUUID();
    const eventId = randomUUID();
    await deliver('order.paid', paid(orderA, subA, buyerA, [[p1, 2, 10_000], [p2, 1, 3_000]]), eventId);
    await deliver('order.paid', paid(orderA, subA, buyerA, [[p1, 2, 10_000], [p2, 1, 3_000]]), eventId);
    await deliver('order.paid', paid(randomUUID(), randomUUID(), buyerB, [[p1, 1, 5_000], [p3, 1, 8_000]]));
    await deliver('sub-order.refunded', { orderId: orderA, subOrderId: subA, shopId: kiln.shopId, refundId: randomUUID(), amount: cny(2_600), full: false });

    const figures = await shopFigures();
    expect(figures.totals).toEqual({ orders: 2, sales: cny(26_000), refunds: 1, refunded: cny(2_600), buyers: 2 });
    expect(figures.refundRateBps).toBe(1_000);
    expect(figures.topProducts.map((p) => [p.productId, p.units, p.sales.amount])).toEqual([[p1.id, 3, 15_000], [p3.id, 1, 8_000], [p2.id, 1, 3_000]]);
    expect(figures.funnel.paid).toBe(2);
    expect(figures.days).toHaveLength(30);

    // a merchant of another shop sees nothing of it, not even that it exists
    expect((await request(analytics.url).get(`/shops/${kiln.shopId}/analytics`).set('Authorization', bearer(loom.tokens))).status).toBe(404);

    const admin = await fx.platformAdmin();
    const platformFigures = (await request(analytics.url).get('/admin/analytics?days=7').set('Authorization', bearer(admin)).expect(200)).body as PlatformAnalytics;
    expect(platformFigures.days).toHaveLength(7);
    expect(platformFigures.totals.gmv.amount).toBeGreaterThanOrEqual(26_000);
    expect(platformFigures.totals.newShops).toBeGreaterThanOrEqual(2);
    expect(platformFigures.topShops.find((s) => s.shopId === kiln.shopId)).toMatchObject({ gmv: cny(26_000), orders: 2 });
    expect((await request(analytics.url).get('/admin/analytics').set('Authorization', bearer(kiln.tokens))).status).toBe(403);
  });

  it('when the aggregates are rebuilt from the facts, then every figure is the same', async () => {
    const before = await shopFigures();
    const admin = await fx.platformAdmin();
    const result = await request(analytics.url).post('/admin/analytics/backfill').set('Authorization', bearer(admin)).expect(200);
    expect(result.body.days).toBeGreaterThanOrEqual(1);
    expect(await shopFigures()).toEqual(before);
  });

  it('when buyers are tagged, then the groups and favourite categories follow their orders', async () => {
    const admin = await fx.platformAdmin();
    const tags = (await request(analytics.url).get(`/admin/users/${buyerA}/tags`).set('Authorization', bearer(admin)).expect(200)).body as UserTags;
    expect([tags.rfm, tags.frequency, tags.recencyDays, tags.monetary, tags.favouriteCategories]).toEqual(['new', 1, 0, cny(10_400), [p1.categoryId]]);
    const page = (await request(analytics.url).get('/admin/analytics/user-tags?rfm=new&limit=200').set('Authorization', bearer(admin)).expect(200)).body as UserTagsPage;
    expect(page.items.map((t) => t.userId)).toEqual(expect.arrayContaining([buyerA, buyerB]));
    expect(page.groups.find((g) => g.rfm === 'new')?.users).toBeGreaterThanOrEqual(2);
    expect((await request(analytics.url).get(`/admin/users/${randomUUID()}/tags`).set('Authorization', bearer(admin))).status).toBe(404);

    // each buyer's move into a group was published once (notification's broadcasts to a tag follow it); a recompute that moves nobody publishes nothing
    const db = analytics.service.deps.db;
    // this suite's buyers only: component suites beside it publish orders on the same topics, whose buyers move too
    const moves = async () =>
      (await db.select<{ body: { changes: { userId: string; rfm: string | null }[] } }>("SELECT body FROM outbox WHERE topic = 'user-segments.changed' ORDER BY seq"))
        .flatMap((r) => r.body.changes)
        .filter((c) => c.userId === buyerA || c.userId === buyerB);
    const seen = await moves();
    expect(seen.filter((c) => c.userId === buyerA)).toEqual([{ userId: buyerA, rfm: 'new' }]);
    await request(analytics.url).post('/admin/analytics/backfill').set('Authorization', bearer(admin)).expect(200);
    expect((await moves()).length).toBe(seen.length);
  });

  it('when a product was bought with others, then they are recommended beside it, and the category and platform best sellers fill the rest', async () => {
    const forP2 = (await request(analytics.url).get(`/products/${p2.id}/recommendations?limit=3`).expect(200)).body as Recommendations;
    // (other component tests running beside this one publish on the same topics: the platform's best sellers
    // may hold their products, so only this test's own come first and anything after is the platform's)
    expect(forP2.items.slice(0, 2).map((r) => [r.productId, r.reason, r.score])).toEqual([[p1.id, 'bought_together', 1], [p3.id, 'popular_in_category', 1]]);
    expect(forP2.items.slice(2).every((r) => r.reason === 'popular' && r.productId !== p2.id)).toBe(true);
    const forP1 = (await request(analytics.url).get(`/products/${p1.id}/recommendations`).expect(200)).body as Recommendations;
    expect(forP1.items.slice(0, 2).map((r) => r.productId).sort()).toEqual([p2.id, p3.id].sort());
    expect(forP1.items.map((r) => r.productId)).not.toContain(p1.id);
    const popular = (await request(analytics.url).get('/recommendations/popular?limit=20').expect(200)).body as Recommendations;
    expect(popular.items.findIndex((r) => r.productId === p1.id)).toBeLessThan(popular.items.findIndex((r) => r.productId === p3.id));
  });
});
