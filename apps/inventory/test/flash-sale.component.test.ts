import request from 'supertest';
import type { FlashSale, FlashSaleAvailability, Reservation, Stock, TokenPair } from '@emporium/contracts';
import { InvocationError } from '@emporium/kit';
import { bearer, callerService, identityClient, marketplaceFixtures, startTestPlatform, type TestApp, type TestPeer, type TestPlatform, uniqueSuffix } from '@emporium/devkit/testing';
import { inventoryService } from '../src/app';

/**
 * The FlashSaleStock actor through real sidecars, placement and scheduler:
 * marketing creates the campaign, inventory sets its units aside, shoppers
 * hold units, order's reservations take them, the reminder gives back
 * expired holds and closes the sale, and a crash loses nothing.
 */
describe('inventory: flash sales', () => {
  let platform: TestPlatform;
  let identity: TestPeer;
  let shop: TestPeer;
  let catalog: TestPeer;
  let inventory: TestApp;
  let marketing: TestPeer;
  let order: TestApp;
  const run = uniqueSuffix();
  const password = 'a long enough password';
  let keyN = 0;
  const key = () => `k${keyN++}-${run}`;
  const inventoryEnv = { FLASH_HOLD_SECONDS: '2', FLASH_SWEEP_SECONDS: '1', FLASH_SOLD_OUT_RECHECK_MS: '300', EXPIRY_SWEEP_MS: '200' };

  let seller: { tokens: TokenPair; shopId: string };
  let skuId: string;
  let shoppers: TokenPair[];
  let userIds: string[];

  beforeAll(async () => {
    platform = await startTestPlatform({ profile: 'services' });
    [identity, shop, catalog, inventory, marketing, order] = await Promise.all([
      platform.startPeer('identity', { env: { SCRYPT_COST: '1024', LOGIN_MAX_FAILURES_PER_ADDRESS: '100000' } }),
      platform.startPeer('shop'),
      platform.startPeer('catalog'),
      platform.startApp(inventoryService, { appId: 'inventory', env: inventoryEnv }),
      platform.startPeer('marketing'),
      platform.startApp(callerService('flash_test_order'), { appId: 'order' }),
    ]);
    const fx = marketplaceFixtures({ identity, shop, catalog }, { run, password, databaseUrl: platform.endpoints.postgres });
    seller = await fx.merchant('seller');
    skuId = (await fx.product(seller, { red: 5000 })).skus[0]!.id;
    await request(inventory.url).post(`/shops/${seller.shopId}/stock/${skuId}/receipts`).set('Authorization', bearer(seller.tokens)).set('Idempotency-Key', key()).send({ quantity: 20 }).expect(200);
    const accounts = identityClient(identity, { run, password, databaseUrl: platform.endpoints.postgres });
    const sessions = await Promise.all(['a', 'b', 'c', 'd', 'e'].map((who) => accounts.register(`shopper-${who}`)));
    shoppers = sessions.map((s) => s.tokens);
    userIds = sessions.map((s) => s.user.id);
  }, 120_000);
  afterAll(async () => {
    await platform?.stop();
  });

  const stock = async () => (await request(inventory.url).get(`/shops/${seller.shopId}/stock/${skuId}`).set('Authorization', bearer(seller.tokens)).expect(200)).body as Stock;
  const window = { startsAt: new Date(Date.now() - 1000).toISOString(), endsAt: new Date(Date.now() + 600_000).toISOString() };
  const createSale = (body: Record<string, unknown>, k = key()) =>
    request(marketing.url)
      .post(`/shops/${seller.shopId}/flash-sales`)
      .set('Authorization', bearer(seller.tokens))
      .set('Idempotency-Key', k)
      .send({ skuId, title: { 'zh-CN': '秒杀', en: 'Flash' }, price: { amount: 990, currency: 'CNY' }, perUserLimit: 2, ...window, ...body });
  const hold = (campaignId: string, who: number, quantity: number, k = key()) =>
    request(inventory.url).post(`/flash-sales/${campaignId}/holds`).set('Authorization', bearer(shoppers[who]!)).set('Idempotency-Key', k).send({ quantity });
  const availability = async (campaignId: string) => (await request(inventory.url).get(`/flash-sales/${campaignId}/availability`).expect(200)).body as FlashSaleAvailability;
  const reserve = (orderId: string, who: number, campaignId: string, quantity: number) =>
    order.dapr.invoke<{ items: Reservation[] }>('inventory', 'POST', '/internal/reservations', {
      orderId,
      buyerUserId: userIds[who],
      lines: [{ lineId: `${orderId}:1`, skuId, quantity, flashSaleId: campaignId }],
    });
  const statusOf = async (p: Promise<unknown>) => {
    try {
      await p;
      return 200;
    } catch (err) {
      if (err instanceof InvocationError) return err.status;
      throw err;
    }
  };
  async function eventually<T>(what: string, fn: () => Promise<T>, ok: (v: T) => boolean, ms = 15_000): Promise<T> {
    const deadline = Date.now() + ms;
    for (;;) {
      const v = await fn();
      if (ok(v)) return v;
      if (Date.now() > deadline) throw new Error(`${what} never happened: ${JSON.stringify(v)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  let saleId: string;

  it('when a merchant starts a flash sale, then its units are set aside at once, a retry makes no second sale, and bad terms name the field', async () => {
    const k = key();
    const created = await createSale({ quantity: 5 }, k);
    expect(created.status).toBe(201);
    const sale = created.body as FlashSale;
    saleId = sale.id;
    expect([sale.status, sale.price.amount, sale.listPrice.amount, sale.quantity]).toEqual(['running', 990, 5000, 5]);
    expect((await createSale({ quantity: 5 }, k)).body.id).toBe(sale.id);
    expect(await stock()).toMatchObject({ received: 20, available: 15, reserved: 5, sold: 0 });

    const above = await createSale({ quantity: 1, price: { amount: 5001, currency: 'CNY' } });
    expect([above.status, above.body.errors?.[0]?.field]).toEqual([400, 'price.amount']);
    const backwards = await createSale({ quantity: 1, endsAt: new Date(Date.now() - 5000).toISOString() });
    expect([backwards.status, backwards.body.errors?.[0]?.field]).toEqual([400, 'endsAt']);
    const tooMany = await createSale({ quantity: 16 });
    expect(tooMany.status).toBe(409);
    expect(await stock()).toMatchObject({ available: 15, reserved: 5 });
    expect((await request(marketing.url).get('/flash-sales').query({ shopId: seller.shopId }).expect(200)).body.items.map((s: FlashSale) => s.id)).toEqual([sale.id]);
  });

  it('when shoppers hold units, then the per-user limit holds, a retried request holds nothing twice, and sold-out refusals come from the flag', async () => {
    const k = key();
    expect((await hold(saleId, 0, 2, k)).status).toBe(201);
    const replay = await hold(saleId, 0, 2, k);
    expect([replay.status, replay.body.holding]).toEqual([201, 2]);
    const over = await hold(saleId, 0, 1);
    expect([over.status, over.body.code]).toEqual([409, 'limit_reached']);
    expect((await hold(saleId, 1, 2)).status).toBe(201);
    expect((await hold(saleId, 2, 2)).body.code).toBe('sold_out');
    expect((await hold(saleId, 2, 1)).status).toBe(201);
    const bad = await hold(saleId, 3, 0);
    expect([bad.status, bad.body.errors?.[0]?.field]).toEqual([400, 'quantity']);
    expect((await request(inventory.url).post(`/flash-sales/${saleId}/holds`).set('Authorization', bearer(shoppers[3]!)).send({ quantity: 1 })).status).toBe(400);

    // sold out: the actor says so once, then the flag answers
    for (let i = 0; i < 5; i++) expect((await hold(saleId, 3, 1)).body.code).toBe('sold_out');
    const metrics = (await request(inventory.url).get('/metrics').expect(200)).text;
    expect(metrics).toMatch(/flash_sale_hold_attempts_total\{outcome="sold_out",via="cache"[^}]*\} [1-9]/);
    expect(await availability(saleId)).toMatchObject({ quantity: 5, remaining: 0, held: 5, sold: 0, soldOut: true });
  });

  it("when orders take the holds, then paying sells the units, an order without a hold is refused, and expired holds come back by reminder", async () => {
    // shopper a checks out and pays
    const paidOrder = `o-${run}-a`;
    expect((await reserve(paidOrder, 0, saleId, 2)).items[0]).toMatchObject({ status: 'held', flashSaleId: saleId });
    await order.dapr.invoke('inventory', 'POST', `/internal/reservations/${paidOrder}/confirm`);
    expect(await stock()).toMatchObject({ available: 15, reserved: 3, sold: 2 });

    // shopper d holds nothing: refused, and nothing stays held for the order
    const noHold = `o-${run}-d`;
    expect(await statusOf(reserve(noHold, 3, saleId, 1))).toBe(409);
    expect((await order.dapr.invoke<{ items: Reservation[] }>('inventory', 'GET', `/internal/reservations/${noHold}`)).items[0]!.status).toBe('released');

    // shopper c's order is cancelled: its unit goes back to the sale
    const cancelled = `o-${run}-c`;
    await reserve(cancelled, 2, saleId, 1);
    await order.dapr.invoke('inventory', 'POST', `/internal/reservations/${cancelled}/release`, { reason: 'cancelled' });
    expect(await availability(saleId)).toMatchObject({ remaining: 1, held: 2, sold: 2 });

    // shopper b never checks out: the reminder gives the 2 units back after the hold (2 s)
    await eventually('expired hold back', () => availability(saleId), (a) => a.remaining === 3 && a.held === 0, 20_000);
    expect((await hold(saleId, 3, 1)).status).toBe(201);
    expect(await stock()).toMatchObject({ received: 20, available: 15, reserved: 3, sold: 2 });
  });

  it('when inventory and its sidecar crash and restart, then the sale is where it was', async () => {
    const before = await availability(saleId);
    await inventory.crash();
    inventory = await platform.startApp(inventoryService, { appId: 'inventory', env: inventoryEnv, restartOf: inventory });
    const after = (await eventually('actor placed again', () => request(inventory.url).get(`/flash-sales/${saleId}/availability`), (r) => r.status === 200, 30_000)).body as typeof before;
    // nothing sold or held was lost; the last test's hold lives 2 s and may have run out during the
    // restart (the sweep then gave its unit back: CI saw held 1 → 0, remaining 2 → 3), which is no loss
    const { held, remaining, ...rest } = before;
    expect(after).toMatchObject(rest);
    expect(after.remaining + after.held).toBe(remaining + held);
    expect(after.held).toBeLessThanOrEqual(held);
    // the per-user limit survived too
    expect((await hold(saleId, 0, 1)).body.code).toBe('limit_reached');
  });

  it('when a sale ends and its holds are settled, then the reminder closes it and unsold units go back to stock', async () => {
    const endsAt = new Date(Date.now() + 3000).toISOString();
    const created = await createSale({ quantity: 4, endsAt });
    expect([created.status, created.body]).toMatchObject([201, { id: expect.any(String) }]);
    const short = created.body as FlashSale;
    const before = await stock();
    expect((await hold(short.id, 4, 1)).status).toBe(201);
    await new Promise((r) => setTimeout(r, Date.parse(endsAt) - Date.now() + 100));
    expect((await hold(short.id, 4, 1)).body.code).toBe('ended');
    // 4 units back once the hold has expired too (end + 2 s hold + a sweep)
    const end = await eventually('sale closed', stock, (s) => s.available === before.available + 4, 20_000);
    expect(end).toMatchObject({ received: 20, reserved: before.reserved - 4, sold: before.sold });
    // and the sale's reminder has stopped itself
    const reminder = () => inventory.dapr.request('GET', `/v1.0/actors/FlashSaleStock/${short.id}:${skuId}/reminders/sweep`).then((r) => r.status);
    expect(await eventually('reminder stopped', reminder, (status) => status !== 200)).not.toBe(200);
  });
  it('when a paid order\'s units are released at the moment its confirm has told the sale, then they stay sold and the confirm finds them so', async () => {
    const sale = (await createSale({ quantity: 2 })).body as FlashSale;
    expect((await hold(sale.id, 1, 1)).status).toBe(201);
    const paid = `o-${run}-late-confirm`;
    expect((await reserve(paid, 1, sale.id, 1)).items[0]!.status).toBe('held');
    const before = await stock();
    // confirm asks the sale first, then takes the order's rows; the hold's expiry (or a cancel) runs in between
    const told = await inventory.service.deps.sidecar.invokeActor<{ ok: boolean }>('FlashSaleStock', `${sale.id}:${skuId}`, 'confirm', { orderId: paid, userId: userIds[1] });
    expect(told.ok).toBe(true);
    const released = await order.dapr.invoke<{ items: Reservation[] }>('inventory', 'POST', `/internal/reservations/${paid}/release`, { reason: 'payment timed out' });
    expect(released.items.map((r) => r.status)).toEqual(['confirmed']);
    const confirmed = await order.dapr.invoke<{ items: Reservation[] }>('inventory', 'POST', `/internal/reservations/${paid}/confirm`);
    expect(confirmed.items.map((r) => r.status)).toEqual(['confirmed']);
    // sold once: out of the sale's reserved units, never back to available
    expect(await stock()).toMatchObject({ available: before.available, reserved: before.reserved - 1, sold: before.sold + 1 });
    expect(await availability(sale.id)).toMatchObject({ sold: 1, held: 0, remaining: 1 });
  });
});
