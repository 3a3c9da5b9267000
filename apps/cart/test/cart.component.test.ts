import request from 'supertest';
import type { Cart, Product, TokenPair } from '@emporium/contracts';
import { InvocationError } from '@emporium/kit';
import { bearer, callerService, marketplaceFixtures, startTestPlatform, type TestApp, type TestPeer, type TestPlatform, uniqueSuffix } from '@emporium/devkit/testing';
import { cartService } from '../src/app';


describe('cart', () => {
  let platform: TestPlatform;
  let identity: TestPeer;
  let shop: TestPeer;
  let catalog: TestPeer;
  let inventory: TestPeer;
  let cart: TestApp;
  let order: TestApp;
  const run = uniqueSuffix();
  const password = 'a long enough password';
  let fx: ReturnType<typeof marketplaceFixtures>;
  let kiln: { tokens: TokenPair; shopId: string };
  let loom: { tokens: TokenPair; shopId: string };
  let cups: Product;
  let scarves: Product;

  beforeAll(async () => {
    platform = await startTestPlatform({ profile: 'services' });
    [identity, shop, catalog, inventory, cart, order] = await Promise.all([
      platform.startPeer('identity', { env: { SCRYPT_COST: '1024', LOGIN_MAX_FAILURES_PER_ADDRESS: '100000' } }),
      platform.startPeer('shop'),
      platform.startPeer('catalog'),
      platform.startPeer('inventory'),
      platform.startApp(cartService, { appId: 'cart' }),
      platform.startApp(callerService('cart_test_order'), { appId: 'order' }),
    ]);
    fx = marketplaceFixtures({ identity, shop, catalog }, { run, password, databaseUrl: platform.endpoints.postgres });
    [kiln, loom] = await Promise.all([fx.merchant('kiln'), fx.merchant('loom')]);
    [cups, scarves] = await Promise.all([fx.product(kiln, { white: 6800, blue: 7300, red: 7800 }), fx.product(loom, { white: 2000, blue: 2100, red: 2200 })]);
    // stock: 5 of every cup, none of the scarves but the white one (2)
    for (const s of cups.skus) {
      await request(inventory.url).post(`/shops/${kiln.shopId}/stock/${s.id}/receipts`).set('Authorization', bearer(kiln.tokens)).set('Idempotency-Key', fx.key()).send({ quantity: 5 }).expect(200);
    }
    await request(inventory.url).post(`/shops/${loom.shopId}/stock/${sku(scarves, 'white')}/receipts`).set('Authorization', bearer(loom.tokens)).set('Idempotency-Key', fx.key()).send({ quantity: 2 }).expect(200);
  });
  afterAll(async () => {
    await platform?.stop();
  });

  function sku(p: Product, colour: string): string {
    return p.skus.find((s) => s.specValues.colour === colour)!.id;
  }
  const as = (who: { token?: TokenPair; cartToken?: string }) => {
    const set = (r: request.Test) => {
      if (who.token) r.set('Authorization', bearer(who.token));
      if (who.cartToken) r.set('X-Cart-Token', who.cartToken);
      return r;
    };
    return {
      get: () => set(request(cart.url).get('/cart')),
      put: (skuId: string, body: object) => set(request(cart.url).put(`/cart/lines/${skuId}`)).send(body),
      del: (skuId: string) => set(request(cart.url).delete(`/cart/lines/${skuId}`)),
      merge: (cartToken: string) => set(request(cart.url).post('/cart/merge')).send({ cartToken }),
    };
  };
  const newGuest = async () => ((await request(cart.url).post('/guest-carts').expect(201)).body as { cartToken: string }).cartToken;

  it('when a guest fills a cart from two shops, then lines come grouped by shop with price, stock and what is wrong', async () => {
    const guest = as({ cartToken: await newGuest() });
    await guest.put(sku(cups, 'white'), { quantity: 2 }).expect(200);
    await guest.put(sku(scarves, 'white'), { quantity: 3 }).expect(200);
    const view = (await guest.put(sku(scarves, 'blue'), { quantity: 1, selected: false }).expect(200)).body as Cart;
    expect(view.shops.map((s) => [s.shopId, s.lines.map((l) => [l.quantity, l.price?.amount, l.available, l.flags])])).toEqual([
      [kiln.shopId, [[2, 6800, 5, []]]],
      [loom.shopId, [[3, 2000, 2, ['insufficient_stock']], [1, 2100, 0, ['out_of_stock']]]],
    ]);
    expect(view.checkoutReady).toBe(false);
    // fewer scarves, and the unselected line does not count
    expect(((await guest.put(sku(scarves, 'white'), { quantity: 2 }).expect(200)).body as Cart).checkoutReady).toBe(true);

    const zero = await guest.put(sku(cups, 'white'), { quantity: 0 });
    expect([zero.status, zero.body.errors?.[0]?.field]).toEqual([400, 'quantity']);
    expect((await guest.put('00000000-0000-4000-8000-000000000000', { quantity: 1 })).status).toBe(404);
    const draft = await fx.product(kiln, { white: 100 }, { publish: false });
    expect((await guest.put(draft.skus[0]!.id, { quantity: 1 })).status).toBe(422);
    expect((await request(cart.url).get('/cart')).status).toBe(401);
    expect((await as({ cartToken: 'x'.repeat(43) }).get()).status).toBe(404);
  });

  it("when a guest signs in, then the guest cart's lines join the user's and the guest cart is gone", async () => {
    const cartToken = await newGuest();
    const guest = as({ cartToken });
    await guest.put(sku(cups, 'blue'), { quantity: 2 }).expect(200);
    await guest.put(sku(cups, 'red'), { quantity: 1, selected: false }).expect(200);
    const shopper = as({ token: (await fx.accounts.register('shopper')).tokens });
    await shopper.put(sku(cups, 'blue'), { quantity: 1, selected: false }).expect(200);

    const merged = (await shopper.merge(cartToken).expect(200)).body as Cart;
    expect(merged.shops[0]?.lines.map((l) => [l.skuId, l.quantity, l.selected])).toEqual([
      [sku(cups, 'blue'), 3, true],
      [sku(cups, 'red'), 1, false],
    ]);
    expect((await guest.get()).status).toBe(404);
    expect((await shopper.merge(cartToken)).status).toBe(404);
    expect(((await shopper.get().expect(200)).body as Cart).lineCount).toBe(2);
  });

  it('when many changes hit one cart at once, then none is lost', async () => {
    const user = as({ token: (await fx.accounts.register('busy')).tokens });
    const skus = [...cups.skus, ...scarves.skus].map((s) => s.id);
    const answers = await Promise.all(skus.map((id) => user.put(id, { quantity: 1 })));
    expect(answers.map((a) => a.status)).toEqual(skus.map(() => 200));
    const view = (await user.get().expect(200)).body as Cart;
    expect(view.shops.flatMap((s) => s.lines.map((l) => l.skuId)).sort()).toEqual([...skus].sort());
  });

  it('when a product leaves the storefront, then its line is flagged, not dropped', async () => {
    const p = await fx.product(kiln, { white: 500 });
    const user = as({ token: (await fx.accounts.register('flag')).tokens });
    await user.put(p.skus[0]!.id, { quantity: 1 }).expect(200);
    await request(catalog.url).post(`/shops/${kiln.shopId}/products/${p.id}/unpublish`).set('Authorization', bearer(kiln.tokens)).expect(200);
    const line = ((await user.get().expect(200)).body as Cart).shops[0]?.lines[0];
    expect(line?.flags).toEqual(['unpublished', 'out_of_stock']);
  });

  it('when order reads and clears the ordered lines, then only it may', async () => {
    const session = await fx.accounts.register('orderer');
    const user = as({ token: session.tokens });
    await user.put(sku(cups, 'white'), { quantity: 1 }).expect(200);
    await user.put(sku(cups, 'blue'), { quantity: 2 }).expect(200);
    const userId = session.user.id;
    const stored = await order.dapr.invoke<{ lines: { skuId: string }[] }>('cart', 'GET', `/internal/carts/${userId}`);
    expect(stored.lines).toHaveLength(2);
    const left = await order.dapr.invoke<{ lines: { skuId: string }[] }>('cart', 'POST', `/internal/carts/${userId}/remove`, { skuIds: [sku(cups, 'white')] });
    expect(left.lines.map((l) => l.skuId)).toEqual([sku(cups, 'blue')]);
    const denied = await catalog.dapr.invoke('cart', 'GET', `/internal/carts/${userId}`).catch((e: unknown) => e);
    // refused by cart's sidecar: its access-control policy lets only order in
    expect(denied instanceof InvocationError && denied.status).toBe(403);
  });
});
