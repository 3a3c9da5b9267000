import type { Order, PlatformAnalytics, Recommendations, ShopAnalytics } from '@emporium/contracts';
import { call, e2ePeople, eventually, paymentPage, submitCard } from '@emporium/devkit/client';

/**
 * Analytics through /api/v1 (issue #15): a shopper views a product, puts it
 * in the cart and pays an order holding it and another shop's product; the
 * seller's 30 days, the funnel and "bought together" move, and the admin's
 * platform figures count the order.
 */
describe('analytics through /api/v1', () => {
  const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`;
  const { admin: platformAdmin, shopSelling, register } = e2ePeople(run);

  it('when a shopper views, carts and pays, then the seller figures, the funnel, the platform and bought together move', async () => {
    const admin = await platformAdmin();
    // the platform's figures list the ten shops that sold most today, over every test of the suite: this shop sells dear enough to be among them
    const [a, b] = await Promise.all([shopSelling('alya', admin, 198_000, 10), shopSelling('blyb', admin, 2_400, 10)]);
    const shopper = (await register('anly-buyer')).tokens;
    const visitor = `e2e${run}visitor`.replace(/[^A-Za-z0-9]/g, '').padEnd(16, 'x');
    const before = (await call<ShopAnalytics>('GET', `/shops/${a.shopId}/analytics`, { token: a.tokens })).body;
    expect(before.totals.orders).toBe(0);

    // the product events reach analytics on their own time: a view of a product it does not know yet is dropped, so ask until it counts
    await eventually(
      'the view counted',
      async () => {
        expect((await call('POST', '/analytics/interactions', { body: { items: [{ kind: 'view', productId: a.productId, sessionId: visitor }, { kind: 'cart', productId: a.productId, sessionId: visitor }] } })).status).toBe(202);
        return (await call<ShopAnalytics>('GET', `/shops/${a.shopId}/analytics`, { token: a.tokens })).body.funnel;
      },
      (f) => f.views === 1 && f.carts === 1,
      15_000,
    );

    const placed = await call<Order>('POST', '/checkout', { token: shopper, idempotent: true, body: { paymentMethod: 'card', lines: [{ skuId: a.skuId, quantity: 2 }, { skuId: b.skuId, quantity: 1 }] } });
    expect(placed.status).toBe(202);
    expect((await submitCard(await paymentPage(placed.body, shopper))).status).toBe(303);
    const paid = await eventually('paid', async () => (await call<Order>('GET', `/orders/${placed.body.id}`, { token: shopper })).body, (o) => o.status === 'paid');
    const subA = paid.subOrders.find((s) => s.shopId === a.shopId)!;

    const figures = await eventually('the seller figures', async () => (await call<ShopAnalytics>('GET', `/shops/${a.shopId}/analytics`, { token: a.tokens })).body, (f) => f.totals.orders === 1, 15_000);
    expect(figures.totals).toMatchObject({ orders: 1, sales: subA.total, buyers: 1 });
    expect(figures.days[figures.days.length - 1]).toMatchObject({ orders: 1, sales: subA.total, views: 1, carts: 1 });
    expect(figures.topProducts.map((p) => [p.productId, p.units])).toEqual([[a.productId, 2]]);
    expect(figures.funnel).toEqual({ views: 1, carts: 1, paid: 1 });
    // the other shop's merchant sees nothing of it
    expect((await call('GET', `/shops/${a.shopId}/analytics`, { token: b.tokens })).status).toBe(404);

    const together = await eventually('bought together', async () => (await call<Recommendations>('GET', `/products/${a.productId}/recommendations`)).body, (r) => r.items.some((i) => i.productId === b.productId));
    expect(together.items[0]).toMatchObject({ productId: b.productId, reason: 'bought_together', score: 1 });

    const platform = (await call<PlatformAnalytics>('GET', '/admin/analytics?days=1', { token: admin })).body;
    expect(platform.topShops.find((s) => s.shopId === a.shopId)).toMatchObject({ orders: 1, gmv: subA.total });
    expect((await call('GET', '/admin/analytics', { token: shopper })).status).toBe(403);
  });
});
