import { join } from 'node:path';
import { Client } from 'pg';
import request from 'supertest';
import { InventoryInternal, type LevelLadder, type PointsAccount, type PointsEntryPage, type Quote, type GroupBuy, type GroupBuyCampaign, type GroupBuyOffer, type MyGroupBuy, type Coupon, type CouponTemplate, type Order, type Product, type ShopOrderSummary, type SubOrder, type SubOrderRefund, type TokenPair } from '@emporium/contracts';
import { freePort, readSecrets } from '@emporium/devkit/platform';
import { bearer, marketplaceFixtures, startTestPlatform, type RunningApp, type TestApp, type TestExternal, type TestPlatform, uniqueSuffix } from '@emporium/devkit/testing';
import { orderService } from '../src/app';

/** The whole transaction core, each service with its own sidecar, logistics, and the provider and carrier simulators. */
describe('checkout', () => {
  let platform: TestPlatform;
  const apps: Record<string, RunningApp> = {};
  let sim: TestExternal;
  let providerUrl: string;
  let apiKey: string;
  const run = uniqueSuffix();
  let fx: ReturnType<typeof marketplaceFixtures>;
  let kiln: { tokens: TokenPair; shopId: string };
  let loom: { tokens: TokenPair; shopId: string };
  let cups: Product;
  let scarves: Product;
  let admin: TokenPair;

  /** order looks after late results every 300 ms, for what waited a second (the defaults are 15 s and 30 s) */
  const lateResultSweep = { PAYMENT_RESULT_SWEEP_MS: '300', PAYMENT_RESULT_AFTER_SECONDS: '1' };

  beforeAll(async () => {
    platform = await startTestPlatform({ profile: 'services' });
    const keys = readSecrets(join(__dirname, '..', '..', '..')).payment!;
    apiKey = keys['provider-api-key']!;
    const paymentPort = await freePort();
    const logisticsPort = await freePort();
    sim = await platform.startExternal('provider-sim', { env: { PROVIDER_DELAY_MS: '300', PROVIDER_RETRY_MS: '100' } });
    const carriers = await platform.startExternal('carrier-sim', { env: { CARRIER_STEP_MS: '150', CARRIER_RETRY_MS: '100' } });
    providerUrl = sim.url;
    const started = await Promise.all([
      platform.startPeer('identity', { env: { SCRYPT_COST: '1024', LOGIN_MAX_FAILURES_PER_ADDRESS: '100000' } }),
      platform.startPeer('shop', { env: { DEFAULT_COMMISSION_BPS: '500' } }),
      platform.startPeer('catalog'),
      platform.startPeer('inventory'),
      platform.startPeer('marketing'),
      platform.startPeer('cart'),
      platform.startPeer('membership', { env: { BIRTHDAY_SWEEP_MS: '500' } }),
      platform.startPeer('payment', { appPort: paymentPort, env: { PROVIDER_URL: providerUrl, WEBHOOK_URL: `http://127.0.0.1:${paymentPort}/webhooks/provider` } }),
      platform.startPeer('logistics', { appPort: logisticsPort, env: { TRACKING_PROVIDER_URL: carriers.url, TRACKING_CALLBACK_URL: `http://127.0.0.1:${logisticsPort}/webhooks/tracking/sim`, LOGISTICS_SWEEP_MS: '300' } }),
      platform.startApp(orderService, { appId: 'order', env: { PAYMENT_TIMEOUT_SECONDS: '4', AUTO_CONFIRM_SECONDS: '1', AUTO_CONFIRM_SWEEP_MS: '300', ...lateResultSweep } }),
    ]);
    for (const a of started) apps[a.appId] = a;
    fx = marketplaceFixtures({ identity: apps.identity!, shop: apps.shop!, catalog: apps.catalog! }, { run, password: 'a long enough password', databaseUrl: platform.endpoints.postgres });
    admin = await fx.platformAdmin();
    [kiln, loom] = await Promise.all([fx.merchant('kiln'), fx.merchant('loom')]);
    [cups, scarves] = await Promise.all([fx.product(kiln, { white: 6800, blue: 7300 }), fx.product(loom, { red: 2000 })]);
    for (const [owner, product, units] of [[kiln, cups, 10], [loom, scarves, 10]] as const) {
      for (const s of product.skus) {
        await request(apps.inventory!.url).post(`/shops/${owner.shopId}/stock/${s.id}/receipts`).set('Authorization', bearer(owner.tokens)).set('Idempotency-Key', fx.key()).send({ quantity: units }).expect(200);
      }
    }
  });
  afterAll(async () => {
    // the provider's webhooks in flight land before the platform goes
    if (sim) await request(sim.url).post('/v1/test/idle').set('Authorization', `Bearer ${apiKey}`);
    await platform?.stop();
  });

  const sku = (p: Product, colour: string) => p.skus.find((s) => s.specValues.colour === colour)!.id;
  const order = () => request(apps.order!.url);
  const stock = async (skuId: string) => ((await request(apps.inventory!.url).get(`/stock?skuIds=${skuId}`).expect(200)).body as { items: { available: number }[] }).items[0]!.available;
  const checkout = (tokens: TokenPair, body: object) => order().post('/checkout').set('Authorization', bearer(tokens)).set('Idempotency-Key', fx.key()).send(body);
  const pay = (o: Order, cardNumber: string) => {
    const providerId = o.payment!.hostedUrl!.split('/').pop()!;
    return request(providerUrl).post(`/v1/payments/${providerId}/confirm`).set('Authorization', `Bearer ${apiKey}`).send({ cardNumber }).expect(200);
  };
  async function until(tokens: TokenPair, orderId: string, done: (o: Order) => boolean, what: string, tries = 200): Promise<Order> {
    for (let i = 0; i < tries; i++) {
      const o = (await order().get(`/orders/${orderId}`).set('Authorization', bearer(tokens)).expect(200)).body as Order;
      if (done(o)) return o;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`order ${orderId} never ${what}`);
  }
  /** The shop ships through logistics (one parcel); order hears of it and the sub-order becomes SHIPPED. Numbers ending 0006 never move again (the carrier simulator's silent parcel). */
  let parcelNo = 0;
  const trackingNumber = (journey: 'silent' | 'delivered') => `SF${Date.now().toString().slice(-6)}${String(++parcelNo % 100).padStart(2, '0')}${journey === 'silent' ? '0006' : '0000'}`;
  const shipment = (owner: { tokens: TokenPair; shopId: string }, subOrderId: string, number: string) =>
    request(apps.logistics!.url).post(`/shops/${owner.shopId}/shipments`).set('Authorization', bearer(owner.tokens)).set('Idempotency-Key', fx.key()).send({ subOrderId, parcels: [{ carrier: 'SF', trackingNumber: number }] });
  async function ship(owner: { tokens: TokenPair; shopId: string }, buyer: TokenPair, o: Order, subOrderId: string, journey: 'silent' | 'delivered' = 'silent'): Promise<SubOrder> {
    const number = trackingNumber(journey);
    expect((await shipment(owner, subOrderId, number)).status).toBe(201);
    const shipped = await until(buyer, o.id, (x) => x.subOrders.find((s) => s.id === subOrderId)!.shipment?.trackingNumber === number, 'was shipped');
    return shipped.subOrders.find((s) => s.id === subOrderId)!;
  }
  const ledger = async () => (await request(apps.payment!.url).get('/admin/ledger').set('Authorization', bearer(admin)).expect(200)).body as { ok: boolean; balances: { account: string; balance: { amount: number } }[] };
  const balance = (l: Awaited<ReturnType<typeof ledger>>, account: string) => l.balances.find((b) => b.account === account)?.balance.amount ?? 0;

  it('when a shopper buys from two shops and pays by card, then the order is paid, shipped, confirmed and the money and stock add up', async () => {
    const shopper = (await fx.accounts.register('shopper')).tokens;
    const [white, red] = [sku(cups, 'white'), sku(scarves, 'red')];
    // a zone where it is about noon now, so the dashboard's "today" cannot turn over during the test
    const offset = 12 - new Date().getUTCHours();
    const timeZone = offset === 0 ? 'UTC' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
    const summary = async () => (await order().get(`/shops/${kiln.shopId}/order-summary`).query({ timeZone }).set('Authorization', bearer(kiln.tokens)).expect(200)).body as ShopOrderSummary;
    const before = { white: await stock(white), red: await stock(red), ledger: await ledger(), summary: await summary() };
    const started = await checkout(shopper, { paymentMethod: 'card', lines: [{ skuId: white, quantity: 2 }, { skuId: red, quantity: 1 }] });
    expect(started.status).toBe(202);
    const pending = started.body as Order;
    expect(pending.status).toBe('pending_payment');
    // one sub-order per shop: kiln's 2 cups (free shipping from 99), loom's scarf plus 10 shipping
    expect(Object.fromEntries(pending.subOrders.map((s) => [s.shopId, [s.status, s.total.amount]]))).toEqual({
      [kiln.shopId]: ['PENDING_PAYMENT', 13_600],
      [loom.shopId]: ['PENDING_PAYMENT', 3_000],
    });
    expect(pending.payment?.hostedUrl).toMatch(/\/pay\/pay_/);
    expect(pending.total.amount).toBe(16_600);
    expect([await stock(white), await stock(red)]).toEqual([before.white - 2, before.red - 1]); // held

    await pay(pending, '4242424242424242');
    const paid = await until(shopper, pending.id, (o) => o.status === 'paid', 'became paid');
    expect(paid.subOrders.map((s) => s.status)).toEqual(['PAID', 'PAID']);
    // the shop's dashboard counts the paid sub-order today; the status filter finds it
    const sales = (x: ShopOrderSummary) => x.today.sales.find((m) => m.currency === 'CNY')?.amount ?? 0;
    const after = await summary();
    expect([after.today.orders - before.summary.today.orders, after.today.paidOrders - before.summary.today.paidOrders, sales(after) - sales(before.summary), after.byStatus.PAID - before.summary.byStatus.PAID]).toEqual([1, 1, 13_600, 1]);
    const toShip = (await order().get(`/shops/${kiln.shopId}/orders`).query({ status: 'PAID' }).set('Authorization', bearer(kiln.tokens)).expect(200)).body.items as SubOrder[];
    expect(toShip.every((x) => x.status === 'PAID') && toShip.some((x) => x.orderId === paid.id)).toBe(true);
    expect((await order().get(`/shops/${kiln.shopId}/order-summary`).query({ timeZone: 'Mars/Olympus' }).set('Authorization', bearer(kiln.tokens))).body.errors).toEqual([expect.objectContaining({ field: 'timeZone' })]);
    expect((await order().get(`/shops/${kiln.shopId}/order-summary`).set('Authorization', bearer(loom.tokens))).status).toBe(404);
    const afterPay = await ledger();
    expect(afterPay.ok).toBe(true);
    // kiln keeps 95 % of 13,600, loom 95 % of 3,000 (shipping 1,000 included), the rest is commission
    expect(balance(afterPay, `escrow:${kiln.shopId}`) - balance(before.ledger, `escrow:${kiln.shopId}`)).toBe(12_920);
    expect(balance(afterPay, `escrow:${loom.shopId}`) - balance(before.ledger, `escrow:${loom.shopId}`)).toBe(2_850);

    // the merchant ships its own sub-order only; the buyer confirms; escrow is released
    const kilnSub = paid.subOrders.find((s) => s.shopId === kiln.shopId)!;
    const loomSub = paid.subOrders.find((s) => s.shopId === loom.shopId)!;
    expect((await shipment(loom, kilnSub.id, trackingNumber('silent'))).status).toBe(404);
    expect((await order().post(`/orders/${paid.id}/sub-orders/${kilnSub.id}/confirm-receipt`).set('Authorization', bearer(shopper)).set('Idempotency-Key', fx.key())).status).toBe(409);
    const shipped = await ship(kiln, shopper, paid, kilnSub.id);
    expect([shipped.status, shipped.shipment?.carrier, shipped.autoCompleteAt]).toEqual(['SHIPPED', 'SF', null]);
    // shipped once: a second shipment of the same sub-order is refused
    expect((await shipment(kiln, kilnSub.id, trackingNumber('silent'))).status).toBe(409);
    const done = (await order().post(`/orders/${paid.id}/sub-orders/${kilnSub.id}/confirm-receipt`).set('Authorization', bearer(shopper)).set('Idempotency-Key', fx.key()).expect(200)).body as SubOrder;
    expect(done.timeline.map((e) => e.status)).toEqual(['PENDING_PAYMENT', 'PAID', 'SHIPPED', 'COMPLETED']);
    // loom ships, the carrier delivers, and the buyer stays silent: it completes on its own after the confirmation period
    await ship(loom, shopper, paid, loomSub.id, 'delivered');
    const delivered = await until(shopper, paid.id, (o) => o.subOrders.find((s) => s.id === loomSub.id)!.deliveredAt !== null, 'was delivered');
    expect(delivered.subOrders.find((s) => s.id === loomSub.id)!.autoCompleteAt).not.toBeNull();
    const completed = await until(shopper, paid.id, (o) => o.subOrders.every((s) => s.status === 'COMPLETED'), 'completed');
    expect(completed.subOrders.find((s) => s.id === loomSub.id)!.timeline.map((e) => e.status)).toEqual(['PENDING_PAYMENT', 'PAID', 'SHIPPED', 'DELIVERED', 'COMPLETED']);

    for (let i = 0; i < 100; i++) {
      const l = await ledger();
      if (balance(l, `receivable:${kiln.shopId}`) === 12_920 && balance(l, `receivable:${loom.shopId}`) === 2_850) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const end = await ledger();
    expect([end.ok, balance(end, `receivable:${kiln.shopId}`), balance(end, `receivable:${loom.shopId}`)]).toEqual([true, 12_920, 2_850]);
    // each completed sub-order earned the buyer a point per yuan paid (136 + 30), and as much growth value
    const points = async () => (await request(apps.membership!.url).get('/me/points').set('Authorization', bearer(shopper)).expect(200)).body as PointsAccount;
    let earned = await points();
    for (let i = 0; i < 50 && earned.points < 166; i++) {
      await new Promise((r) => setTimeout(r, 100));
      earned = await points();
    }
    // two lots, one per sub-order, each valid from its own completion: the first to expire comes next
    expect([earned.points, earned.growth, [136, 30].includes(earned.nextExpiry?.points ?? 0)]).toEqual([166, 166, true]);
    expect(earned.level).toMatchObject({ level: 0, next: { level: 1, growthNeeded: 500 - 166 } });
    // the platform rewards reaching Silver with a coupon (a level template; a shop cannot make one)
    const hour = 3600_000;
    const levelTerms = { name: fx.n('Silver'), discount: { kind: 'fixed', amount: { amount: 500, currency: 'CNY' } }, minSpend: { amount: 5000, currency: 'CNY' }, scope: { kind: 'all' }, validity: { kind: 'after-claim', days: 30 }, claimStartsAt: new Date(Date.now() - hour).toISOString(), claimEndsAt: new Date(Date.now() + hour).toISOString(), total: 100, perUserLimit: 1, distribution: 'level' };
    const issue = (path: string, issuer: TokenPair, body: object) => request(apps.marketing!.url).post(path).set('Authorization', bearer(issuer)).set('Idempotency-Key', fx.key()).send(body);
    expect((await issue('/admin/coupons', admin, levelTerms).expect(400)).body.errors[0].field).toBe('minLevel');
    expect((await issue(`/shops/${kiln.shopId}/coupons`, kiln.tokens, { ...levelTerms, minLevel: 1 }).expect(400)).body.errors[0]).toMatchObject({ field: 'distribution', code: 'platform_only' });
    const silverCoupons = (await issue('/admin/coupons', admin, { ...levelTerms, minLevel: 1 }).expect(201)).body as CouponTemplate;
    const levelCoupons = async () => ((await request(apps.marketing!.url).get('/me/coupons').query({ state: 'usable' }).set('Authorization', bearer(shopper)).expect(200)).body as { items: Coupon[] }).items.filter((c) => c.templateId === silverCoupons.id);
    expect(await levelCoupons()).toEqual([]);
    // a ladder whose Silver starts at 100 makes the buyer Silver at once; the default ladder back makes them a member again
    const ladder = (await request(apps.membership!.url).get('/member-levels').expect(200)).body as LevelLadder;
    const lower = ladder.items.map((l) => (l.level === 1 ? { ...l, minGrowth: 100 } : l));
    await request(apps.membership!.url).put('/admin/member-levels').set('Authorization', bearer(admin)).send({ levels: lower }).expect(200);
    expect((await points()).level).toMatchObject({ level: 1, name: { en: 'Silver' }, next: { level: 2, growthNeeded: 2000 - 166 } });
    for (let i = 0; i < 50 && (await levelCoupons()).length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect((await levelCoupons()).map((c) => [c.state, c.discount])).toEqual([['usable', { kind: 'fixed', amount: { amount: 500, currency: 'CNY' } }]]);
    await request(apps.membership!.url).put('/admin/member-levels').set('Authorization', bearer(admin)).send({ levels: ladder.items }).expect(200);
    expect((await points()).level.level).toBe(0);
    const shopLedger = (await request(apps.payment!.url).get(`/shops/${kiln.shopId}/ledger`).set('Authorization', bearer(kiln.tokens)).expect(200)).body as { items: { released: { amount: number } }[] };
    expect(shopLedger.items[0]?.released.amount).toBe(12_920);
    // merchants see their own sub-orders only
    const kilnOrders = (await order().get(`/shops/${kiln.shopId}/orders`).set('Authorization', bearer(kiln.tokens)).expect(200)).body as { items: SubOrder[] };
    expect(kilnOrders.items.map((s) => s.shopId)).toEqual(kilnOrders.items.map(() => kiln.shopId));
    expect((await order().get(`/orders/${paid.id}`).set('Authorization', bearer(kiln.tokens))).status).toBe(404);
  });

  it('when a buyer follows an order by its ETag with Prefer: wait, then an unchanged order answers 304 once the wait is over, a change answers at once, and another buyer finds nothing to wait for', async () => {
    const [shopper, stranger] = [(await fx.accounts.register('follower')).tokens, (await fx.accounts.register('stranger')).tokens];
    const started = await checkout(shopper, { paymentMethod: 'card', lines: [{ skuId: sku(cups, 'blue'), quantity: 1 }] });
    expect(started.status).toBe(202);
    const pending = started.body as Order;
    const get = (tokens: TokenPair, etag?: string, waitSeconds?: number) => {
      const r = order().get(`/orders/${pending.id}`).set('Authorization', bearer(tokens));
      if (etag) r.set('If-None-Match', etag);
      if (waitSeconds) r.set('Prefer', `wait=${waitSeconds}`);
      return r;
    };
    const first = await get(shopper).expect(200);
    const etag = String(first.headers.etag);
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{22}"$/);
    // nothing changes: the same version, answered when the wait is over (not at once, not as 200)
    let t0 = Date.now();
    expect((await get(shopper, etag, 1)).status).toBe(304);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
    // an ETag without a wait answers at once
    t0 = Date.now();
    expect((await get(shopper, etag)).status).toBe(304);
    expect(Date.now() - t0).toBeLessThan(900);
    // another buyer's order is not found, waiting or not, and its ETag tells them nothing
    expect((await get(stranger, etag, 1)).status).toBe(404);
    // a follower waiting as the buyer pays hears of the change when it comes, long before its 10 s are over
    const following = get(shopper, etag, 10).then((r) => ({ r, at: Date.now() }));
    await new Promise((r) => setTimeout(r, 300));
    const paidAt = Date.now();
    await pay(pending, '4242424242424242');
    const { r: changed, at } = await following;
    expect(changed.status).toBe(200);
    expect(String(changed.headers.etag)).not.toBe(etag);
    // (a lost notification would be read again after 5 s, from the request: 4.7 s after paying)
    expect(at - paidAt).toBeLessThan(3500);
    // followed change by change, the order reaches paid; each answer is a new version
    let seen = String(changed.headers.etag);
    let now = changed.body as Order;
    for (let i = 0; now.status !== 'paid' && i < 10; i++) {
      const next = await get(shopper, seen, 10);
      if (next.status === 304) continue;
      expect(String(next.headers.etag)).not.toBe(seen);
      [seen, now] = [String(next.headers.etag), next.body as Order];
    }
    expect(now.status).toBe('paid');
  });

  it('when the card is declined, then the order ends CANCELLED and its stock is back', async () => {
    const shopper = (await fx.accounts.register('declined')).tokens;
    const blue = sku(cups, 'blue');
    const before = await stock(blue);
    const pending = (await checkout(shopper, { paymentMethod: 'card', lines: [{ skuId: blue, quantity: 3 }] }).expect(202)).body as Order;
    await pay(pending, '4000000000000002');
    const cancelled = await until(shopper, pending.id, (o) => o.status === 'cancelled', 'was cancelled');
    expect([cancelled.cancelReason, cancelled.subOrders[0]?.status]).toEqual(['card_declined', 'CANCELLED']);
    expect(await stock(blue)).toBe(before);
  });

  it('when nobody pays in time, then the payment is cancelled and the order ends CANCELLED', async () => {
    const shopper = (await fx.accounts.register('late')).tokens;
    const red = sku(scarves, 'red');
    const before = await stock(red);
    const pending = (await checkout(shopper, { paymentMethod: 'card', lines: [{ skuId: red, quantity: 1 }] }).expect(202)).body as Order;
    const cancelled = await until(shopper, pending.id, (o) => o.status === 'cancelled', 'timed out');
    expect(cancelled.cancelReason).toBe('payment timed out');
    expect(await stock(red)).toBe(before);
    expect((await request(providerUrl).post(`/v1/payments/${pending.payment!.hostedUrl!.split('/').pop()!}/confirm`).set('Authorization', `Bearer ${apiKey}`).send({ cardNumber: '4242424242424242' })).status).toBe(409);
  });

  it('when the buyer cancels before paying, then everything is released; after paying, cancelling is refused', async () => {
    const shopper = (await fx.accounts.register('changed-mind')).tokens;
    const white = sku(cups, 'white');
    const before = await stock(white);
    const pending = (await checkout(shopper, { paymentMethod: 'card', lines: [{ skuId: white, quantity: 1 }] }).expect(202)).body as Order;
    const cancelled = (await order().post(`/orders/${pending.id}/cancel`).set('Authorization', bearer(shopper)).set('Idempotency-Key', fx.key()).send({ reason: 'found it cheaper' }).expect(202)).body as Order;
    expect([cancelled.status, cancelled.cancelReason]).toEqual(['cancelled', 'found it cheaper']);
    expect(await stock(white)).toBe(before);

    const paid = (await checkout(shopper, { paymentMethod: 'card', lines: [{ skuId: white, quantity: 1 }] }).expect(202)).body as Order;
    await pay(paid, '4242424242424242');
    await until(shopper, paid.id, (o) => o.status === 'paid', 'became paid');
    expect((await order().post(`/orders/${paid.id}/cancel`).set('Authorization', bearer(shopper)).set('Idempotency-Key', fx.key()).send({})).status).toBe(409);
  });

  it('when the cart is checked out, then the ordered lines leave it once paid; a bad line is refused at once', async () => {
    const session = await fx.accounts.register('carter');
    const white = sku(cups, 'white');
    await request(apps.cart!.url).put(`/cart/lines/${white}`).set('Authorization', bearer(session.tokens)).send({ quantity: 1 }).expect(200);
    const pending = (await checkout(session.tokens, { paymentMethod: 'card' }).expect(202)).body as Order;
    await pay(pending, '4242424242424242');
    await until(session.tokens, pending.id, (o) => o.status === 'paid', 'became paid');
    for (let i = 0; i < 50; i++) {
      const cart = (await request(apps.cart!.url).get('/cart').set('Authorization', bearer(session.tokens)).expect(200)).body as { lineCount: number };
      if (cart.lineCount === 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(((await request(apps.cart!.url).get('/cart').set('Authorization', bearer(session.tokens))).body as { lineCount: number }).lineCount).toBe(0);

    const empty = await checkout(session.tokens, { paymentMethod: 'card' });
    expect([empty.status, empty.body.errors?.[0]?.field]).toEqual([400, 'lines']);
    const draft = await fx.product(kiln, { white: 100 }, { publish: false });
    const bad = await checkout(session.tokens, { paymentMethod: 'card', lines: [{ skuId: draft.skus[0]!.id, quantity: 1 }] });
    expect([bad.status, bad.body.errors?.[0]?.field]).toEqual([400, 'lines[0].skuId']);
  });

  it('when there are fewer units than ordered, then the order ends CANCELLED without holding anything', async () => {
    const shopper = (await fx.accounts.register('greedy')).tokens;
    const red = sku(scarves, 'red');
    const before = await stock(red);
    const pending = (await checkout(shopper, { paymentMethod: 'card', lines: [{ skuId: red, quantity: before + 1 }] }).expect(202)).body as Order;
    const cancelled = await until(shopper, pending.id, (o) => o.status === 'cancelled', 'was cancelled');
    expect(cancelled.cancelReason).toBe('not enough stock for some lines');
    expect(await stock(red)).toBe(before);
  });

  it('when the order app and its sidecar die while a checkout waits for its payment, then after a restart it resumes and ends paid, invariants intact', async () => {
    const shopper = (await fx.accounts.register('crash')).tokens;
    const blue = sku(cups, 'blue');
    const before = await stock(blue);
    const pending = (await checkout(shopper, { paymentMethod: 'card', lines: [{ skuId: blue, quantity: 2 }] }).expect(202)).body as Order;
    expect(pending.payment?.hostedUrl).toBeTruthy();

    const crashed = apps.order! as TestApp;
    await crashed.crash();
    // the shopper pays while order is down: payment's event waits in the broker
    await pay(pending, '4242424242424242');
    // on its own ports, as a restarted pod keeps its address: logistics' sidecar calls order by name and would try the dead address a while
    apps.order = await platform.startApp(orderService, { appId: 'order', restartOf: crashed, env: { PAYMENT_TIMEOUT_SECONDS: '30', AUTO_CONFIRM_SECONDS: '1', AUTO_CONFIRM_SWEEP_MS: '300', ...lateResultSweep } });

    const paid = await until(shopper, pending.id, (o) => o.status === 'paid', 'resumed and became paid');
    expect(paid.subOrders.map((s) => s.status)).toEqual(['PAID']);
    expect(await stock(blue)).toBe(before - 2);
    // as order itself asks inventory: through its sidecar, by the contract
    const reservations = await apps.order.dapr.call(InventoryInternal.getReservations, { params: { orderId: pending.id } });
    expect(reservations.items.map((r) => r.status)).toEqual(['confirmed']);
    expect((await ledger()).ok).toBe(true);
  });

  /** A coupon template issued at `path` (a shop's or the platform's), claimed by the shopper: the coupon's id. */
  async function claimedCoupon(shopper: TokenPair, path: string, issuer: TokenPair, terms: Record<string, unknown>): Promise<string> {
    const hour = 3600_000;
    const template = (
      await request(apps.marketing!.url)
        .post(path)
        .set('Authorization', bearer(issuer))
        .set('Idempotency-Key', fx.key())
        .send({ name: fx.n('Coupon'), scope: { kind: 'all' }, validity: { kind: 'after-claim', days: 7 }, claimStartsAt: new Date(Date.now() - hour).toISOString(), claimEndsAt: new Date(Date.now() + hour).toISOString(), total: 10, perUserLimit: 1, ...terms })
        .expect(201)
    ).body as CouponTemplate;
    return ((await request(apps.marketing!.url).post(`/coupons/${template.id}/claim`).set('Authorization', bearer(shopper)).set('Idempotency-Key', fx.key()).send().expect(201)).body as Coupon).id;
  }
  const myCoupons = async (shopper: TokenPair, state: string) =>
    ((await request(apps.marketing!.url).get('/me/coupons').query({ state }).set('Authorization', bearer(shopper)).expect(200)).body as { items: Coupon[] }).items.map((c) => c.id);
  const cny = (amount: number) => ({ amount, currency: 'CNY' });

  it('when a shopper checks out with a shop coupon and a platform coupon, then the order is net of both, the coupons are used once paid, the platform pays its share into the shop’s escrow, and a refund gives every part back', async () => {
    const shopper = (await fx.accounts.register('couponer')).tokens;
    // kiln's coupon comes back when what it took money off is refunded in full; the platform's does not
    const shopCoupon = await claimedCoupon(shopper, `/shops/${kiln.shopId}/coupons`, kiln.tokens, { discount: { kind: 'fixed', amount: cny(1000) }, minSpend: cny(10_000), returnOnRefund: true });
    const platformCoupon = await claimedCoupon(shopper, '/admin/coupons', admin, { discount: { kind: 'percent', percentOff: 10, maxOff: cny(2000) }, minSpend: null });
    const [white, red] = [sku(cups, 'white'), sku(scarves, 'red')];
    const before = await ledger();
    const started = await checkout(shopper, { paymentMethod: 'card', lines: [{ skuId: white, quantity: 2 }, { skuId: red, quantity: 1 }], couponIds: [platformCoupon, shopCoupon] });
    expect(started.status).toBe(202);
    const pending = started.body as Order;
    // kiln's coupon takes 10.00 off its 136.00; the platform's 10 % of what is left of the goods (126.00 + 20.00)
    expect(pending.coupons.map((c) => [c.couponId, c.fundedBy, c.discount.amount])).toEqual([
      [shopCoupon, 'shop', 1000],
      [platformCoupon, 'platform', 1460],
    ]);
    expect([pending.subtotal.amount, pending.shipping.amount, pending.discount.amount, pending.total.amount]).toEqual([15_600, 1000, 2460, 14_140]);
    const [kilnSub, loomSub] = [kiln.shopId, loom.shopId].map((id) => pending.subOrders.find((s) => s.shopId === id)!);
    expect(kilnSub!.platformDiscount.amount + loomSub!.platformDiscount.amount).toBe(1460);
    expect(kilnSub!.discount.amount).toBe(1000 + kilnSub!.platformDiscount.amount);
    for (const sub of pending.subOrders) {
      expect(sub.total.amount).toBe(sub.subtotal.amount + sub.shipping.amount - sub.discount.amount);
      expect(sub.lines.reduce((a, l) => a + l.discount.amount, 0)).toBe(sub.discount.amount);
    }
    // held with the order: neither can be used elsewhere meanwhile
    expect(await myCoupons(shopper, 'reserved')).toEqual(expect.arrayContaining([shopCoupon, platformCoupon]));

    await pay(pending, '4242424242424242');
    await until(shopper, pending.id, (o) => o.status === 'paid', 'became paid');
    expect(await myCoupons(shopper, 'used')).toEqual(expect.arrayContaining([shopCoupon, platformCoupon]));
    const paid = await ledger();
    const delta = (l: typeof paid, account: string) => balance(l, account) - balance(before, account);
    // each shop's escrow: what the buyer paid for it plus the platform's share, less 5 % of both; the platform's promotions pay the share
    const escrowOf = (sub: SubOrder) => sub.total.amount + sub.platformDiscount.amount - Math.floor(((sub.total.amount + sub.platformDiscount.amount) * 500) / 10_000);
    expect([paid.ok, delta(paid, `escrow:${kiln.shopId}`), delta(paid, `escrow:${loom.shopId}`), delta(paid, 'promotions')]).toEqual([true, escrowOf(kilnSub!), escrowOf(loomSub!), -1460]);

    // all of kiln's sub-order back: the buyer gets what they paid, promotions the platform's share, kiln's escrow is as before
    const asked = (await order().post(`/orders/${pending.id}/sub-orders/${kilnSub!.id}/refunds`).set('Authorization', bearer(shopper)).set('Idempotency-Key', fx.key()).send({ reason: 'changed my mind' }).expect(201)).body as SubOrderRefund;
    expect(asked.amount.amount).toBe(kilnSub!.total.amount);
    await order().post(`/shops/${kiln.shopId}/orders/${kilnSub!.id}/refunds/${asked.id}/decision`).set('Authorization', bearer(kiln.tokens)).set('Idempotency-Key', fx.key()).send({ decision: 'approve' }).expect(200);
    await until(shopper, pending.id, (o) => o.subOrders.find((x) => x.id === kilnSub!.id)!.status === 'REFUNDED', 'refunded');
    let refunded = await ledger();
    for (let i = 0; i < 50 && delta(refunded, `escrow:${kiln.shopId}`) !== 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      refunded = await ledger();
    }
    expect([refunded.ok, delta(refunded, `escrow:${kiln.shopId}`), delta(refunded, 'promotions')]).toEqual([true, 0, -loomSub!.platformDiscount.amount]);
    // kiln's sub-order is all refunded: its coupon is usable again; the platform's also took money off loom's, so it stays used
    for (let i = 0; i < 50 && !(await myCoupons(shopper, 'usable')).includes(shopCoupon); i++) await new Promise((r) => setTimeout(r, 100));
    expect([await myCoupons(shopper, 'usable'), await myCoupons(shopper, 'used')]).toEqual([[shopCoupon], [platformCoupon]]);
  });

  it('when order stops between approving a refund and starting its workflow, then its sweep starts it and the money goes back once', async () => {
    const shopper = (await fx.accounts.register('unstarted-refund')).tokens;
    const red = sku(scarves, 'red');
    await request(apps.inventory!.url).post(`/shops/${loom.shopId}/stock/${red}/receipts`).set('Authorization', bearer(loom.tokens)).set('Idempotency-Key', fx.key()).send({ quantity: 1 }).expect(200);
    const pending = (await checkout(shopper, { paymentMethod: 'card', lines: [{ skuId: red, quantity: 1 }] }).expect(202)).body as Order;
    await pay(pending, '4242424242424242');
    const paid = await until(shopper, pending.id, (o) => o.status === 'paid', 'became paid');
    const sub = paid.subOrders[0]!;
    const asked = (await order().post(`/orders/${pending.id}/sub-orders/${sub.id}/refunds`).set('Authorization', bearer(shopper)).set('Idempotency-Key', fx.key()).send({ reason: 'changed my mind' }).expect(201)).body as SubOrderRefund;
    const before = await ledger();
    // what the shop's approval commits, without the workflow start that follows the commit: order stopped in between
    const db = (apps.order as TestApp).service.deps.db;
    await db.query(`UPDATE sub_order_refunds SET status = 'approved', decided_at = now() - interval '5 seconds' WHERE id = :id AND status = 'requested'`, { id: asked.id });
    const refunded = await until(shopper, pending.id, (o) => o.subOrders[0]!.status === 'REFUNDED', 'refunded by the sweep');
    expect(refunded.subOrders[0]!.refunds.map((r) => [r.id, r.status])).toEqual([[asked.id, 'refunded']]);
    // the money went back once: the shop's escrow is down by its share of this sub-order, no more
    let after = await ledger();
    for (let i = 0; i < 50 && balance(after, `escrow:${loom.shopId}`) === balance(before, `escrow:${loom.shopId}`); i++) {
      await new Promise((r) => setTimeout(r, 100));
      after = await ledger();
    }
    const escrowShare = sub.total.amount - Math.floor((sub.total.amount * 500) / 10_000);
    expect([after.ok, balance(before, `escrow:${loom.shopId}`) - balance(after, `escrow:${loom.shopId}`)]).toEqual([true, escrowShare]);
  });

  it('when a member spends points, then the level discount, free shipping and points are the platform’s to fund, an unpaid order gives them all back and refunds give back their share', async () => {
    const session = await fx.accounts.register('member');
    const shopper = session.tokens;
    const red = sku(scarves, 'red');
    const points = async () => ((await request(apps.membership!.url).get('/me/points').set('Authorization', bearer(shopper)).expect(200)).body as PointsAccount).points;
    await request(apps.membership!.url).post(`/admin/users/${session.user.id}/points`).set('Authorization', bearer(admin)).set('Idempotency-Key', fx.key()).send({ points: 2000, reason: 'welcome gift' }).expect(201);
    // every member 1 % off and free shipping from 10.00, for this test
    const ladder = (await request(apps.membership!.url).get('/member-levels').expect(200)).body as LevelLadder;
    const generous = ladder.items.map((l) => (l.level === 0 ? { ...l, discountBps: 100, freeShippingAbove: cny(1000) } : { ...l, discountBps: Math.max(l.discountBps, 100) }));
    await request(apps.membership!.url).put('/admin/member-levels').set('Authorization', bearer(admin)).send({ levels: generous }).expect(200);
    try {
      const quote = (body: object) => request(apps.marketing!.url).post('/quote').set('Authorization', bearer(shopper)).send({ lines: [{ skuId: red, quantity: 1 }], ...body });
      // a 20.00 scarf: 0.20 level discount; points pay at most half of the 19.80 left, in whole yuan: 900
      const offered = (await quote({}).expect(200)).body as Quote;
      expect(offered.member).toMatchObject({ level: 0, levelDiscount: cny(20), shippingWaived: cny(1000), points: { available: 2000, used: 0, max: 900, pointsPerYuan: 100 } });
      expect((await quote({ points: 1000 }).expect(422)).body).toMatchObject({ code: 'points_not_applicable', errors: [{ field: 'points', code: 'over_limit' }] });
      expect((await quote({ points: 950 }).expect(422)).body.errors[0]).toMatchObject({ field: 'points', code: 'not_whole_yuan' });
      expect((await request(apps.marketing!.url).post('/quote').send({ lines: [{ skuId: red, quantity: 1 }], points: 100 })).status).toBe(401);

      // paid with 900 points: the buyer pays 20.00 − 0.20 − 9.00 = 10.80, no shipping; loom gets all of 30.00 less commission
      const before = await ledger();
      const first = (await checkout(shopper, { paymentMethod: 'card', lines: [{ skuId: red, quantity: 1 }], points: 900 }).expect(202)).body as Order;
      expect([first.subtotal.amount, first.shipping.amount, first.discount.amount, first.total.amount, first.subOrders[0]!.platformDiscount.amount]).toEqual([2000, 0, 920, 1080, 1920]);
      expect(await points()).toBe(1100);
      await pay(first, '4242424242424242');
      await until(shopper, first.id, (o) => o.status === 'paid', 'became paid');
      const paid = await ledger();
      const delta = (l: typeof paid, account: string) => balance(l, account) - balance(before, account);
      expect([paid.ok, delta(paid, `escrow:${loom.shopId}`), delta(paid, 'promotions')]).toEqual([true, 2850, -1920]);

      // an order cancelled before it is paid gives every point back
      const second = (await checkout(shopper, { paymentMethod: 'card', lines: [{ skuId: red, quantity: 1 }], points: 500 }).expect(202)).body as Order;
      expect(await points()).toBe(600);
      await order().post(`/orders/${second.id}/cancel`).set('Authorization', bearer(shopper)).set('Idempotency-Key', fx.key()).send({}).expect(202);
      await until(shopper, second.id, (o) => o.status === 'cancelled', 'was cancelled');
      for (let i = 0; i < 50 && (await points()) !== 1100; i++) await new Promise((r) => setTimeout(r, 100));
      expect(await points()).toBe(1100);
      // more points than the buyer has now: refused before anything is held
      const greedy = await checkout(shopper, { paymentMethod: 'card', lines: [{ skuId: scarves.skus[0]!.id, quantity: 5 }], points: 1200 });
      expect([greedy.status, greedy.body.errors?.[0]?.code]).toEqual([422, 'insufficient']);

      // half of the first order refunded gives back half of its points, the rest all of them
      const sub = first.subOrders[0]!;
      const refund = async (amount?: number) => {
        const asked = (await order().post(`/orders/${first.id}/sub-orders/${sub.id}/refunds`).set('Authorization', bearer(shopper)).set('Idempotency-Key', fx.key()).send({ reason: 'one was torn', ...(amount ? { amount: cny(amount) } : {}) }).expect(201)).body as SubOrderRefund;
        await order().post(`/shops/${loom.shopId}/orders/${sub.id}/refunds/${asked.id}/decision`).set('Authorization', bearer(loom.tokens)).set('Idempotency-Key', fx.key()).send({ decision: 'approve' }).expect(200);
        await until(shopper, first.id, (o) => o.subOrders[0]!.refunds.find((r) => r.id === asked.id)?.status === 'refunded', 'refunded');
      };
      await refund(540);
      for (let i = 0; i < 50 && (await points()) !== 1550; i++) await new Promise((r) => setTimeout(r, 100));
      expect(await points()).toBe(1550);
      await refund();
      for (let i = 0; i < 50 && (await points()) !== 2000; i++) await new Promise((r) => setTimeout(r, 100));
      expect(await points()).toBe(2000);
      const entries = (await request(apps.membership!.url).get('/me/points/entries').set('Authorization', bearer(shopper)).expect(200)).body as PointsEntryPage;
      expect(entries.items.map((e) => [e.kind, e.points, e.balanceAfter])).toEqual([
        ['return', 450, 2000],
        ['return', 450, 1550],
        ['return', 500, 1100],
        ['spend', -500, 600],
        ['spend', -900, 1100],
        ['adjust', 2000, 2000],
      ]);
      const end = await ledger();
      expect([end.ok, balance(end, `escrow:${loom.shopId}`) - balance(before, `escrow:${loom.shopId}`), delta(end, 'promotions')]).toEqual([true, 0, 0]);
    } finally {
      await request(apps.membership!.url).put('/admin/member-levels').set('Authorization', bearer(admin)).send({ levels: ladder.items }).expect(200);
    }
  });

  it('when a points activity runs as a sub-order is paid, then it earns its points multiplied once it completes, and its growth as usual', async () => {
    const shopper = (await fx.accounts.register('triple')).tokens;
    const red = sku(scarves, 'red');
    const activity = (
      await request(apps.membership!.url)
        .post('/admin/points-activities')
        .set('Authorization', bearer(admin))
        .set('Idempotency-Key', fx.key())
        .send({ name: { 'zh-CN': '三倍积分', en: 'Triple points' }, multiplierPercent: 300, startsAt: new Date(Date.now() - 1000).toISOString(), endsAt: new Date(Date.now() + 3_600_000).toISOString() })
        .expect(201)
    ).body as { id: string; status: string };
    expect(activity.status).toBe('running');
    try {
      const started = (await checkout(shopper, { paymentMethod: 'card', lines: [{ skuId: red, quantity: 1 }] }).expect(202)).body as Order;
      await pay(started, '4242424242424242');
      const paid = await until(shopper, started.id, (o) => o.status === 'paid', 'became paid');
      const sub = paid.subOrders[0]!;
      await ship(loom, shopper, paid, sub.id);
      await order().post(`/orders/${paid.id}/sub-orders/${sub.id}/confirm-receipt`).set('Authorization', bearer(shopper)).set('Idempotency-Key', fx.key()).expect(200);
      const account = async () => (await request(apps.membership!.url).get('/me/points').set('Authorization', bearer(shopper)).expect(200)).body as PointsAccount;
      let a = await account();
      for (let i = 0; i < 50 && a.points === 0; i++) {
        await new Promise((r) => setTimeout(r, 100));
        a = await account();
      }
      // 30.00 kept (the scarf and its shipping): 30 points × 3, growth 30
      expect([a.points, a.growth]).toEqual([90, 30]);
      const entries = (await request(apps.membership!.url).get('/me/points/entries').set('Authorization', bearer(shopper)).expect(200)).body as PointsEntryPage;
      expect(entries.items[0]).toMatchObject({ kind: 'earn', points: 90, note: '×3 Triple points / 三倍积分' });
    } finally {
      const ended = await request(apps.membership!.url).post(`/admin/points-activities/${activity.id}/end`).set('Authorization', bearer(admin)).expect(200);
      expect(ended.body.status).toBe('ended');
    }
  });

  it('when a member gives their birthday, then it is given once, and on the day their level’s birthday coupon arrives once', async () => {
    const shopper = (await fx.accounts.register('birthday')).tokens;
    const hour = 3600_000;
    const template = (
      await request(apps.marketing!.url)
        .post('/admin/coupons')
        .set('Authorization', bearer(admin))
        .set('Idempotency-Key', fx.key())
        .send({ name: fx.n('Birthday'), discount: { kind: 'fixed', amount: cny(1000) }, minSpend: cny(5000), scope: { kind: 'all' }, validity: { kind: 'after-claim', days: 30 }, claimStartsAt: new Date(Date.now() - hour).toISOString(), claimEndsAt: new Date(Date.now() + 24 * hour).toISOString(), total: 100, perUserLimit: 5, distribution: 'issued' })
        .expect(201)
    ).body as CouponTemplate;
    const ladder = (await request(apps.membership!.url).get('/member-levels').expect(200)).body as LevelLadder;
    await request(apps.membership!.url).put('/admin/member-levels').set('Authorization', bearer(admin)).send({ levels: ladder.items.map((l) => ({ ...l, birthdayCouponTemplateId: template.id })) }).expect(200);
    try {
      // today in the platform's time zone (Shanghai), in a leap year so that 29 February is a date too
      const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', month: '2-digit', day: '2-digit' }).format(new Date());
      const birthday = `2000-${today}`;
      const me = (body: object) => request(apps.identity!.url).patch('/me').set('Authorization', bearer(shopper)).send(body);
      expect((await me({ birthday: '2999-01-01' }).expect(400)).body.errors[0].field).toBe('birthday');
      expect((await me({ birthday }).expect(200)).body.birthday).toBe(birthday);
      expect((await me({ birthday }).expect(200)).body.birthday).toBe(birthday);
      expect((await me({ birthday: '1999-01-01' }).expect(409)).body).toMatchObject({ code: 'birthday_locked', errors: [{ field: 'birthday' }] });
      const gifts = async () => ((await request(apps.marketing!.url).get('/me/coupons').set('Authorization', bearer(shopper)).expect(200)).body as { items: Coupon[] }).items.filter((c) => c.templateId === template.id);
      for (let i = 0; i < 100 && (await gifts()).length === 0; i++) await new Promise((r) => setTimeout(r, 100));
      // several sweeps later, still one
      await new Promise((r) => setTimeout(r, 1500));
      expect((await gifts()).map((c) => [c.state, c.note])).toEqual([['usable', 'Happy birthday from Emporium']]);
    } finally {
      await request(apps.membership!.url).put('/admin/member-levels').set('Authorization', bearer(admin)).send({ levels: ladder.items }).expect(200);
    }
  });

  it('when 100 checkouts race with the same coupon, then exactly one holds it and is paid; the rest are refused or cancelled and hold no stock', async () => {
    const shopper = (await fx.accounts.register('racer')).tokens;
    const blue = sku(cups, 'blue');
    const couponId = await claimedCoupon(shopper, `/shops/${kiln.shopId}/coupons`, kiln.tokens, { discount: { kind: 'fixed', amount: cny(500) }, minSpend: cny(5000) });
    const before = await stock(blue);
    const answers = await Promise.all(Array.from({ length: 100 }, () => checkout(shopper, { paymentMethod: 'card', lines: [{ skuId: blue, quantity: 1 }], couponIds: [couponId] })));
    const refused = answers.filter((a) => a.status === 422);
    const orders = answers.filter((a) => a.status === 202).map((a) => a.body as Order);
    // admission control turns some away at once (503, nothing started); dozens race for the coupon
    const overloaded = answers.filter((a) => a.status === 503);
    expect(refused.length + orders.length + overloaded.length).toBe(100);
    expect(overloaded.every((a) => a.body.code === 'overloaded')).toBe(true);
    expect(refused.length + orders.length).toBeGreaterThanOrEqual(2);
    for (const r of refused) expect([r.body.code, r.body.errors[0].field]).toEqual(['coupon_not_applicable', 'couponIds.0']);
    // the one that holds the coupon gets its payment page and is paid at once (the payment times out in 4 s); the rest end cancelled
    const ids = new Set(orders.map((o) => o.id));
    let mine: Order[] = [];
    let winner: Order | undefined;
    for (let i = 0; i < 300; i++) {
      mine = ((await order().get('/orders').set('Authorization', bearer(shopper)).expect(200)).body.items as Order[]).filter((o) => ids.has(o.id));
      const payable = mine.filter((o) => o.status === 'pending_payment' && o.payment?.hostedUrl);
      expect(payable.length).toBeLessThanOrEqual(1);
      if (!winner && payable[0]) {
        winner = payable[0];
        await pay(winner, '4242424242424242');
      }
      if (winner && mine.every((o) => o.id === winner!.id || o.status === 'cancelled')) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(winner?.discount.amount).toBe(500);
    const losers = mine.filter((o) => o.id !== winner!.id);
    expect(losers.map((o) => o.status)).toEqual(losers.map(() => 'cancelled'));
    for (const o of losers) expect(o.cancelReason).toMatch(/coupon/);
    await until(shopper, winner!.id, (o) => o.status === 'paid', 'became paid');
    expect(await myCoupons(shopper, 'used')).toContain(couponId);
    expect(await stock(blue)).toBe(before - 1);
  });

  it('when more checkouts arrive at once than admission control lets in, then the rest are refused at once with 503 and Retry-After, start nothing, and their keys may be sent again', async () => {
    await apps.order!.stop();
    // one checkout at a time: whatever arrives while one is being started is refused
    apps.order = await platform.startApp(orderService, { appId: 'order', env: { PAYMENT_TIMEOUT_SECONDS: '30', CHECKOUT_ADMISSION_MIN: '1', CHECKOUT_ADMISSION_MAX: '1' } });
    const shopper = (await fx.accounts.register('rush')).tokens;
    const blue = sku(cups, 'blue');
    const before = await stock(blue);
    const keys = Array.from({ length: 6 }, () => fx.key());
    const send = (key: string) => order().post('/checkout').set('Authorization', bearer(shopper)).set('Idempotency-Key', key).send({ paymentMethod: 'card', lines: [{ skuId: blue, quantity: 1 }] });
    const answers = await Promise.all(keys.map(send));
    const admitted = answers.filter((a) => a.status === 202);
    const refused = answers.filter((a) => a.status === 503);
    expect(admitted.length + refused.length).toBe(6);
    expect(admitted.length).toBeGreaterThanOrEqual(1);
    expect(refused.length).toBeGreaterThanOrEqual(1);
    for (const r of refused) {
      expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(r.body.code).toBe('overloaded');
      expect(Number(r.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    }
    // nothing started for the refused: only the admitted orders exist and hold stock
    const mine = (await order().get('/orders').set('Authorization', bearer(shopper)).expect(200)).body.items as Order[];
    expect(mine.map((o) => o.id).sort()).toEqual(admitted.map((a) => (a.body as Order).id).sort());
    expect(await stock(blue)).toBe(before - admitted.length);
    // a refused request took no Idempotency-Key: sent again alone, the same key starts its checkout
    const again = await send(keys[answers.indexOf(refused[0]!)]!);
    expect(again.status).toBe(202);
    for (const o of [...admitted.map((a) => a.body as Order), again.body as Order]) {
      await order().post(`/orders/${o.id}/cancel`).set('Authorization', bearer(shopper)).set('Idempotency-Key', fx.key()).send({}).expect(202);
    }
  });

  describe('group buys', () => {
    let teapots: Product;
    const marketing = () => request(apps.marketing!.url);
    const campaign = async (body: Record<string, unknown>) =>
      (await marketing().post(`/shops/${kiln.shopId}/group-buys`).set('Authorization', bearer(kiln.tokens)).set('Idempotency-Key', fx.key())
        .send({ skuId: teapots.skus[0]!.id, title: { 'zh-CN': '三人团 茶壶', en: 'Teapot, groups of 3' }, groupSize: 3, price: cny(5000), openSeconds: 600, perUserLimit: 2, startsAt: new Date(Date.now() - 1000).toISOString(), endsAt: new Date(Date.now() + 86_400_000).toISOString(), ...body })
        .expect(201)).body as GroupBuyCampaign;
    const join = (tokens: TokenPair, campaignId: string, groupId?: string) => checkout(tokens, { paymentMethod: 'card', groupBuy: { campaignId, quantity: 1, ...(groupId ? { groupId } : {}) } });
    const group = async (groupId: string) => (await marketing().get(`/group-buys/${groupId}`).expect(200)).body as GroupBuy;
    const orderCount = async (tokens: TokenPair) => ((await order().get('/orders').set('Authorization', bearer(tokens)).expect(200)).body as { items: Order[] }).items.length;
    /** opens or joins, pays, and waits until the sub-order waits for its group (or has moved on) */
    async function member(tokens: TokenPair, campaignId: string, groupId?: string): Promise<Order> {
      const started = await join(tokens, campaignId, groupId);
      expect(started.status).toBe(202);
      await pay(started.body as Order, '4242424242424242');
      const paid = await until(tokens, (started.body as Order).id, (o) => o.status === 'paid', 'became paid');
      // the seat becomes a member just after the order is paid
      for (let i = 0; i < 100; i++) {
        const seats = (await marketing().get('/me/group-buys').set('Authorization', bearer(tokens)).expect(200)).body.items as MyGroupBuy[];
        if (seats.find((m) => m.orderId === paid.id)?.seat === 'paid') return paid;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`the seat of order ${paid.id} never became a member`);
    }

    beforeAll(async () => {
      teapots = await fx.product(kiln, { white: 9900 });
      await request(apps.inventory!.url).post(`/shops/${kiln.shopId}/stock/${teapots.skus[0]!.id}/receipts`).set('Authorization', bearer(kiln.tokens)).set('Idempotency-Key', fx.key()).send({ quantity: 20 }).expect(200);
    });

    it('when three shoppers fill a group, then each paid order waits for the group and ships once it forms; joining one’s own, a full or a formed group is refused with nothing charged', async () => {
      const teapot = teapots.skus[0]!.id;
      // the group price must be below the list price; nobody else runs kiln’s campaigns
      const above = await marketing().post(`/shops/${kiln.shopId}/group-buys`).set('Authorization', bearer(kiln.tokens)).set('Idempotency-Key', fx.key())
        .send({ skuId: teapot, title: { 'zh-CN': '团', en: 'Group' }, groupSize: 3, price: cny(9900), openSeconds: 600, perUserLimit: 1, startsAt: new Date().toISOString(), endsAt: new Date(Date.now() + 60_000).toISOString() });
      expect([above.status, above.body.errors]).toEqual([400, [expect.objectContaining({ field: 'price.amount' })]]);
      expect((await marketing().get(`/shops/${kiln.shopId}/group-buys`).set('Authorization', bearer(loom.tokens))).status).toBe(404);
      const c = await campaign({});
      const [a, b, cc, d] = await Promise.all(['opener', 'joiner', 'third', 'late'].map(async (n) => (await fx.accounts.register(`group-${n}`)).tokens));
      const before = await stock(teapot);
      const ledgerBefore = await ledger();

      const first = await member(a!, c.id);
      const sub = first.subOrders[0]!;
      expect([sub.status, sub.total.amount, sub.lines[0]!.priceSource, sub.lines[0]!.unitPrice.amount]).toEqual(['AWAITING_GROUP', 5000 + 1000, 'group-buy', 5000]);
      const groupId = sub.groupBuy!.groupId;
      // the product page shows the open group; the opener cannot join it again, nor ask for a refund while it waits
      const offers = (await marketing().get('/group-buys').query({ productId: teapots.id }).expect(200)).body.items as GroupBuyOffer[];
      expect(offers.find((o) => o.campaign.id === c.id)?.openGroups.map((g) => [g.id, g.paid, g.seatsLeft])).toEqual([[groupId, 1, 2]]);
      const ordersOfA = await orderCount(a!);
      const own = await join(a!, c.id, groupId);
      expect([own.status, own.body.code]).toEqual([409, 'own_group']);
      expect(await orderCount(a!)).toBe(ordersOfA);
      expect((await order().post(`/orders/${first.id}/sub-orders/${sub.id}/refunds`).set('Authorization', bearer(a!)).set('Idempotency-Key', fx.key()).send({ reason: 'changed my mind' })).status).toBe(409);
      // the shop cannot ship before the group forms
      expect((await shipment(kiln, sub.id, trackingNumber('silent'))).status).toBe(409);

      const second = await member(b!, c.id, groupId);
      expect(second.subOrders[0]!.status).toBe('AWAITING_GROUP');
      // the third seat is held by a checkout being paid: the group is full for anyone else meanwhile
      const third = (await join(cc!, c.id, groupId).expect(202)).body as Order;
      expect((await group(groupId))).toMatchObject({ paid: 2, held: 1, seatsLeft: 0, status: 'open' });
      const ordersOfD = await orderCount(d!);
      const full = await join(d!, c.id, groupId);
      expect([full.status, full.body.code]).toEqual([409, 'group_full']);
      await pay(third, '4242424242424242');
      const formed = await until(cc!, third.id, (o) => o.subOrders[0]!.status === 'PAID', 'was paid with its group');
      expect(formed.subOrders[0]!.timeline.map((e) => e.status)).toEqual(['PENDING_PAYMENT', 'AWAITING_GROUP', 'PAID']);
      for (const [tokens, o] of [[a!, first], [b!, second]] as const) await until(tokens, o.id, (x) => x.subOrders[0]!.status === 'PAID', 'was paid with its group');
      expect(await group(groupId)).toMatchObject({ status: 'formed', paid: 3, seatsLeft: 0 });
      const late = await join(d!, c.id, groupId);
      expect([late.status, late.body.code]).toEqual([409, 'group_ended']);
      expect(await orderCount(d!)).toBe(ordersOfD);
      // three units sold, each shop's escrow has its share, and the shop ships
      expect(await stock(teapot)).toBe(before - 3);
      const l = await ledger();
      expect([l.ok, balance(l, `escrow:${kiln.shopId}`) - balance(ledgerBefore, `escrow:${kiln.shopId}`)]).toEqual([true, 3 * (6000 - 300)]);
      await ship(kiln, a!, first, sub.id);
      const mine = (await marketing().get('/me/group-buys').set('Authorization', bearer(a!)).expect(200)).body.items as MyGroupBuy[];
      expect(mine.map((m) => [m.orderId, m.seat, m.group.status, m.group.members.filter((x) => x.you).length])).toEqual([[first.id, 'paid', 'formed', 1]]);
      const campaigns = (await marketing().get(`/shops/${kiln.shopId}/group-buys`).set('Authorization', bearer(kiln.tokens)).expect(200)).body.items as GroupBuyCampaign[];
      expect(campaigns.find((x) => x.id === c.id)?.stats).toEqual({ open: 0, formed: 1, failed: 0, membersPaid: 3 });
    });

    it('when a group’s end never reaches order (its event lost with a broker’s restart), then order asks marketing: a formed group’s order is paid, a failed one’s refunded in full, a seat that never heard of its payment is told', async () => {
      const teapot = teapots.skus[0]!.id;
      const c = await campaign({ groupSize: 2 });
      const [a, b, d] = await Promise.all(['lost-formed', 'lost-failed', 'lost-seat'].map(async (n) => (await fx.accounts.register(`group-${n}`)).tokens));
      const before = await stock(teapot);
      const [toForm, toFail, unheard] = [await member(a!, c.id), await member(b!, c.id), await member(d!, c.id)];
      const [formedId, failedId] = [toForm, toFail].map((o) => o.subOrders[0]!.groupBuy!.groupId);
      expect(formedId).not.toBe(failedId);
      // what the groups' actors commit as one forms and the other fails, half a minute ago, their events lost on the way
      // (order leaves an end of the last 10 s to its event)
      const db = new Client({ connectionString: platform.endpoints.postgres });
      await db.connect();
      try {
        const schema = apps.marketing!.databaseSchema ?? 'marketing';
        const ago = "now() - interval '30 seconds'";
        await db.query(`UPDATE "${schema}".group_buys SET status = 'formed', ended_at = ${ago} WHERE id = $1 AND status = 'open'`, [formedId]);
        await db.query(`UPDATE "${schema}".group_buys SET status = 'failed', ended_at = ${ago} WHERE id = $1 AND status = 'open'`, [failedId]);
        await db.query(`UPDATE "${schema}".group_buy_members SET status = 'refunded', refunded_at = ${ago} WHERE order_id = $1 AND status = 'paid'`, [toFail.id]);
        // and a seat that never heard of its order's payment (checkout's last call lost)
        await db.query(`UPDATE "${schema}".group_buy_members SET status = 'held', paid_at = NULL WHERE order_id = $1 AND status = 'paid'`, [unheard.id]);
      } finally {
        await db.end();
      }
      const paid = await until(a!, toForm.id, (o) => o.subOrders[0]!.status === 'PAID', 'was paid by the sweep', 400);
      expect(paid.subOrders[0]!.timeline.map((e) => e.status)).toEqual(['PENDING_PAYMENT', 'AWAITING_GROUP', 'PAID']);
      const refunded = (await until(b!, toFail.id, (o) => o.subOrders[0]!.status === 'REFUNDED', 'was refunded by the sweep', 400)).subOrders[0]!;
      expect([refunded.refunded.amount, refunded.refunds.map((r) => r.status), refunded.timeline.map((e) => e.status)]).toEqual([refunded.total.amount, ['refunded'], ['PENDING_PAYMENT', 'AWAITING_GROUP', 'REFUND_REQUESTED', 'REFUNDED']]);
      // the formed group's unit is sold, the failed one's back on the shelf, the third still held for its open group
      expect(await stock(teapot)).toBe(before - 2);
      // the seat is told of the payment: a member again, its order still waiting for its group
      let seat: MyGroupBuy | undefined;
      for (let i = 0; i < 200 && seat?.seat !== 'paid'; i++) {
        if (i) await new Promise((r) => setTimeout(r, 50));
        seat = ((await marketing().get('/me/group-buys').set('Authorization', bearer(d!)).expect(200)).body.items as MyGroupBuy[]).find((m) => m.orderId === unheard.id);
      }
      expect([seat?.seat, seat?.group.status, seat?.group.paid]).toEqual(['paid', 'open', 1]);
      expect((await until(d!, unheard.id, () => true, 'was read')).subOrders[0]!.status).toBe('AWAITING_GROUP');
    });

    it('when a group does not fill in time, then every member is refunded in full through the refund path, the stock is back and the ledger adds up', async () => {
      const teapot = teapots.skus[0]!.id;
      const c = await campaign({ openSeconds: 10 });
      const [a, b] = await Promise.all(['short-a', 'short-b'].map(async (n) => (await fx.accounts.register(`group-${n}`)).tokens));
      const before = await stock(teapot);
      const ledgerBefore = await ledger();
      const first = await member(a!, c.id);
      const groupId = first.subOrders[0]!.groupBuy!.groupId;
      const second = await member(b!, c.id, groupId);
      expect(await stock(teapot)).toBe(before - 2); // held while the group fills
      for (const [tokens, o] of [[a!, first], [b!, second]] as const) {
        const refunded = await until(tokens, o.id, (x) => x.subOrders[0]!.status === 'REFUNDED', 'was refunded', 400);
        const s = refunded.subOrders[0]!;
        expect([s.refunded.amount, s.refunds.map((r) => r.status), s.timeline.map((e) => e.status)]).toEqual([s.total.amount, ['refunded'], ['PENDING_PAYMENT', 'AWAITING_GROUP', 'REFUND_REQUESTED', 'REFUNDED']]);
      }
      expect(await group(groupId)).toMatchObject({ status: 'failed', seatsLeft: 0 });
      expect(await stock(teapot)).toBe(before);
      // what kiln holds (in escrow, or released to it meanwhile by another test's completed order) is as before
      const kilns = (x: Awaited<ReturnType<typeof ledger>>) => balance(x, `escrow:${kiln.shopId}`) + balance(x, `receivable:${kiln.shopId}`);
      let l = await ledger();
      for (let i = 0; i < 50 && kilns(l) !== kilns(ledgerBefore); i++) {
        await new Promise((r) => setTimeout(r, 100));
        l = await ledger();
      }
      expect([l.ok, kilns(l) - kilns(ledgerBefore)]).toEqual([true, 0]);
      const mine = (await marketing().get('/me/group-buys').set('Authorization', bearer(b!)).expect(200)).body.items as MyGroupBuy[];
      expect(mine.map((m) => [m.seat, m.group.status])).toEqual([['paid', 'failed']]);

      // an opener who cancels before paying leaves a group nobody is in: it ends at once, nothing to join or refund
      const quitter = (await fx.accounts.register('group-quitter')).tokens;
      const opened = (await join(quitter, c.id).expect(202)).body as Order;
      const emptyId = opened.subOrders[0]!.groupBuy!.groupId;
      await order().post(`/orders/${opened.id}/cancel`).set('Authorization', bearer(quitter)).set('Idempotency-Key', fx.key()).send({}).expect(202);
      await until(quitter, opened.id, (o) => o.status === 'cancelled', 'was cancelled');
      let empty = await group(emptyId);
      for (let i = 0; i < 50 && empty.status === 'open'; i++) {
        await new Promise((r) => setTimeout(r, 100));
        empty = await group(emptyId);
      }
      expect([empty.status, empty.members]).toEqual(['failed', []]);
      expect([await stock(teapot)]).toEqual([before]);
    });
  });
});
