import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { Reservation, Stock, TokenPair } from '@emporium/contracts';
import { InvocationError } from '@emporium/kit';
import { bearer, callerService, marketplaceFixtures, startTestPlatform, type TestApp, type TestPeer, type TestPlatform, uniqueSuffix } from '@emporium/devkit/testing';
import { inventoryService } from '../src/app';


describe('inventory', () => {
  let platform: TestPlatform;
  let identity: TestPeer;
  let shop: TestPeer;
  let catalog: TestPeer;
  let inventory: TestApp;
  let order: TestApp;
  const run = uniqueSuffix();
  const password = 'a long enough password';
  let keyN = 0;
  const key = () => `k${keyN++}-${run}`;

  beforeAll(async () => {
    platform = await startTestPlatform({ profile: 'services' });
    [identity, shop, catalog, inventory, order] = await Promise.all([
      platform.startPeer('identity', { env: { SCRYPT_COST: '1024', LOGIN_MAX_FAILURES_PER_ADDRESS: '100000' } }),
      platform.startPeer('shop'),
      platform.startPeer('catalog'),
      platform.startApp(inventoryService, { appId: 'inventory', env: { EXPIRY_SWEEP_MS: '200' } }),
      platform.startApp(callerService('inventory_test_order'), { appId: 'order' }),
    ]);
  });
  afterAll(async () => {
    await platform?.stop();
  });

  const inv = () => request(inventory.url);
  const reserve = (body: unknown) => order.dapr.invoke<{ orderId: string; items: Reservation[] }>('inventory', 'POST', '/internal/reservations', body);
  const status = async (p: Promise<unknown>) => {
    try {
      await p;
      return 200;
    } catch (err) {
      if (err instanceof InvocationError) return err.status;
      throw err;
    }
  };
  // inventory's own schema (the test platform names one per app)
  const sql = () => inventory.service.deps.db;
  const invariant = async (skuId: string) => {
    const [row] = await sql().query<{ ok: boolean }>('SELECT available + reserved + sold = received AS ok FROM stock WHERE sku_id = :skuId', { skuId });
    return row?.ok;
  };
  const outbox = (topic: string, match: string) =>
    sql().query<{ body: unknown }>('SELECT body FROM outbox WHERE topic = :topic AND body::text LIKE :match', { topic, match: `%${match}%` });
  async function eventually<T>(what: string, fn: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
    for (let i = 0; i < 100; i++) {
      const v = await fn();
      if (ok(v)) return v;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`${what} never happened`);
  }

  type Seller = { tokens: TokenPair; shopId: string; skus: string[] };
  let seller: Seller;
  let rival: Seller;

  beforeAll(async () => {
    const fx = marketplaceFixtures({ identity, shop, catalog }, { run, password, databaseUrl: platform.endpoints.postgres });
    // drafts: stock may arrive before a product is published
    const withProduct = async (who: string): Promise<Seller> => {
      const m = await fx.merchant(who);
      return { ...m, skus: (await fx.product(m, { white: 5000, blue: 5001 }, { publish: false })).skus.map((x) => x.id) };
    };
    [seller, rival] = await Promise.all([withProduct('seller'), withProduct('rival')]);
  });

  it("when a merchant receives and adjusts stock, then it is audited, retried safely and out of other merchants' reach", async () => {
    const [skuA] = seller.skus;
    const receipt = () =>
      inv().post(`/shops/${seller.shopId}/stock/${skuA}/receipts`).set('Authorization', bearer(seller.tokens)).set('Idempotency-Key', `receive-${run}`).send({ quantity: 10, reason: 'first delivery' });
    const first = (await receipt().expect(200)).body as Stock;
    const again = (await receipt().expect(200)).body as Stock;
    expect([first.received, first.available, again.received]).toEqual([10, 10, 10]);

    // bad input names the field, changes nothing
    const zero = await inv().post(`/shops/${seller.shopId}/stock/${skuA}/receipts`).set('Authorization', bearer(seller.tokens)).set('Idempotency-Key', key()).send({ quantity: 0 });
    expect([zero.status, zero.body.errors?.[0]?.field]).toEqual([400, 'quantity']);
    const noReason = await inv().post(`/shops/${seller.shopId}/stock/${skuA}/adjustments`).set('Authorization', bearer(seller.tokens)).set('Idempotency-Key', key()).send({ delta: -1 });
    expect([noReason.status, noReason.body.errors?.[0]?.field]).toEqual([400, 'reason']);
    const tooMany = await inv().post(`/shops/${seller.shopId}/stock/${skuA}/adjustments`).set('Authorization', bearer(seller.tokens)).set('Idempotency-Key', key()).send({ delta: -11, reason: 'lost' });
    expect(tooMany.status).toBe(409);

    const adjusted = (
      await inv().post(`/shops/${seller.shopId}/stock/${skuA}/adjustments`).set('Authorization', bearer(seller.tokens)).set('Idempotency-Key', key()).send({ delta: -2, reason: 'two broke in transit' }).expect(200)
    ).body as Stock;
    expect([adjusted.received, adjusted.available]).toEqual([8, 8]);
    const detail = (await inv().get(`/shops/${seller.shopId}/stock/${skuA}`).set('Authorization', bearer(seller.tokens)).expect(200)).body as Stock & {
      movements: { kind: string; quantity: number; reason: string; actorUserId: string }[];
    };
    expect(detail.movements.map((m) => [m.kind, m.quantity, m.reason])).toEqual([
      ['adjust', -2, 'two broke in transit'],
      ['receive', 10, 'first delivery'],
    ]);

    // another merchant, or a SKU of another shop: as if it did not exist
    expect((await inv().get(`/shops/${seller.shopId}/stock/${skuA}`).set('Authorization', bearer(rival.tokens))).status).toBe(404);
    expect((await inv().post(`/shops/${rival.shopId}/stock/${skuA}/receipts`).set('Authorization', bearer(rival.tokens)).set('Idempotency-Key', key()).send({ quantity: 1 })).status).toBe(404);
    expect((await inv().post(`/shops/${seller.shopId}/stock/${randomUUID()}/receipts`).set('Authorization', bearer(seller.tokens)).set('Idempotency-Key', key()).send({ quantity: 1 })).status).toBe(404);
    expect((await inv().get(`/shops/${seller.shopId}/stock`)).status).toBe(401);

    const list = (await inv().get(`/shops/${seller.shopId}/stock`).set('Authorization', bearer(seller.tokens)).expect(200)).body as { items: Stock[] };
    expect(list.items.map((s) => s.skuId)).toEqual([skuA]);
    expect(await invariant(skuA!)).toBe(true);
  });

  it('when order reserves, confirms and releases, then stock moves between available, reserved and sold exactly once', async () => {
    const [, skuB] = seller.skus;
    await inv().post(`/shops/${seller.shopId}/stock/${skuB}/receipts`).set('Authorization', bearer(seller.tokens)).set('Idempotency-Key', key()).send({ quantity: 10 }).expect(200);
    await inv().put(`/shops/${seller.shopId}/stock/${skuB}/threshold`).set('Authorization', bearer(seller.tokens)).send({ lowStockThreshold: 5 }).expect(200);
    const stock = async () => ((await inv().get(`/shops/${seller.shopId}/stock/${skuB}`).set('Authorization', bearer(seller.tokens))).body as Stock);

    const paid = `order-paid-${run}`;
    const body = { orderId: paid, lines: [{ lineId: 'l1', skuId: skuB, quantity: 3 }, { lineId: 'l2', skuId: skuB, quantity: 1 }] };
    const held = await reserve(body);
    expect(held.items.map((r) => [r.lineId, r.status])).toEqual([['l1', 'held'], ['l2', 'held']]);
    await reserve(body); // the same call again holds nothing more
    expect(await stock()).toMatchObject({ available: 6, reserved: 4, sold: 0 });
    expect(await status(reserve({ ...body, lines: [{ lineId: 'l1', skuId: skuB, quantity: 5 }] }))).toBe(409);

    // all or nothing: a short line leaves the other unheld
    const [skuA] = seller.skus;
    expect(await status(reserve({ orderId: `order-short-${run}`, lines: [{ lineId: 'a', skuId: skuB, quantity: 1 }, { lineId: 'b', skuId: skuA, quantity: 999 }] }))).toBe(409);
    expect(await stock()).toMatchObject({ available: 6, reserved: 4 });
    // a SKU never stocked cannot be held either
    expect(await status(reserve({ orderId: `order-none-${run}`, lines: [{ lineId: 'a', skuId: rival.skus[0], quantity: 1 }] }))).toBe(409);

    const confirmed = await order.dapr.invoke<{ items: Reservation[] }>('inventory', 'POST', `/internal/reservations/${paid}/confirm`);
    expect(confirmed.items.map((r) => r.status)).toEqual(['confirmed', 'confirmed']);
    await order.dapr.invoke('inventory', 'POST', `/internal/reservations/${paid}/confirm`);
    await order.dapr.invoke('inventory', 'POST', `/internal/reservations/${paid}/release`, { reason: 'too late' });
    expect(await stock()).toMatchObject({ received: 10, available: 6, reserved: 0, sold: 4 });

    const cancelled = `order-cancelled-${run}`;
    await reserve({ orderId: cancelled, lines: [{ lineId: 'l1', skuId: skuB, quantity: 2 }] });
    expect((await stock()).level).toBe('low');
    for (let i = 0; i < 2; i++) await order.dapr.invoke('inventory', 'POST', `/internal/reservations/${cancelled}/release`, { reason: 'buyer cancelled' });
    expect(await status(order.dapr.invoke('inventory', 'POST', `/internal/reservations/${cancelled}/confirm`))).toBe(409);
    expect(await stock()).toMatchObject({ available: 6, reserved: 0, sold: 4, level: 'in_stock' });

    // one stock.low when available fell to 4, armed again once it rose above 5
    expect(await outbox('stock.low', skuB!)).toHaveLength(1);
    const availability = (await inv().get(`/stock?skuIds=${skuB},${rival.skus[1]}`).expect(200)).body as { items: unknown[] };
    expect(availability.items).toEqual([
      { skuId: skuB, available: 6, level: 'in_stock' },
      { skuId: rival.skus[1], available: 0, level: 'out_of_stock' },
    ]);
    expect((await inv().get('/stock?skuIds=nope')).body.errors?.[0]?.field).toBe('skuIds');
    expect(await invariant(skuB!)).toBe(true);
  });

  it('when a hold is not confirmed in time, then the units go back and an event says so', async () => {
    const [skuA] = rival.skus;
    await inv().post(`/shops/${rival.shopId}/stock/${skuA}/receipts`).set('Authorization', bearer(rival.tokens)).set('Idempotency-Key', key()).send({ quantity: 3 }).expect(200);
    const late = `order-late-${run}`;
    await reserve({ orderId: late, lines: [{ lineId: 'l1', skuId: skuA, quantity: 2 }], holdSeconds: 1 });
    const expired = await eventually(
      'expiry',
      () => order.dapr.invoke<{ items: Reservation[] }>('inventory', 'GET', `/internal/reservations/${late}`),
      (r) => r.items[0]?.status === 'expired',
    );
    expect(expired.items[0]?.status).toBe('expired');
    expect((await inv().get(`/stock?skuIds=${skuA}`)).body.items[0].available).toBe(3);
    expect(await outbox('stock.reservation-expired', late)).toHaveLength(1);
  });

  it('when 20 orders race for 5 units, then exactly 5 are held and the stock still adds up', async () => {
    const [, skuB] = rival.skus;
    await inv().post(`/shops/${rival.shopId}/stock/${skuB}/receipts`).set('Authorization', bearer(rival.tokens)).set('Idempotency-Key', key()).send({ quantity: 5 }).expect(200);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => status(reserve({ orderId: `race-${i}-${run}`, lines: [{ lineId: 'l1', skuId: skuB, quantity: 1 }] }))),
    );
    expect(results.filter((s) => s === 200)).toHaveLength(5);
    expect(results.filter((s) => s === 409)).toHaveLength(15);
    expect((await inv().get(`/stock?skuIds=${skuB}`)).body.items[0]).toMatchObject({ available: 0, level: 'out_of_stock' });
    expect(await invariant(skuB!)).toBe(true);
  });

  it('when sold units are taken back at once, by a retry and by a second return, then each reference restocks once and never more than the order bought', async () => {
    const [skuA] = seller.skus;
    await inv().post(`/shops/${seller.shopId}/stock/${skuA}/receipts`).set('Authorization', bearer(seller.tokens)).set('Idempotency-Key', key()).send({ quantity: 5 }).expect(200);
    const orderId = randomUUID();
    await reserve({ orderId, lines: [{ lineId: 'l1', skuId: skuA, quantity: 3 }] });
    await order.dapr.invoke('inventory', 'POST', `/internal/reservations/${orderId}/confirm`);
    const before = (await inv().get(`/shops/${seller.shopId}/stock/${skuA}`).set('Authorization', bearer(seller.tokens))).body as Stock;
    const restock = (reference: string, quantity: number) =>
      order.dapr.invoke<{ reference: string; lines: unknown[] }>('inventory', 'POST', `/internal/restocks/${reference}`, { shopId: seller.shopId, orderId, lines: [{ skuId: skuA, quantity }], reason: 'goods came back' });
    // the first return asked six times at once, a second return for two more beside it: the order bought 3
    const [first, second] = [randomUUID(), randomUUID()];
    const answers = await Promise.all([...Array.from({ length: 6 }, () => status(restock(first, 2))), status(restock(second, 2))]);
    // whichever return commits first has its two units; the other finds one left and is refused
    const firstWon = answers[0] === 200;
    expect(answers).toEqual(firstWon ? [200, 200, 200, 200, 200, 200, 409] : [409, 409, 409, 409, 409, 409, 200]);
    const after = (await inv().get(`/shops/${seller.shopId}/stock/${skuA}`).set('Authorization', bearer(seller.tokens))).body as Stock;
    expect([after.available - before.available, before.sold - after.sold]).toEqual([2, 2]);
    const movements = await sql().query<{ n: string }>("SELECT count(*) AS n FROM stock_movements WHERE order_id = :orderId AND kind = 'restock'", { orderId });
    expect(Number(movements[0]!.n)).toBe(1);
    // the one unit left comes back under the refused reference
    expect(await status(restock(firstWon ? second : first, 1))).toBe(200);
    expect(await invariant(skuA!)).toBe(true);
  });

  it('when anyone but order calls the internal routes, then its sidecar refuses (403), the app hides them (404), and a forged caller header without the token gets 401', async () => {
    const body = { orderId: `order-x-${run}`, lines: [{ lineId: 'l1', skuId: seller.skus[0], quantity: 1 }] };
    // the access-control policy of inventory's sidecar, generated from the registry
    expect(await status(catalog.dapr.invoke('inventory', 'POST', '/internal/reservations', body))).toBe(403);
    // past the sidecar with its token but no caller named
    expect((await inv().post('/internal/reservations').send(body)).status).toBe(404);
    // straight to the app's port, claiming to be order: the app API token is missing
    const forged = await request(inventory.directUrl).post('/internal/reservations').set('dapr-caller-app-id', 'order').send(body);
    expect([forged.status, forged.body.code]).toEqual([401, 'unauthenticated']);
    expect((await request(inventory.directUrl).get('/healthz')).status).toBe(200);
    // a sidecar's API without its token
    const sidecarApi = `http://127.0.0.1:${inventory.sidecarPorts.http}/v1.0`;
    expect((await fetch(`${sidecarApi}/invoke/inventory/method/readyz`)).status).toBe(401);
    expect((await fetch(`${sidecarApi}/invoke/inventory/method/readyz`, { headers: { 'dapr-api-token': inventory.tokens.dapr } })).status).toBe(200);
  });
});
