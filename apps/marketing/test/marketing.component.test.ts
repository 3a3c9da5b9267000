import request from 'supertest';
import { randomUUID } from 'node:crypto';
import type { GroupBuyCampaign, GroupSeat, Product, Quote, TokenPair } from '@emporium/contracts';
import { InvocationError } from '@emporium/kit';
import { bearer, callerService, marketplaceFixtures, startTestPlatform, type TestApp, type TestPeer, type TestPlatform, uniqueSuffix } from '@emporium/devkit/testing';
import { marketingService } from '../src/app';


describe('marketing: the quote', () => {
  let platform: TestPlatform;
  let identity: TestPeer;
  let shop: TestPeer;
  let catalog: TestPeer;
  let marketing: TestApp;
  let order: TestApp;
  const run = uniqueSuffix();
  const password = 'a long enough password';

  let fx: ReturnType<typeof marketplaceFixtures>;
  let kiln: { tokens: TokenPair; shopId: string };
  let loom: { tokens: TokenPair; shopId: string };
  let cup: Product;
  let scarf: Product;
  let buyer: TokenPair;
  let companyId: string;

  beforeAll(async () => {
    platform = await startTestPlatform({ profile: 'services' });
    [identity, shop, catalog, marketing, order] = await Promise.all([
      platform.startPeer('identity', { env: { SCRYPT_COST: '1024', LOGIN_MAX_FAILURES_PER_ADDRESS: '100000' } }),
      platform.startPeer('shop'),
      platform.startPeer('catalog'),
      platform.startApp(marketingService, { appId: 'marketing' }),
      platform.startApp(callerService('marketing_test_order'), { appId: 'order' }),
    ]);
    fx = marketplaceFixtures({ identity, shop, catalog }, { run, password, databaseUrl: platform.endpoints.postgres });
    [kiln, loom] = await Promise.all([fx.merchant('kiln'), fx.merchant('loom')]);
    [cup, scarf] = await Promise.all([fx.product(kiln, { white: 6800, blue: 7300 }), fx.product(loom, { red: 2000 })]);
    const white = cup.skus.find((s) => s.specValues.colour === 'white')!;
    await request(catalog.url)
      .put(`/shops/${kiln.shopId}/products/${cup.id}/skus/${white.id}/tiers`)
      .set('Authorization', bearer(kiln.tokens))
      .send({ tiers: [{ minQuantity: 12, price: { amount: 6200, currency: 'CNY' } }] })
      .expect(200);

    // a company buyer with a price list for the white cup
    const boss = await fx.accounts.register('boss');
    const company = await request(identity.url).post('/companies').set('Authorization', bearer(boss.tokens)).set('Idempotency-Key', fx.key()).send({
      name: `Acme ${run}`,
      taxId: `91310000${run.replace(/[^0-9A-Za-z]/g, '').toUpperCase()}`.slice(0, 18),
      contactEmail: fx.accounts.email('boss'),
      address: '100 Century Avenue, Shanghai',
    });
    companyId = (company.body as { id: string }).id;
    await request(identity.url).post(`/admin/companies/${companyId}/decision`).set('Authorization', bearer(await fx.platformAdmin())).set('Idempotency-Key', fx.key()).send({ decision: 'approve' }).expect(200);
    const bossTokens = await fx.accounts.refreshUntilRole(boss.tokens, { role: 'company_admin', companyId });
    const invitation = await request(identity.url).post(`/companies/${companyId}/invitations`).set('Authorization', bearer(bossTokens)).set('Idempotency-Key', fx.key())
      .send({ email: fx.accounts.email('buyer'), spendingLimit: { amount: 5_000_000, currency: 'CNY' } }).expect(201);
    const session = await fx.accounts.register('buyer');
    await request(identity.url).post(`/me/invitations/${(invitation.body as { id: string }).id}/accept`).set('Authorization', bearer(session.tokens)).set('Idempotency-Key', fx.key()).expect(201);
    buyer = await fx.accounts.refreshUntilRole(session.tokens, { role: 'company_buyer', companyId });
    await request(catalog.url)
      .put(`/shops/${kiln.shopId}/products/${cup.id}/company-prices/${companyId}`)
      .set('Authorization', bearer(kiln.tokens))
      .send({ prices: [{ skuId: white.id, price: { amount: 5500, currency: 'CNY' } }] })
      .expect(200);
  });
  afterAll(async () => {
    await platform?.stop();
  });

  const sku = (p: Product, colour: string) => p.skus.find((s) => s.specValues.colour === colour)!.id;
  const quote = (lines: { skuId: string; quantity: number }[], token?: TokenPair) => {
    const req = request(marketing.url).post('/quote');
    return (token ? req.set('Authorization', bearer(token)) : req).send({ lines });
  };

  it('when a shopper prices lines from two shops, then each line says its price and why, and each shop its shipping', async () => {
    const res = await quote([
      { skuId: sku(cup, 'white'), quantity: 12 },
      { skuId: sku(scarf, 'red'), quantity: 1 },
      { skuId: sku(cup, 'blue'), quantity: 1 },
    ]);
    expect(res.status).toBe(200);
    const q = res.body as Quote;
    expect(q.shops.map((s) => [s.shopId, s.lines.map((l) => [l.priceSource, l.unitPrice.amount, l.lineTotal.amount]), s.subtotal.amount, s.shipping.amount])).toEqual([
      [kiln.shopId, [['tier', 6200, 74400], ['list', 7300, 7300]], 81700, 0],
      [loom.shopId, [['list', 2000, 2000]], 2000, 1000],
    ]);
    expect([q.subtotal.amount, q.shipping.amount, q.total.amount, q.companyId]).toEqual([83700, 1000, 84700, null]);
    expect(q.shops[0]?.lines[0]?.explanation).toBe('tier price CNY 62.00 × 12, the lowest of: tier from 12 CNY 62.00, list CNY 68.00');
  });

  it("when a company buyer prices the same line, then the company's price applies", async () => {
    const q = (await quote([{ skuId: sku(cup, 'white'), quantity: 12 }], buyer).expect(200)).body as Quote;
    expect([q.companyId, q.shops[0]?.lines[0]?.priceSource, q.total.amount]).toEqual([companyId, 'company', 66000]);
  });

  it("when a merchant sets its shop's shipping, then quotes use it; other merchants cannot", async () => {
    const rule = { flatFee: { amount: 1500, currency: 'CNY' }, freeAbove: null };
    expect((await request(marketing.url).put(`/shops/${loom.shopId}/shipping-rule`).set('Authorization', bearer(kiln.tokens)).send(rule)).status).toBe(404);
    const put = await request(marketing.url).put(`/shops/${loom.shopId}/shipping-rule`).set('Authorization', bearer(loom.tokens)).send(rule).expect(200);
    expect(put.body).toMatchObject({ flatFee: rule.flatFee, freeAbove: null, isDefault: false });
    const q = (await quote([{ skuId: sku(scarf, 'red'), quantity: 10 }]).expect(200)).body as Quote;
    expect([q.shops[0]?.shipping.amount, q.shops[0]?.shippingRule]).toEqual([1500, 'CNY 15.00 per order']);
    const bad = await request(marketing.url).put(`/shops/${loom.shopId}/shipping-rule`).set('Authorization', bearer(loom.tokens)).send({ flatFee: { amount: 1.5, currency: 'CNY' }, freeAbove: null });
    expect([bad.status, bad.body.errors?.[0]?.field]).toEqual([400, 'flatFee.amount']);
  });

  it('when a line cannot be bought or the body is wrong, then the answer names the line', async () => {
    const draft = await fx.product(kiln, { red: 100 }, { publish: false });
    const res = await quote([
      { skuId: sku(cup, 'white'), quantity: 1 },
      { skuId: draft.skus[0]!.id, quantity: 1 },
    ]);
    expect([res.status, res.body.errors?.[0]]).toEqual([400, expect.objectContaining({ field: 'lines[1].skuId', code: 'unpublished' })]);
    const dup = await quote([
      { skuId: sku(cup, 'white'), quantity: 1 },
      { skuId: sku(cup, 'white'), quantity: 2 },
    ]);
    expect([dup.status, dup.body.errors?.[0]?.field]).toEqual([400, 'lines']);
    const zero = await quote([{ skuId: sku(cup, 'white'), quantity: 0 }]);
    expect([zero.status, zero.body.errors?.[0]?.field]).toEqual([400, 'lines.0.quantity']);
  });

  it('when order asks for a named buyer, then it gets the same quote; anyone else is refused by the sidecar', async () => {
    const lines = [{ skuId: sku(cup, 'white'), quantity: 12 }];
    const q = await order.dapr.invoke<Quote>('marketing', 'POST', '/internal/quote', { lines, buyer: { userId: '00000000-0000-4000-8000-000000000001', companyId } });
    expect(q.total.amount).toBe(66000);
    const other = await catalog.dapr.invoke('marketing', 'POST', '/internal/quote', { lines, buyer: { userId: '00000000-0000-4000-8000-000000000001', companyId: null } }).catch((e: unknown) => e);
    // refused by marketing's sidecar: its access-control policy lets only order in
    expect(other instanceof InvocationError && other.status).toBe(403);
  });

  it('when a checkout that took a group seat did not start and its client tries again, then the same order takes its seat back: an opener’s group opens again, a joiner’s seat is held again', async () => {
    const campaign = (await request(marketing.url).post(`/shops/${kiln.shopId}/group-buys`).set('Authorization', bearer(kiln.tokens)).set('Idempotency-Key', fx.key())
      .send({ skuId: sku(cup, 'white'), title: { 'zh-CN': '两人团 杯子', en: 'Cup, pairs' }, groupSize: 2, price: { amount: 5000, currency: 'CNY' }, openSeconds: 600, perUserLimit: 2, startsAt: new Date(Date.now() - 1000).toISOString(), endsAt: new Date(Date.now() + 86_400_000).toISOString() })
      .expect(201)).body as GroupBuyCampaign;
    const hold = (body: Record<string, unknown>) => order.dapr.invoke<GroupSeat>('marketing', 'POST', '/internal/group-seats', { campaignId: campaign.id, quantity: 1, holdSeconds: 600, ...body });
    // what order does when the checkout fails before its workflow starts (a peer away, the quote refused)
    const release = (orderId: string) => order.dapr.invoke<GroupSeat | null>('marketing', 'POST', `/internal/group-seats/${orderId}/release`);
    const opener = { orderId: randomUUID(), buyerUserId: randomUUID() };
    const opened = await hold(opener);
    expect([opened.seat, opened.group]).toEqual(['held', 'open']);
    // its only seat given up, the group ends: nobody is in it
    expect(await release(opener.orderId)).toMatchObject({ seat: 'released', group: 'failed' });
    // the client's retry (same key, same order): the same group, open again, the seat held
    expect(await hold(opener)).toMatchObject({ groupId: opened.groupId, seat: 'held', group: 'open' });

    const joiner = { orderId: randomUUID(), buyerUserId: randomUUID(), groupId: opened.groupId };
    expect(await hold(joiner)).toMatchObject({ seat: 'held', group: 'open' });
    expect(await release(joiner.orderId)).toMatchObject({ seat: 'released', group: 'open' });
    // meanwhile someone else takes the free seat: the joiner's retry is refused, the group being full
    const other = { orderId: randomUUID(), buyerUserId: randomUUID(), groupId: opened.groupId };
    expect(await hold(other)).toMatchObject({ seat: 'held' });
    const full = await hold(joiner).catch((e: unknown) => e);
    expect(full instanceof InvocationError && [full.status, (full.body as { code?: string }).code]).toEqual([409, 'group_full']);
    // once that seat is given up, the joiner's retry takes it back
    await release(other.orderId);
    expect(await hold(joiner)).toMatchObject({ orderId: joiner.orderId, seat: 'held', group: 'open' });
  });
});
