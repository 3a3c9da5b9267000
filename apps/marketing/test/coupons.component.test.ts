import request from 'supertest';
import { randomUUID } from 'node:crypto';
import type { Coupon, CouponsForSelection, CouponTemplate, OrderCoupons, Quote, Reduction, TokenPair } from '@emporium/contracts';
import { MarketingInternal } from '@emporium/contracts';
import { InvocationError } from '@emporium/kit';
import { bearer, callerService, marketplaceFixtures, startTestPlatform, type TestApp, type TestPeer, type TestPlatform, uniqueSuffix } from '@emporium/devkit/testing';
import { marketingService } from '../src/app';

/** Coupon templates by shops and the platform, claimed by shoppers, through marketing's own routes. */
describe('marketing: coupons', () => {
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
  let shoppers: TokenPair[];

  const hour = 3600_000;
  const at = (ms: number) => new Date(Date.now() + ms).toISOString();
  const cny = (amount: number) => ({ amount, currency: 'CNY' });
  const terms = (over: Record<string, unknown> = {}) => ({
    name: fx.n('Ten off a hundred'),
    discount: { kind: 'fixed', amount: cny(1000) },
    minSpend: cny(10000),
    scope: { kind: 'all' },
    validity: { kind: 'after-claim', days: 7 },
    claimStartsAt: at(-hour),
    claimEndsAt: at(24 * hour),
    total: 10,
    perUserLimit: 2,
    ...over,
  });

  beforeAll(async () => {
    platform = await startTestPlatform({ profile: 'services' });
    [identity, shop, catalog, marketing, order] = await Promise.all([
      platform.startPeer('identity', { env: { SCRYPT_COST: '1024', LOGIN_MAX_FAILURES_PER_ADDRESS: '100000' } }),
      platform.startPeer('shop'),
      platform.startPeer('catalog'),
      platform.startApp(marketingService, { appId: 'marketing' }),
      platform.startApp(callerService('coupons_test_order'), { appId: 'order' }),
    ]);
    fx = marketplaceFixtures({ identity, shop, catalog }, { run, password, databaseUrl: platform.endpoints.postgres });
    [kiln, loom] = await Promise.all([fx.merchant('kiln'), fx.merchant('loom')]);
    shoppers = await Promise.all(Array.from({ length: 10 }, (_, i) => fx.accounts.register(`shopper${i}`).then((s) => s.tokens)));
  });
  afterAll(async () => {
    await platform?.stop();
  });

  async function shopTemplate(over: Record<string, unknown> = {}, owner = kiln): Promise<CouponTemplate> {
    const res = await request(marketing.url).post(`/shops/${owner.shopId}/coupons`).set('Authorization', bearer(owner.tokens)).set('Idempotency-Key', fx.key()).send(terms(over));
    expect(res.status).toBe(201);
    return res.body as CouponTemplate;
  }

  const claim = (templateId: string, who: TokenPair, key = fx.key()) =>
    request(marketing.url).post(`/coupons/${templateId}/claim`).set('Authorization', bearer(who)).set('Idempotency-Key', key).send();

  it('when a merchant issues coupons, then the template is the shop’s and funded by it, and a retry with the same key returns it', async () => {
    const key = fx.key();
    const body = terms();
    const first = await request(marketing.url).post(`/shops/${kiln.shopId}/coupons`).set('Authorization', bearer(kiln.tokens)).set('Idempotency-Key', key).send(body);
    expect(first.status).toBe(201);
    const template = first.body as CouponTemplate;
    expect(template).toMatchObject({ shopId: kiln.shopId, fundedBy: 'shop', status: 'active', phase: 'open', total: 10, claimed: 0, remaining: 10, used: 0 });
    const again = await request(marketing.url).post(`/shops/${kiln.shopId}/coupons`).set('Authorization', bearer(kiln.tokens)).set('Idempotency-Key', key).send(body);
    expect(again.status).toBe(201);
    expect((again.body as CouponTemplate).id).toBe(template.id);
    const mine = await request(marketing.url).get(`/shops/${kiln.shopId}/coupons`).set('Authorization', bearer(kiln.tokens)).expect(200);
    expect((mine.body as { items: CouponTemplate[] }).items.filter((t) => t.id === template.id)).toHaveLength(1);
  });

  it('when the terms are wrong, then 400 names the field and nothing is stored', async () => {
    const cases: [Record<string, unknown>, string][] = [
      // 满 100 减 100 would make a free order
      [{ discount: { kind: 'fixed', amount: cny(10000) } }, 'discount.amount'],
      [{ claimEndsAt: at(-2 * hour) }, 'claimEndsAt'],
      [{ discount: { kind: 'percent', percentOff: 100, maxOff: null } }, 'discount.percentOff'],
      [{ perUserLimit: 11 }, 'perUserLimit'],
      [{ validity: { kind: 'fixed', startsAt: at(0), endsAt: at(hour) } }, 'validity.endsAt'],
      [{ minSpend: { amount: 10000, currency: 'USD' } }, 'minSpend'],
      [{ scope: { kind: 'products', productIds: [] } }, 'scope.productIds'],
      [{ surprise: true }, 'surprise'],
      [{ minSpend: cny(0) }, 'minSpend.amount'],
      [{ discount: { kind: 'percent', percentOff: 10, maxOff: cny(0) } }, 'discount.maxOff.amount'],
    ];
    const before = (await request(marketing.url).get(`/shops/${kiln.shopId}/coupons`).set('Authorization', bearer(kiln.tokens)).expect(200)).body as { items: unknown[] };
    for (const [over, field] of cases) {
      const res = await request(marketing.url).post(`/shops/${kiln.shopId}/coupons`).set('Authorization', bearer(kiln.tokens)).set('Idempotency-Key', fx.key()).send(terms(over));
      expect({ field, status: res.status }).toEqual({ field, status: 400 });
      expect((res.body as { errors: { field: string }[] }).errors.map((e) => e.field)).toContain(field);
    }
    const after = (await request(marketing.url).get(`/shops/${kiln.shopId}/coupons`).set('Authorization', bearer(kiln.tokens)).expect(200)).body as { items: unknown[] };
    expect(after.items).toHaveLength(before.items.length);
  });

  it('when someone outside the shop tries to issue, list or pause its coupons, then they are told there is no such thing', async () => {
    const template = await shopTemplate();
    await request(marketing.url).post(`/shops/${kiln.shopId}/coupons`).set('Authorization', bearer(loom.tokens)).set('Idempotency-Key', fx.key()).send(terms()).expect(404);
    await request(marketing.url).get(`/shops/${kiln.shopId}/coupons`).set('Authorization', bearer(shoppers[0]!)).expect(404);
    await request(marketing.url).put(`/coupons/${template.id}/status`).set('Authorization', bearer(loom.tokens)).send({ status: 'paused' }).expect(404);
    await request(marketing.url).put(`/coupons/${randomUUID()}/status`).set('Authorization', bearer(kiln.tokens)).send({ status: 'paused' }).expect(404);
    // platform coupons are for platform admins
    await request(marketing.url).post('/admin/coupons').set('Authorization', bearer(kiln.tokens)).set('Idempotency-Key', fx.key()).send(terms()).expect(403);
    await request(marketing.url).get('/admin/coupons').set('Authorization', bearer(shoppers[0]!)).expect(403);
    await request(marketing.url).post(`/coupons/${template.id}/claim`).set('Idempotency-Key', fx.key()).send().expect(401);
  });

  it('when 100 claims of 10 shoppers race for 25 coupons of at most 3 each, then exactly 25 are claimed and nobody holds more than 3', async () => {
    const template = await shopTemplate({ total: 25, perUserLimit: 3 });
    const attempts = shoppers.flatMap((who, i) => Array.from({ length: 10 }, () => ({ who, i })));
    const answers = await Promise.all(attempts.map(async ({ who, i }) => ({ i, res: await claim(template.id, who) })));
    const won = answers.filter((a) => a.res.status === 201);
    expect(won).toHaveLength(25);
    const refused = answers.filter((a) => a.res.status !== 201);
    expect(new Set(refused.map((a) => a.res.status))).toEqual(new Set([409]));
    for (const a of refused) expect(['coupons_exhausted', 'coupon_limit_reached']).toContain((a.res.body as { code: string }).code);
    const perShopper = new Map<number, number>();
    for (const a of won) perShopper.set(a.i, (perShopper.get(a.i) ?? 0) + 1);
    expect(Math.max(...perShopper.values())).toBeLessThanOrEqual(3);

    const after = (await request(marketing.url).get(`/shops/${kiln.shopId}/coupons`).set('Authorization', bearer(kiln.tokens)).expect(200)).body as { items: CouponTemplate[] };
    expect(after.items.find((t) => t.id === template.id)).toMatchObject({ claimed: 25, remaining: 0 });
    const late = await claim(template.id, shoppers[9]!);
    expect(late.status).toBe(409);
    // none left: the coupon centre no longer offers it
    const centre = (await request(marketing.url).get('/coupons').query({ shopId: kiln.shopId }).expect(200)).body as { items: CouponTemplate[] };
    expect(centre.items.map((t) => t.id)).not.toContain(template.id);
  });

  it('when a claim is sent again with its key, then the same coupon comes back and only one is counted; the per-user limit holds', async () => {
    const template = await shopTemplate({ total: 5, perUserLimit: 1, validity: { kind: 'after-claim', days: 3 } });
    const key = fx.key();
    const first = await claim(template.id, shoppers[1]!, key);
    expect(first.status).toBe(201);
    const again = await claim(template.id, shoppers[1]!, key);
    expect(again.status).toBe(201);
    expect((again.body as Coupon).id).toBe((first.body as Coupon).id);
    const coupon = first.body as Coupon;
    expect(coupon).toMatchObject({ templateId: template.id, shopId: kiln.shopId, state: 'usable', usedAt: null, minSpend: cny(10000) });
    expect(Date.parse(coupon.validUntil) - Date.parse(coupon.validFrom)).toBe(3 * 24 * hour);
    const second = await claim(template.id, shoppers[1]!);
    expect(second.status).toBe(409);
    expect((second.body as { code: string }).code).toBe('coupon_limit_reached');
    const list = (await request(marketing.url).get(`/shops/${kiln.shopId}/coupons`).set('Authorization', bearer(kiln.tokens)).expect(200)).body as { items: CouponTemplate[] };
    expect(list.items.find((t) => t.id === template.id)).toMatchObject({ claimed: 1, remaining: 4 });

    const mine = (await request(marketing.url).get('/me/coupons').query({ state: 'usable' }).set('Authorization', bearer(shoppers[1]!)).expect(200)).body as { items: Coupon[] };
    expect(mine.items.filter((c) => c.templateId === template.id)).toHaveLength(1);
    const used = (await request(marketing.url).get('/me/coupons').query({ state: 'used' }).set('Authorization', bearer(shoppers[1]!)).expect(200)).body as { items: Coupon[] };
    expect(used.items).toEqual([]);
    await request(marketing.url).get('/me/coupons').query({ state: 'lost' }).set('Authorization', bearer(shoppers[1]!)).expect(400);
  });

  it('when a template is paused, then nobody can claim it and the centre hides it; resumed, it is claimable again', async () => {
    const template = await shopTemplate({ total: 5, perUserLimit: 5 });
    const paused = await request(marketing.url).put(`/coupons/${template.id}/status`).set('Authorization', bearer(kiln.tokens)).send({ status: 'paused' }).expect(200);
    expect((paused.body as CouponTemplate).status).toBe('paused');
    expect((await claim(template.id, shoppers[2]!)).status).toBe(404);
    const centre = (await request(marketing.url).get('/coupons').query({ shopId: kiln.shopId }).expect(200)).body as { items: CouponTemplate[] };
    expect(centre.items.map((t) => t.id)).not.toContain(template.id);
    await request(marketing.url).put(`/coupons/${template.id}/status`).set('Authorization', bearer(kiln.tokens)).send({ status: 'active' }).expect(200);
    expect((await claim(template.id, shoppers[2]!)).status).toBe(201);
    // a window that has not opened yet is not claimable either
    const later = await shopTemplate({ claimStartsAt: at(hour), claimEndsAt: at(2 * hour) });
    expect(later.phase).toBe('upcoming');
    expect((await claim(later.id, shoppers[2]!)).status).toBe(404);
  });

  it('when the coupon centre is asked for a product, then its shop’s and the platform’s templates that reach it show, no other shop’s', async () => {
    const [p1, p2] = [randomUUID(), randomUUID()];
    const [parent, child] = [randomUUID(), randomUUID()];
    const everything = await shopTemplate({ scope: { kind: 'all' } }, loom);
    const onlyP1 = await shopTemplate({ scope: { kind: 'products', productIds: [p1, p1] } }, loom);
    const ofParent = await shopTemplate({ scope: { kind: 'categories', categoryIds: [parent] } }, loom);
    // another shop naming loom's product: its coupon never applies there, so it is not offered there
    const foreign = await shopTemplate({ scope: { kind: 'products', productIds: [p1] } }, kiln);
    const foreignAll = await shopTemplate({ scope: { kind: 'all' } }, kiln);
    expect(onlyP1.scope).toEqual({ kind: 'products', productIds: [p1] });
    const ids = async (query: Record<string, string>) =>
      ((await request(marketing.url).get('/coupons').query({ shopId: loom.shopId, ...query }).expect(200)).body as { items: CouponTemplate[] }).items.map((t) => t.id);
    const forP1 = await ids({ productId: p1 });
    expect(forP1).toEqual(expect.arrayContaining([everything.id, onlyP1.id]));
    for (const other of [ofParent.id, foreign.id, foreignAll.id]) expect(forP1).not.toContain(other);
    expect(await ids({ productId: p2 })).not.toContain(onlyP1.id);
    // a product in a sub-category of the template's category
    expect(await ids({ productId: p2, categoryPath: `${child},${parent}` })).toEqual(expect.arrayContaining([everything.id, ofParent.id]));
    // alone, shopId lists that shop's templates
    expect(await ids({})).toEqual(expect.arrayContaining([everything.id, onlyP1.id, ofParent.id]));
    const bad = [{ productId: 'not-a-uuid', shopId: loom.shopId }, { productId: p1 }, { shopId: loom.shopId, categoryPath: parent }, { shopId: loom.shopId, productId: p1, categoryPath: 'x,y' }];
    for (const query of bad) await request(marketing.url).get('/coupons').query(query).expect(400);
  });

  it('when a platform admin issues coupons, then they are the platform’s, funded by it, and listed for admins', async () => {
    const admin = await fx.platformAdmin();
    const created = await request(marketing.url)
      .post('/admin/coupons')
      .set('Authorization', bearer(admin))
      .set('Idempotency-Key', fx.key())
      .send(terms({ discount: { kind: 'percent', percentOff: 15, maxOff: cny(5000) }, minSpend: null, validity: { kind: 'fixed', startsAt: at(-hour), endsAt: at(48 * hour) } }))
      .expect(201);
    const template = created.body as CouponTemplate;
    expect(template).toMatchObject({ shopId: null, fundedBy: 'platform', minSpend: null });
    const listed = (await request(marketing.url).get('/admin/coupons').set('Authorization', bearer(admin)).expect(200)).body as { items: CouponTemplate[] };
    expect(listed.items.map((t) => t.id)).toContain(template.id);
    const coupon = (await claim(template.id, shoppers[3]!)).body as Coupon;
    expect(coupon).toMatchObject({ shopId: null, validUntil: template.validity.kind === 'fixed' ? new Date(template.validity.endsAt).toISOString() : '' });
  });

  it('when the platform welcomes new users, then each user who registers in the window gets one coupon of it, once; nobody can claim it and no shop may welcome', async () => {
    const admin = await fx.platformAdmin();
    const welcome = (await request(marketing.url).post('/admin/coupons').set('Authorization', bearer(admin)).set('Idempotency-Key', fx.key()).send(terms({ distribution: 'new-user', perUserLimit: 1 })).expect(201))
      .body as CouponTemplate;
    expect(welcome.distribution).toBe('new-user');
    const newcomer = await fx.accounts.register('newcomer');
    const mine = async () => ((await request(marketing.url).get('/me/coupons').set('Authorization', bearer(newcomer.tokens)).expect(200)).body as { items: Coupon[] }).items.filter((c) => c.templateId === welcome.id);
    for (let i = 0; i < 100 && (await mine()).length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect((await mine()).map((c) => c.state)).toEqual(['usable']);
    // the event again (a redelivery) gives nothing more
    await new Promise((r) => setTimeout(r, 300));
    expect(await mine()).toHaveLength(1);
    expect((await claim(welcome.id, shoppers[4]!)).status).toBe(404);
    expect(((await request(marketing.url).get('/coupons').expect(200)).body as { items: CouponTemplate[] }).items.map((t) => t.id)).not.toContain(welcome.id);
    const shopWelcome = await request(marketing.url).post(`/shops/${kiln.shopId}/coupons`).set('Authorization', bearer(kiln.tokens)).set('Idempotency-Key', fx.key()).send(terms({ distribution: 'new-user' }));
    expect([shopWelcome.status, shopWelcome.body.errors?.[0]?.field]).toEqual([400, 'distribution']);
    // paused, it welcomes nobody else (the buyers registered by the tests below start with no coupon)
    await request(marketing.url).put(`/coupons/${welcome.id}/status`).set('Authorization', bearer(admin)).send({ status: 'paused' }).expect(200);
  });

  it('when an admin or a merchant compensates a shopper, then the coupon is theirs with the reason; unknown users, claim templates and other shops’ templates are refused', async () => {
    const admin = await fx.platformAdmin();
    const customer = await fx.accounts.register('compensated');
    const issuedTemplate = (await request(marketing.url).post('/admin/coupons').set('Authorization', bearer(admin)).set('Idempotency-Key', fx.key()).send(terms({ distribution: 'issued', perUserLimit: 2 })).expect(201))
      .body as CouponTemplate;
    const issue = (templateId: string, who: TokenPair, body: object, key = fx.key()) =>
      request(marketing.url).post(`/coupons/${templateId}/issue`).set('Authorization', bearer(who)).set('Idempotency-Key', key).send(body);
    const key = fx.key();
    const given = await issue(issuedTemplate.id, admin, { userId: customer.user.id, reason: 'Sorry for the late delivery' }, key);
    expect(given.status).toBe(201);
    expect(given.body as Coupon).toMatchObject({ templateId: issuedTemplate.id, state: 'usable', note: 'Sorry for the late delivery' });
    // the same request again is the same coupon
    expect((await issue(issuedTemplate.id, admin, { userId: customer.user.id, reason: 'Sorry for the late delivery' }, key)).body.id).toBe(given.body.id);
    const mine = ((await request(marketing.url).get('/me/coupons').set('Authorization', bearer(customer.tokens)).expect(200)).body as { items: Coupon[] }).items;
    expect(mine.filter((c) => c.templateId === issuedTemplate.id).map((c) => c.note)).toEqual(['Sorry for the late delivery']);

    const unknown = await issue(issuedTemplate.id, admin, { userId: randomUUID(), reason: 'Sorry for the late delivery' });
    expect([unknown.status, unknown.body.errors?.[0]?.field]).toEqual([400, 'userId']);
    const claimable = (await request(marketing.url).post('/admin/coupons').set('Authorization', bearer(admin)).set('Idempotency-Key', fx.key()).send(terms()).expect(201)).body as CouponTemplate;
    const wrongWay = await issue(claimable.id, admin, { userId: customer.user.id, reason: 'Sorry for the late delivery' });
    expect([wrongWay.status, wrongWay.body.code]).toEqual([409, 'coupon_not_issuable']);
    // nor can the customer claim the compensation template, nor a shopper issue
    expect((await claim(issuedTemplate.id, customer.tokens)).status).toBe(404);
    expect((await issue(issuedTemplate.id, customer.tokens, { userId: customer.user.id, reason: 'I deserve it' })).status).toBe(404);
    // a merchant compensates from its own shop's template only
    const kilnIssued = await shopTemplate({ distribution: 'issued' });
    expect((await issue(kilnIssued.id, kiln.tokens, { userId: customer.user.id, reason: 'A chipped cup' })).status).toBe(201);
    expect((await issue(kilnIssued.id, loom.tokens, { userId: customer.user.id, reason: 'A chipped cup' })).status).toBe(404);
  });

  it('when a shopper looks at a selection, then each coupon says what it takes off or what it lacks, and the best combination is picked', async () => {
    const [cup, scarf] = await Promise.all([fx.product(kiln, { white: 6800, blue: 7300 }), fx.product(loom, { red: 2000 })]);
    const white = cup.skus.find((s) => s.specValues.colour === 'white')!;
    const red = (scarf).skus[0]!;
    // a wallet of its own: every shopper of the other tests holds coupons of the race
    const who = (await fx.accounts.register('wallet')).tokens;
    const kilnSmall = await shopTemplate({ name: fx.n('10 off 100'), total: 50, perUserLimit: 1 });
    const kilnBig = await shopTemplate({ name: fx.n('30 off 200'), discount: { kind: 'fixed', amount: cny(3000) }, minSpend: cny(20000), total: 50, perUserLimit: 1 });
    const otherProduct = await shopTemplate({ name: fx.n('only another product'), scope: { kind: 'products', productIds: [randomUUID()] }, minSpend: null, total: 50, perUserLimit: 1 });
    const admin = await fx.platformAdmin();
    const platformPct = (
      await request(marketing.url)
        .post('/admin/coupons')
        .set('Authorization', bearer(admin))
        .set('Idempotency-Key', fx.key())
        .send(terms({ name: fx.n('15 % off, at most 20'), discount: { kind: 'percent', percentOff: 15, maxOff: cny(2000) }, minSpend: null, total: 50, perUserLimit: 1 }))
        .expect(201)
    ).body as CouponTemplate;
    const held = new Map<string, string>();
    for (const t of [kilnSmall, kilnBig, otherProduct, platformPct]) {
      const claimed = await claim(t.id, who);
      expect(claimed.status).toBe(201);
      held.set(t.id, (claimed.body as Coupon).id);
    }

    // two white cups (136.00) from kiln, one red scarf (20.00) from loom
    const res = await request(marketing.url)
      .post('/me/coupons/for-selection')
      .set('Authorization', bearer(who))
      .send({ lines: [{ skuId: white.id, quantity: 2 }, { skuId: red.id, quantity: 1 }] })
      .expect(200);
    const answer = res.body as CouponsForSelection;
    expect(answer.quote.subtotal).toEqual(cny(15600));
    const about = (templateId: string) => answer.coupons.find((c) => c.coupon.id === held.get(templateId))!;
    expect(about(kilnSmall.id)).toMatchObject({ fits: true, discount: cny(1000), reason: null });
    expect(about(kilnBig.id)).toMatchObject({ fits: false, reason: 'below-threshold', shortBy: cny(6400) });
    expect(about(otherProduct.id)).toMatchObject({ fits: false, reason: 'no-lines-in-scope' });
    // 15 % of 156.00 is 23.40, capped at 20.00
    expect(about(platformPct.id)).toMatchObject({ fits: true, discount: cny(2000) });
    expect(answer.coupons.slice(0, 2).map((c) => c.coupon.id)).toEqual([held.get(platformPct.id), held.get(kilnSmall.id)]);
    // kiln's 10 off, then the platform's 15 % of what is left (146.00 → 21.90, capped at 20.00)
    expect(answer.best).toEqual({ couponIds: [held.get(kilnSmall.id), held.get(platformPct.id)], discount: cny(3000) });

    await request(marketing.url).post('/me/coupons/for-selection').send({ lines: [{ skuId: white.id, quantity: 1 }] }).expect(401);
    await request(marketing.url).post('/me/coupons/for-selection').set('Authorization', bearer(who)).send({ lines: [] }).expect(400);
  });

  it('when 100 orders want the same coupon at once, then exactly one holds it; released, another may; used, it stays used', async () => {
    const template = await shopTemplate({ name: fx.n('no threshold'), minSpend: null, total: 5, perUserLimit: 1 });
    const buyer = await fx.accounts.register('holder');
    const couponId = ((await claim(template.id, buyer.tokens)).body as Coupon).id;
    const reserve = (orderId: string, ids = [couponId], buyerUserId = buyer.user.id) =>
      order.dapr.call(MarketingInternal.reserveCoupons, { body: { orderId, buyerUserId, couponIds: ids } }).then(
        (r) => ({ status: 200, body: r }),
        (err: unknown) => {
          if (err instanceof InvocationError) return { status: err.status, body: err.body };
          throw err;
        },
      );
    const orders = Array.from({ length: 100 }, () => randomUUID());
    const answers = await Promise.all(orders.map((id) => reserve(id)));
    const winners = answers.flatMap((a, i) => (a.status === 200 ? [orders[i]!] : []));
    expect(winners).toHaveLength(1);
    const losers = answers.filter((a) => a.status !== 200);
    expect(new Set(losers.map((a) => a.status))).toEqual(new Set([409]));
    expect(losers[0]!.body).toMatchObject({ code: 'coupon_unavailable', errors: [{ field: 'couponIds.0' }] });
    const winner = winners[0]!;
    // the same order again answers the same
    const again = await reserve(winner);
    expect(again.status).toBe(200);
    expect((again.body as OrderCoupons).coupons).toMatchObject([{ id: couponId, state: 'reserved', orderId: winner }]);
    const reserved = (await request(marketing.url).get('/me/coupons').query({ state: 'reserved' }).set('Authorization', bearer(buyer.tokens)).expect(200)).body as { items: Coupon[] };
    expect(reserved.items.map((c) => c.id)).toEqual([couponId]);
    const usable = (await request(marketing.url).get('/me/coupons').query({ state: 'usable' }).set('Authorization', bearer(buyer.tokens)).expect(200)).body as { items: Coupon[] };
    expect(usable.items.map((c) => c.id)).not.toContain(couponId);

    // the order ends unpaid: the coupon is free for the next one
    await order.dapr.call(MarketingInternal.releaseCoupons, { params: { orderId: winner }, body: { reason: 'order cancelled' } });
    // a redeem that comes after its order's release is refused: the coupon is free again and must not also be spent
    const late = await order.dapr.call(MarketingInternal.redeemCoupons, { params: { orderId: winner } }).catch((e: unknown) => e);
    expect(late instanceof InvocationError && late.status).toBe(409);
    const next = randomUUID();
    expect((await reserve(next)).status).toBe(200);
    const used = await order.dapr.call(MarketingInternal.redeemCoupons, { params: { orderId: next } });
    expect(used.coupons).toMatchObject([{ id: couponId, state: 'used', orderId: next }]);
    // redeemed twice, counted once; a release after payment changes nothing
    await order.dapr.call(MarketingInternal.redeemCoupons, { params: { orderId: next } });
    const released = await order.dapr.call(MarketingInternal.releaseCoupons, { params: { orderId: next }, body: { reason: 'late' } });
    expect(released.coupons).toMatchObject([{ id: couponId, state: 'used' }]);
    const list = (await request(marketing.url).get(`/shops/${kiln.shopId}/coupons`).set('Authorization', bearer(kiln.tokens)).expect(200)).body as { items: CouponTemplate[] };
    expect(list.items.find((t) => t.id === template.id)).toMatchObject({ claimed: 1, used: 1 });
    expect((await reserve(randomUUID())).status).toBe(409);
  });

  it('when an order asks for a coupon that is not the buyer’s or not valid yet, then nothing is held and the field is named', async () => {
    const mine = await fx.accounts.register('owner');
    const theirs = await fx.accounts.register('other');
    const now = await shopTemplate({ name: fx.n('now'), minSpend: null, total: 5, perUserLimit: 1 });
    const later = await shopTemplate({ name: fx.n('later'), minSpend: null, total: 5, perUserLimit: 1, validity: { kind: 'fixed', startsAt: at(30 * hour), endsAt: at(60 * hour) } });
    const good = ((await claim(now.id, mine.tokens)).body as Coupon).id;
    const notYet = ((await claim(later.id, mine.tokens)).body as Coupon).id;
    const foreign = ((await claim(now.id, theirs.tokens)).body as Coupon).id;
    const orderId = randomUUID();
    const refused = await order.dapr.call(MarketingInternal.reserveCoupons, { body: { orderId, buyerUserId: mine.user.id, couponIds: [good, notYet, foreign] } }).catch((e: unknown) => e);
    expect(refused instanceof InvocationError && refused.status).toBe(409);
    const fields = ((refused as InvocationError).body as { errors: { field: string }[] }).errors.map((f) => f.field);
    expect(fields).toEqual(['couponIds.1', 'couponIds.2']);
    // all or none: the good one is not held either
    const held = await order.dapr.call(MarketingInternal.releaseCoupons, { params: { orderId }, body: { reason: 'probe' } });
    expect(held.coupons).toEqual([]);
    const usable = (await request(marketing.url).get('/me/coupons').query({ state: 'usable' }).set('Authorization', bearer(mine.tokens)).expect(200)).body as { items: Coupon[] };
    expect(usable.items.map((c) => c.id)).toContain(good);
    // only order may ask
    const byCatalog = await catalog.dapr.call(MarketingInternal.reserveCoupons, { body: { orderId, buyerUserId: mine.user.id, couponIds: [good] } }).catch((e: unknown) => e);
    expect(byCatalog instanceof InvocationError && byCatalog.status).toBe(403);
  });

  it('when a signed-in buyer quotes with coupons, then each is applied and explained and the totals are net of them; order gets the same', async () => {
    const cup = await fx.product(kiln, { white: 6800 });
    const white = cup.skus[0]!;
    const buyer = await fx.accounts.register('quoter');
    const tenOff = await shopTemplate({ name: fx.n('10 off 100'), total: 5, perUserLimit: 1 });
    const thirtyOff = await shopTemplate({ name: fx.n('30 off 200'), discount: { kind: 'fixed', amount: cny(3000) }, minSpend: cny(20000), total: 5, perUserLimit: 1 });
    const ten = ((await claim(tenOff.id, buyer.tokens)).body as Coupon).id;
    const thirty = ((await claim(thirtyOff.id, buyer.tokens)).body as Coupon).id;
    const lines = [{ skuId: white.id, quantity: 2 }];

    const q = (await request(marketing.url).post('/quote').set('Authorization', bearer(buyer.tokens)).send({ lines, couponIds: [ten] }).expect(200)).body as Quote;
    expect([q.subtotal.amount, q.discount.amount, q.total.amount - q.shipping.amount]).toEqual([13600, 1000, 12600]);
    expect(q.coupons).toMatchObject([{ couponId: ten, templateId: tenOff.id, shopId: kiln.shopId, fundedBy: 'shop', discount: cny(1000) }]);
    expect(q.shops[0]!.lines[0]!.discount).toEqual(cny(1000));

    const short = await request(marketing.url).post('/quote').set('Authorization', bearer(buyer.tokens)).send({ lines, couponIds: [thirty] });
    expect(short.status).toBe(422);
    expect(short.body).toMatchObject({ code: 'coupon_not_applicable', detail: expect.stringContaining('64.00 more'), errors: [{ field: 'couponIds.0', code: 'coupon_below_threshold' }] });
    const stacked = await request(marketing.url).post('/quote').set('Authorization', bearer(buyer.tokens)).send({ lines, couponIds: [ten, thirty] });
    expect(stacked.status).toBe(422);
    expect(stacked.body).toMatchObject({ errors: [{ field: 'couponIds.1', code: 'coupon_stacking' }] });
    // someone else's coupon is not theirs to use
    const stranger = await fx.accounts.register('stranger');
    expect((await request(marketing.url).post('/quote').set('Authorization', bearer(stranger.tokens)).send({ lines, couponIds: [ten] })).status).toBe(422);
    await request(marketing.url).post('/quote').send({ lines, couponIds: [ten] }).expect(401);
    // without coupons the quote is as before
    const plain = (await request(marketing.url).post('/quote').send({ lines }).expect(200)).body as Quote;
    expect([plain.discount.amount, plain.coupons]).toEqual([0, []]);

    const internal = await order.dapr.call(MarketingInternal.quoteForBuyer, { body: { lines, couponIds: [ten], buyer: { userId: buyer.user.id, companyId: null } } });
    expect(internal.total).toEqual(q.total);
  });

  it('when a shop runs full-reduction, then the quote takes its highest tier reached off before coupons, hints at the next tier, and stops when paused', async () => {
    const teapot = await fx.product(loom, { blue: 26_000 });
    const skuId = teapot.skus[0]!.id;
    const off = (threshold: number, amount: number) => ({ kind: 'amount-off', threshold: cny(threshold), off: cny(amount) });
    const activity = (over: Record<string, unknown> = {}) => ({ name: fx.n('30 off 300, 80 off 500'), tiers: [off(30_000, 3_000), off(50_000, 8_000)], scope: { kind: 'all' }, startsAt: at(-hour), endsAt: at(24 * hour), ...over });
    const create = (body: object, who = loom) => request(marketing.url).post(`/shops/${loom.shopId}/reductions`).set('Authorization', bearer(who.tokens)).set('Idempotency-Key', fx.key()).send(body);
    const cases: [Record<string, unknown>, string][] = [
      [{ tiers: [off(30_000, 30_000)] }, 'tiers.0.off.amount'],
      [{ tiers: [off(30_000, 3_000), off(20_000, 8_000)] }, 'tiers.1.threshold.amount'],
      [{ repeat: true }, 'repeat'],
      [{ endsAt: at(-2 * hour) }, 'endsAt'],
    ];
    for (const [over, field] of cases) {
      const res = await create(activity(over));
      expect({ field, status: res.status, fields: (res.body as { errors: { field: string }[] }).errors.map((e) => e.field) }).toEqual({ field, status: 400, fields: expect.arrayContaining([field]) });
    }
    expect((await create(activity(), kiln)).status).not.toBe(201);
    const made = await create(activity());
    expect(made.status).toBe(201);
    const reduction = made.body as Reduction;
    expect(reduction).toMatchObject({ shopId: loom.shopId, status: 'active', phase: 'running', repeat: false });
    const onProduct = (await request(marketing.url).get('/reductions').query({ shopId: loom.shopId, productId: teapot.id }).expect(200)).body as { items: Reduction[] };
    expect(onProduct.items.map((r) => r.id)).toContain(reduction.id);

    const quote = async (quantity: number, couponIds?: string[], who?: TokenPair) => {
      const req = request(marketing.url).post('/quote');
      if (who) req.set('Authorization', bearer(who));
      return (await req.send({ lines: [{ skuId, quantity }], ...(couponIds ? { couponIds } : {}) }).expect(200)).body as Quote;
    };
    // one teapot, 260.00: nothing off yet; 40.00 more would save 30.00
    const one = await quote(1);
    expect([one.discount.amount, one.reductions, one.shops[0]!.reductionHint]).toEqual([0, [], { reductionId: reduction.id, name: reduction.name, shortBy: cny(4_000), saves: cny(3_000) }]);
    // two, 520.00: the second tier, 80.00 off, explained; nothing higher to reach
    const two = await quote(2);
    expect(two.reductions).toEqual([{ reductionId: reduction.id, shopId: loom.shopId, name: reduction.name, discount: cny(8_000), explanation: 'CNY 30.00 off from CNY 300.00, CNY 80.00 off from CNY 500.00 on CNY 520.00: CNY 80.00' }]);
    expect([two.discount.amount, two.shops[0]!.reductionHint]).toEqual([8_000, null]);
    // a coupon of 满 450 counts what is left after the reduction (440.00): it does not fit; 满 400 does
    const buyer = await fx.accounts.register('reduced');
    const high = ((await claim((await shopTemplate({ minSpend: cny(45_000), total: 5, perUserLimit: 1 }, loom)).id, buyer.tokens)).body as Coupon).id;
    const low = ((await claim((await shopTemplate({ minSpend: cny(40_000), total: 5, perUserLimit: 1 }, loom)).id, buyer.tokens)).body as Coupon).id;
    const refused = await request(marketing.url).post('/quote').set('Authorization', bearer(buyer.tokens)).send({ lines: [{ skuId, quantity: 2 }], couponIds: [high] });
    expect([refused.status, refused.body.errors?.[0]?.code]).toEqual([422, 'coupon_below_threshold']);
    const both = await quote(2, [low], buyer.tokens);
    expect([both.discount.amount, both.coupons[0]!.discount.amount, both.total.amount]).toEqual([9_000, 1_000, 52_000 - 9_000 + both.shipping.amount]);

    await request(marketing.url).put(`/reductions/${reduction.id}/status`).set('Authorization', bearer(kiln.tokens)).send({ status: 'paused' }).expect(404);
    await request(marketing.url).put(`/reductions/${reduction.id}/status`).set('Authorization', bearer(loom.tokens)).send({ status: 'paused' }).expect(200);
    expect((await quote(2)).reductions).toEqual([]);
  });
});
