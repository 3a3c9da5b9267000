import request from 'supertest';
import type { Product, ProductPage, ShopProductPage, TokenPair } from '@emporium/contracts';
import { bearer, identityClient, startTestPlatform, type TestApp, type TestPeer, type TestPlatform, uniqueSuffix } from '@emporium/devkit/testing';
import { catalogService } from '../src/app';

/** catalog with identity and shop running beside it, each with its own sidecar. */
describe('catalog', () => {
  let platform: TestPlatform;
  let identity: TestPeer;
  let shop: TestPeer;
  let catalog: TestApp;
  const run = uniqueSuffix();
  const password = 'a long enough password';
  const email = (who: string) => accounts().email(who);
  const n = (s: string) => ({ 'zh-CN': `${s}（中）`, en: s });

  beforeAll(async () => {
    platform = await startTestPlatform({ profile: 'services' });
    [identity, shop, catalog] = await Promise.all([
      platform.startPeer('identity', { env: { SCRYPT_COST: '1024', LOGIN_MAX_FAILURES_PER_ADDRESS: '100000' } }),
      platform.startPeer('shop'),
      platform.startApp(catalogService, { appId: 'catalog', env: { REDIS_URL: 'redis://127.0.0.1:6379' } }),
    ]);
  });
  afterAll(async () => {
    await platform?.stop();
  });

  const id = () => request(identity.url);
  const sh = () => request(shop.url);
  const cat = () => request(catalog.url);
  let keyN = 0;
  const key = () => `k${keyN++}-${run}`;

  const accounts = () => identityClient(identity, { run, password, databaseUrl: platform.endpoints.postgres });
  const register = (who: string) => accounts().register(who);
  const refreshUntilRole = (tokens: TokenPair, role: { role: 'merchant_owner' | 'company_admin' | 'company_buyer'; shopId?: string; companyId?: string }) =>
    accounts().refreshUntilRole(tokens, role);
  async function eventually<T>(what: string, fn: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
    for (let i = 0; i < 100; i++) {
      const v = await fn();
      if (ok(v)) return v;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`${what} never happened`);
  }
  async function merchantWithShop(who: string, admin: TokenPair): Promise<{ tokens: TokenPair; shopId: string }> {
    const merchant = await register(who);
    const applied = await sh().post('/shops').set('Authorization', bearer(merchant.tokens)).set('Idempotency-Key', key()).send({
      name: n(`${who} shop`),
      description: n('tea'),
      contactEmail: email(who),
      contactPhone: '+8613800138000',
      settlementAccount: { accountName: who, bankName: 'ICBC', accountNumber: '6222021234567890' },
    });
    const shopId = applied.body.id as string;
    await sh().post(`/admin/shops/${shopId}/decision`).set('Authorization', bearer(admin)).set('Idempotency-Key', key()).send({ decision: 'approve' }).expect(200);
    const tokens = await refreshUntilRole(merchant.tokens, { role: 'merchant_owner', shopId });
    return { tokens, shopId };
  }
  const sku = (colour: string, size: string, amount: number) => ({
    specValues: { colour, size },
    price: { amount, currency: 'CNY' },
    originalPrice: { amount: amount + 2000, currency: 'CNY' },
    barcode: `69${run.replace(/[^0-9a-z]/g, '')}${colour}${size}`.slice(0, 32),
    weightGrams: 250,
  });

  it('when a merchant lists a 2x3 product with tiers and company prices, then shoppers, buyers and strangers each see what they should', async () => {
    const admin = await accounts().platformAdmin();

    // categories and a spec template, by admins only
    const shopper = await register('shopper');
    expect((await cat().post('/admin/categories').set('Authorization', bearer(shopper.tokens)).set('Idempotency-Key', key()).send({ slug: 'x', name: n('x') })).status).toBe(403);
    const apparel = (await cat().post('/admin/categories').set('Authorization', bearer(admin)).set('Idempotency-Key', key()).send({ slug: `apparel-${run}`, name: n('Apparel') }).expect(201)).body;
    const tees = (await cat().post('/admin/categories').set('Authorization', bearer(admin)).set('Idempotency-Key', key()).send({ parentId: apparel.id, slug: 'tees', name: n('T-shirts') }).expect(201)).body;
    expect(tees.path).toEqual([apparel.id, tees.id]);
    const colours = ['red', 'blue', 'green'].map((k) => ({ key: k, name: n(k) }));
    const sizes = ['s', 'm', 'l'].map((k) => ({ key: k, name: n(k) }));
    await cat().put(`/admin/categories/${apparel.id}/spec-template`).set('Authorization', bearer(admin))
      .send({ specs: [{ key: 'colour', name: n('Colour'), values: colours }, { key: 'size', name: n('Size'), values: sizes }] }).expect(200);
    expect((await cat().get(`/categories/${tees.id}/spec-template`)).body.specs).toHaveLength(2); // inherited

    const { tokens: merchant, shopId } = await merchantWithShop('merchant', admin);
    await eventually('catalog to hear of the shop', () => catalog.service.deps.db.query<{ status: string }>('SELECT status FROM shop_status WHERE shop_id = :shopId', { shopId }), (rows) => rows[0]?.status === 'approved');

    const body = {
      categoryId: tees.id,
      name: n('Linen tee'),
      description: n('Soft linen'),
      brand: 'Emporium Basics',
      attributes: [{ name: n('Material'), value: n('Linen') }],
      specs: [{ key: 'colour', values: ['red', 'blue'] }, { key: 'size', values: ['s', 'm', 'l'] }],
      skus: ['red', 'blue'].flatMap((c) => ['s', 'm', 'l'].map((s, i) => sku(c, s, 9900 + i * 100))),
    };
    // the matrix must be complete, and the merchant cannot choose the shop or status
    const incomplete = await cat().post(`/shops/${shopId}/products`).set('Authorization', bearer(merchant)).set('Idempotency-Key', key()).send({ ...body, skus: body.skus.slice(1) });
    expect(incomplete.status).toBe(400);
    expect(incomplete.body.errors).toContainEqual(expect.objectContaining({ field: 'skus', code: 'missing_combination' }));
    const sneaky = await cat().post(`/shops/${shopId}/products`).set('Authorization', bearer(merchant)).set('Idempotency-Key', key()).send({ ...body, shopId, status: 'published' });
    expect(sneaky.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['shopId', 'status']);
    const created = await cat().post(`/shops/${shopId}/products`).set('Authorization', bearer(merchant)).set('Idempotency-Key', key()).send(body);
    expect(created.status).toBe(201);
    const product = created.body as Product;
    expect(product.skus).toHaveLength(6);
    expect(product.status).toBe('draft');
    expect(product.minPrice).toEqual({ amount: 9900, currency: 'CNY' });
    expect((await cat().get(`/products/${product.id}`)).status).toBe(404); // drafts are not for sale

    // another merchant cannot see or touch it
    const rival = await merchantWithShop('rival', admin);
    expect((await cat().get(`/shops/${shopId}/products/${product.id}`).set('Authorization', bearer(rival.tokens))).status).toBe(404);
    expect((await cat().post(`/shops/${rival.shopId}/products/${product.id}/publish`).set('Authorization', bearer(rival.tokens))).status).toBe(404);
    // the seller portal's list has the draft, for its own shop only
    const own = (await cat().get(`/shops/${shopId}/products`).set('Authorization', bearer(merchant)).expect(200)).body as ShopProductPage;
    expect(own.items).toEqual([expect.objectContaining({ id: product.id, status: 'draft', skuCount: 6 })]);
    expect((await cat().get(`/shops/${shopId}/products`).set('Authorization', bearer(rival.tokens))).status).toBe(404);
    expect((await cat().get(`/shops/${shopId}/products?status=gone`).set('Authorization', bearer(merchant))).body.errors).toEqual([expect.objectContaining({ field: 'status' })]);

    // tiers, then publish
    const redM = product.skus.find((s) => s.specValues.colour === 'red' && s.specValues.size === 'm')!;
    const badTiers = await cat().put(`/shops/${shopId}/products/${product.id}/skus/${redM.id}/tiers`).set('Authorization', bearer(merchant))
      .send({ tiers: [{ minQuantity: 10, price: { amount: 9000, currency: 'CNY' } }, { minQuantity: 5, price: { amount: 9500, currency: 'CNY' } }] });
    expect(badTiers.status).toBe(400);
    await cat().put(`/shops/${shopId}/products/${product.id}/skus/${redM.id}/tiers`).set('Authorization', bearer(merchant))
      .send({ tiers: [{ minQuantity: 10, price: { amount: 9500, currency: 'CNY' } }, { minQuantity: 50, price: { amount: 9000, currency: 'CNY' } }] }).expect(200);
    await cat().post(`/shops/${shopId}/products/${product.id}/publish`).set('Authorization', bearer(merchant)).expect(200);
    expect((await cat().get(`/shops/${shopId}/products?status=published`).set('Authorization', bearer(merchant))).body.items.map((p: { id: string }) => p.id)).toEqual([product.id]);
    expect((await cat().get(`/shops/${shopId}/products?status=draft`).set('Authorization', bearer(merchant))).body.items).toEqual([]);

    // a company buyer sees the company's price; a shopper and a merchant of another shop do not
    const boss = await register('boss');
    const company = (await id().post('/companies').set('Authorization', bearer(boss.tokens)).set('Idempotency-Key', key())
      .send({ name: 'Acme', taxId: `91${Date.now()}`.slice(0, 18), contactEmail: email('boss'), address: '1 Century Avenue, Shanghai' }).expect(201)).body;
    await id().post(`/admin/companies/${company.id}/decision`).set('Authorization', bearer(admin)).set('Idempotency-Key', key()).send({ decision: 'approve' }).expect(200);
    const bossTokens = await refreshUntilRole(boss.tokens, { role: 'company_admin', companyId: company.id });
    const invitation = (await id().post(`/companies/${company.id}/invitations`).set('Authorization', bearer(bossTokens)).set('Idempotency-Key', key())
      .send({ email: email('buyer'), spendingLimit: { amount: 1_000_000, currency: 'CNY' } }).expect(201)).body;
    const buyer = await register('buyer');
    await id().post(`/me/invitations/${invitation.id}/accept`).set('Authorization', bearer(buyer.tokens)).set('Idempotency-Key', key()).expect(201);
    const buyerTokens = await refreshUntilRole(buyer.tokens, { role: 'company_buyer', companyId: company.id });
    await cat().put(`/shops/${shopId}/products/${product.id}/company-prices/${company.id}`).set('Authorization', bearer(merchant))
      .send({ prices: [{ skuId: redM.id, price: { amount: 8800, currency: 'CNY' } }] }).expect(200);

    const asShopper = (await cat().get(`/products/${product.id}`).expect(200)).body as Product;
    const asBuyer = (await cat().get(`/products/${product.id}`).set('Authorization', bearer(buyerTokens)).expect(200)).body as Product;
    const asRival = (await cat().get(`/products/${product.id}`).set('Authorization', bearer(rival.tokens)).expect(200)).body as Product;
    const red = (p: Product) => p.skus.find((s) => s.id === redM.id)!;
    expect(red(asShopper).companyPrice).toBeNull();
    expect(red(asShopper).tiers).toEqual([{ minQuantity: 10, price: { amount: 9500, currency: 'CNY' } }, { minQuantity: 50, price: { amount: 9000, currency: 'CNY' } }]);
    expect(red(asBuyer).companyPrice).toEqual({ amount: 8800, currency: 'CNY' });
    expect(red(asRival).companyPrice).toBeNull();
    expect(asShopper.specs.map((s) => s.values.map((v) => v.key))).toEqual([['red', 'blue'], ['s', 'm', 'l']]);

    // browse: the parent category includes the child, price filters and cursor pages work
    const page = (await cat().get('/products').query({ category: apparel.id, sort: 'price_asc', limit: 1 }).expect(200)).body as ProductPage;
    expect(page.items.map((i) => i.id)).toEqual([product.id]);
    expect((await cat().get('/products').query({ category: apparel.id, minPrice: 20000 })).body.items).toEqual([]);
    expect((await cat().get('/products').query({ cursor: 'garbage' })).body.errors[0].field).toBe('cursor');
    expect((await cat().get('/products').query({ sort: 'cheapest' })).status).toBe(400);

    // editing the matrix keeps the SKUs that still exist
    const grown = await cat().put(`/shops/${shopId}/products/${product.id}`).set('Authorization', bearer(merchant)).send({
      ...body,
      specs: [{ key: 'colour', values: ['red', 'green'] }, { key: 'size', values: ['s', 'm', 'l'] }],
      skus: ['red', 'green'].flatMap((c) => ['s', 'm', 'l'].map((s, i) => sku(c, s, 9900 + i * 100))),
    });
    expect(grown.status).toBe(200);
    expect((grown.body as Product).skus.find((s) => s.specValues.colour === 'red' && s.specValues.size === 'm')!.id).toBe(redM.id);
    expect((grown.body as Product).skus.some((s) => s.specValues.colour === 'blue')).toBe(false);
    // the cache was dropped: shoppers see the new matrix at once
    expect(((await cat().get(`/products/${product.id}`)).body as Product).skus.some((s) => s.specValues.colour === 'green')).toBe(true);

    // images go through the media binding and come back
    const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
    const notPng = await cat().post(`/shops/${shopId}/products/${product.id}/images`).set('Authorization', bearer(merchant)).set('Idempotency-Key', key())
      .send({ contentType: 'image/png', dataBase64: Buffer.from('hello world').toString('base64') });
    expect(notPng.status).toBe(400);
    const withImage = await cat().post(`/shops/${shopId}/products/${product.id}/images`).set('Authorization', bearer(merchant)).set('Idempotency-Key', key())
      .send({ contentType: 'image/png', dataBase64: png.toString('base64') });
    expect(withImage.status).toBe(201);
    const image = await cat().get((withImage.body as Product).images[0]!);
    expect(image.status).toBe(200);
    expect(image.headers['content-type']).toBe('image/png');
    expect(Buffer.compare(image.body as Buffer, png)).toBe(0);

    // the cache answers repeated reads, counted as metrics
    await cat().get(`/products/${product.id}`).expect(200);
    const metrics = (await cat().get('/metrics')).text;
    expect(metrics).toMatch(/catalog_product_cache_lookups_total\{[^}]*result="hit"[^}]*\} [1-9]/);

    // unpublishing takes it off sale (announced with its snapshot); publishing again brings it back
    expect((await cat().post(`/shops/${shopId}/products/${product.id}/unpublish`).set('Authorization', bearer(merchant))).body.status).toBe('unpublished');
    expect((await cat().get(`/products/${product.id}`)).status).toBe(404);
    expect((await cat().get('/products').query({ category: apparel.id })).body.items).toEqual([]);
    await cat().post(`/shops/${shopId}/products/${product.id}/publish`).set('Authorization', bearer(merchant)).expect(200);
    expect((await cat().get(`/products/${product.id}`)).status).toBe(200);

    // suspending the shop takes the product off the storefront
    await sh().post(`/admin/shops/${shopId}/suspend`).set('Authorization', bearer(admin)).set('Idempotency-Key', key()).send({ reason: 'audit' }).expect(200);
    await eventually('product to disappear', async () => (await cat().get(`/products/${product.id}`)).status, (s) => s === 404);
    expect((await cat().get('/products').query({ category: apparel.id })).body.items).toEqual([]);

    // product events left through the outbox with the full snapshot
    const published = await eventually('events to be published', () => catalog.service.deps.db.query<{ topic: string; body: { product: Product } }>("SELECT topic, body FROM outbox WHERE published_at IS NOT NULL AND (body->'product'->>'id') = :id ORDER BY seq", { id: product.id }), (rows) => rows.length >= 2);
    expect(published[0]!.topic).toBe('product.published');
    expect(published[0]!.body.product.skus).toHaveLength(6);
    const unpublished = await eventually('the unpublish event', () => catalog.service.deps.db.query<{ body: { product: Product } }>("SELECT body FROM outbox WHERE published_at IS NOT NULL AND topic = 'product.unpublished' AND (body->'product'->>'id') = :id", { id: product.id }), (rows) => rows.length === 1);
    expect(unpublished[0]!.body.product.status).toBe('unpublished');
  });
});
