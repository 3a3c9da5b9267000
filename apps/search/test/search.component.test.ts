import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { IndexRebuild, Product, SearchResult, SuggestResult, TokenPair } from '@emporium/contracts';
import { eventually } from '@emporium/devkit';
import { bearer, marketplaceFixtures, startTestPlatform, uniqueSuffix, type TestApp, type TestPeer, type TestPlatform } from '@emporium/devkit/testing';
import { searchService } from '../src/app';
import { SearchRepository, type IndexDocument } from '../src/data/search-repository';
import { Analyzer } from '../src/domain/analyzer';
import { ElasticsearchEngine, type EsDocument } from '../src/engines/elasticsearch';
import { mirrorTask } from '../src/engines/mirror';
import { clientAnswering } from './elasticsearch-client';

/**
 * search with its own sidecar against real catalog, inventory and shop
 * (their events come through the broker); order.paid is delivered to it as
 * its sidecar would, twice, to show it counts once.
 */
describe('search', () => {
  let platform: TestPlatform;
  let identity: TestPeer;
  let shop: TestPeer;
  let catalog: TestPeer;
  let inventory: TestPeer;
  let search: TestApp;
  const run = uniqueSuffix();
  let fx: ReturnType<typeof marketplaceFixtures>;
  let kiln: { tokens: TokenPair; shopId: string };
  let loom: { tokens: TokenPair; shopId: string };
  let teapot: Product;
  let cup: Product;
  let scarf: Product;
  // words unique to this run, so other tests' documents never count
  const tag = `zq${run.replace(/[^a-z0-9]/g, '').slice(-6)}`;

  const find = async (query: Record<string, string | string[]>) => {
    const res = await request(search.url).get('/search').query(query);
    expect(res.status).toBe(200);
    return res.body as SearchResult;
  };
  const ids = (r: SearchResult) => r.items.map((h) => h.productId).sort();

  beforeAll(async () => {
    platform = await startTestPlatform({ profile: 'services' });
    [identity, shop, catalog, inventory, search] = await Promise.all([
      platform.startPeer('identity', { env: { SCRYPT_COST: '1024', LOGIN_MAX_FAILURES_PER_ADDRESS: '100000' } }),
      platform.startPeer('shop'),
      platform.startPeer('catalog'),
      platform.startPeer('inventory'),
      platform.startApp(searchService, { appId: 'search', env: { SEARCH_SYNONYM_REFRESH_MS: '0', SEARCH_ANSWER_CACHE_MS: '0' } }), // each step reads the index as it is now
    ]);
    fx = marketplaceFixtures({ identity, shop, catalog }, { run, password: 'a long enough password', databaseUrl: platform.endpoints.postgres });
    [kiln, loom] = await Promise.all([fx.merchant('kiln'), fx.merchant('loom')]);
    teapot = await fx.product(kiln, { white: 12800, blue: 13800 }, { name: { 'zh-CN': `景德镇青瓷茶壶 ${tag}`, en: `Jingdezhen celadon teapot ${tag}` }, brand: 'Longquan', description: { 'zh-CN': '手工拉坯，釉色温润', en: 'Hand thrown, soft glaze' } });
    cup = await fx.product(kiln, { white: 3900 }, { name: { 'zh-CN': `白瓷马克杯 ${tag}`, en: `White porcelain mug ${tag}` }, description: { 'zh-CN': '适合泡茶', en: 'Good for tea' } });
    scarf = await fx.product(loom, { red: 25900, blue: 25900 }, { name: { 'zh-CN': `羊毛围巾 ${tag}`, en: `Wool scarf ${tag}` }, brand: 'Loom', description: { 'zh-CN': '配青瓷色外套', en: 'Goes with a celadon coat' } });
    await request(inventory.url).post(`/shops/${kiln.shopId}/stock/${teapot.skus[0]!.id}/receipts`).set('Authorization', bearer(kiln.tokens)).set('Idempotency-Key', fx.key()).send({ quantity: 3 }).expect(200);
    await eventually('all three indexed', () => find({ q: tag }), (r) => r.total === 3, 20_000);
  });
  afterAll(async () => {
    await platform?.stop();
  });

  it('when products are published, then Chinese words, pinyin, initials, English, traditional characters and typos find them', async () => {
    expect(ids(await find({ q: `青瓷 ${tag}` }))).toEqual([teapot.id, scarf.id].sort());
    expect(ids(await find({ q: `茶壶 ${tag}` }))).toEqual([teapot.id]);
    expect(ids(await find({ q: `茶壺 ${tag}` }))).toEqual([teapot.id]);
    // pinyin spells names, brands and categories (not descriptions)
    expect(ids(await find({ q: `qingci ${tag}` }))).toEqual([teapot.id]);
    expect(ids(await find({ q: `qcch ${tag}` }))).toEqual([teapot.id]);
    expect(ids(await find({ q: `Celadon ${tag}` }))).toEqual([teapot.id, scarf.id].sort());
    expect(ids(await find({ q: `porcelian ${tag}` }))).toEqual([cup.id]);
    // the brand and the category find products too
    expect(ids(await find({ q: `longquan ${tag}` }))).toEqual([teapot.id]);
  });

  it('when a word is in one name and another description, then the name ranks first and its pieces are highlighted', async () => {
    const r = await find({ q: `青瓷 ${tag}` });
    expect(r.items.map((h) => h.productId)).toEqual([teapot.id, scarf.id]);
    expect(r.items[0]!.highlight['zh-CN'].filter((s) => s.hit).map((s) => s.text)).toContain('青瓷');
    const pinyin = await find({ q: `qingci ${tag}` });
    expect(pinyin.items[0]!.highlight['zh-CN'].filter((s) => s.hit).map((s) => s.text)).toContain('青瓷');
  });

  it('when a search is filtered, then each facet counts the hits with the other filters and the counts add up', async () => {
    const all = await find({ q: tag });
    expect(all.facets.shops.map((s) => [s.shopId, s.count]).sort()).toEqual([[kiln.shopId, 2], [loom.shopId, 1]].sort());
    expect(all.facets.shops.reduce((n, s) => n + s.count, 0)).toBe(all.total);
    expect(all.facets.priceRanges.reduce((n, s) => n + s.count, 0)).toBe(all.total);
    expect(all.facets.inStock).toBe(1);
    const colours = all.facets.specs.find((s) => s.key === 'colour')!;
    expect(Object.fromEntries(colours.values.map((v) => [v.value, v.count]))).toEqual({ white: 2, blue: 2, red: 1 });
    expect(all.facets.categories.find((c) => c.categoryId === teapot.categoryId)?.count).toBe(3);

    const kilnOnly = await find({ q: tag, shop: kiln.shopId });
    expect(kilnOnly.total).toBe(2);
    // the shop facet ignores its own filter; the colour facet follows it
    expect(kilnOnly.facets.shops.reduce((n, s) => n + s.count, 0)).toBe(3);
    expect(Object.fromEntries(kilnOnly.facets.specs.find((s) => s.key === 'colour')!.values.map((v) => [v.value, v.count]))).toEqual({ white: 2, blue: 1 });

    expect(ids(await find({ q: tag, spec: ['colour:red', 'colour:blue'] }))).toEqual([teapot.id, scarf.id].sort());
    expect(ids(await find({ q: tag, spec: 'colour:blue', inStock: 'true' }))).toEqual([teapot.id]);
    expect(ids(await find({ q: tag, minPrice: '10000', maxPrice: '20000' }))).toEqual([teapot.id]);
  });

  it('when sorted, then pages follow the order without repeats and a foreign cursor is refused', async () => {
    const first = await find({ q: tag, sort: 'price_asc', limit: '2' });
    expect(first.items.map((h) => h.productId)).toEqual([cup.id, teapot.id]);
    const second = await find({ q: tag, sort: 'price_asc', limit: '2', cursor: first.nextCursor! });
    expect([second.items.map((h) => h.productId), second.nextCursor]).toEqual([[scarf.id], null]);
    expect((await find({ q: tag, sort: 'price_desc' })).items.map((h) => h.productId)).toEqual([scarf.id, teapot.id, cup.id]);
    // by relevance and by newest too: the pages together hold each hit once
    for (const sort of ['relevance', 'newest', 'sales']) {
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await find({ q: tag, sort, limit: '1', ...(cursor ? { cursor } : {}) });
        seen.push(...page.items.map((h) => h.productId));
        cursor = page.nextCursor ?? undefined;
      } while (cursor && seen.length < 10);
      expect([sort, seen.sort()]).toEqual([sort, [teapot.id, cup.id, scarf.id].sort()]);
    }
    const refused = await request(search.url).get('/search').query({ q: tag, sort: 'newest', cursor: first.nextCursor! });
    expect([refused.status, refused.body.errors?.[0]?.field]).toEqual([400, 'cursor']);
    const bad = await request(search.url).get('/search').query({ q: tag, spec: 'colour', limit: '500' });
    expect([bad.status, (bad.body.errors as { field: string }[]).map((e) => e.field).sort()]).toEqual([400, ['limit', 'spec']]);
  });

  it('when a shopper types, then suggestions complete the last word', async () => {
    const res = await request(search.url).get('/search/suggestions').query({ q: `${tag} qing` }).expect(200);
    expect((res.body as SuggestResult).items.map((s) => s.productId)).toEqual([teapot.id]);
    const chinese = await request(search.url).get('/search/suggestions').query({ q: `${tag} 羊` }).expect(200);
    expect((chinese.body as SuggestResult).items.map((s) => s.productId)).toEqual([scarf.id]);
  });

  it('when an order is paid, then sales count once however often the event comes, and sort by sales', async () => {
    const event = {
      id: `paid-${run}`, specversion: '1.0', source: 'order', type: 'emporium.order.paid.v1', datacontenttype: 'application/json',
      data: {
        version: 1, occurredAt: new Date().toISOString(), orderId: '7f0c8a10-1111-4b2c-9d3e-000000000001', buyerUserId: '7f0c8a10-1111-4b2c-9d3e-000000000002', total: { amount: 25900, currency: 'CNY' },
        subOrders: [{ subOrderId: '7f0c8a10-1111-4b2c-9d3e-000000000003', shopId: loom.shopId, total: { amount: 25900, currency: 'CNY' }, lines: [{ productId: scarf.id, skuId: scarf.skus[0]!.id, quantity: 4, paid: { amount: 25900, currency: 'CNY' } }] }],
      },
    };
    for (let i = 0; i < 2; i++) expect((await request(search.url).post('/dapr/events/order.paid').set('content-type', 'application/cloudevents+json').send(event)).body).toEqual({ status: 'SUCCESS' });
    const bySales = await find({ q: tag, sort: 'sales' });
    expect(bySales.items.map((h) => [h.productId, h.sales])[0]).toEqual([scarf.id, 4]);
  });

  it('when a product is unpublished or its shop suspended, then it leaves search, and comes back when the shop resumes', async () => {
    await request(catalog.url).post(`/shops/${kiln.shopId}/products/${cup.id}/unpublish`).set('Authorization', bearer(kiln.tokens)).expect(200);
    await eventually('the cup gone', () => find({ q: tag }), (r) => !ids(r).includes(cup.id), 20_000);
    const admin = await fx.platformAdmin();
    await request(shop.url).post(`/admin/shops/${loom.shopId}/suspend`).set('Authorization', bearer(admin)).set('Idempotency-Key', fx.key()).send({ reason: 'counterfeit' }).expect(200);
    await eventually('the scarf gone', () => find({ q: tag }), (r) => ids(r).join() === teapot.id, 20_000);
    await request(shop.url).post(`/admin/shops/${loom.shopId}/resume`).set('Authorization', bearer(admin)).set('Idempotency-Key', fx.key()).expect(200);
    await eventually('the scarf back', () => find({ q: tag }), (r) => ids(r).includes(scarf.id), 20_000);
  });

  it('when stock runs out, then the in-stock filter drops the product', async () => {
    const sku = teapot.skus[0]!.id;
    await request(inventory.url).post(`/shops/${kiln.shopId}/stock/${sku}/adjustments`).set('Authorization', bearer(kiln.tokens)).set('Idempotency-Key', fx.key()).send({ delta: -3, reason: 'broken in the store room' }).expect(200);
    await eventually('the teapot out of stock', () => find({ q: tag, inStock: 'true' }), (r) => r.total === 0, 20_000);
  });

  it('when a product is indexed while its first stock event is applied, then it is in stock whichever commits first', async () => {
    // the two writes in two transactions on search's own database, each left open until the other has
    // run as far as it can: without the product lock the document ended out of stock for good (CI, e2e)
    const db = search.service.deps.db;
    const repo = new SearchRepository(db);
    const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
    const inStockAfter = async (first: 'index' | 'stock') => {
      const productId = randomUUID();
      const skuId = randomUUID();
      const now = new Date();
      const doc: IndexDocument = {
        productId,
        shopId: kiln.shopId,
        categoryId: teapot.categoryId,
        categoryPath: [teapot.categoryId],
        name: { 'zh-CN': `锁 ${tag}`, en: `lock ${tag}` },
        brand: 'Longquan',
        image: null,
        currency: 'CNY',
        minPrice: 100,
        maxPrice: 100,
        specValues: [],
        skuIds: [skuId],
        lexemes: '',
        rankLexemes: '',
        version: now,
        publishedAt: now,
      };
      const write: Record<'index' | 'stock', (t: Parameters<typeof repo.upsert>[1]) => Promise<unknown>> = {
        index: (t) => repo.upsert(doc, t),
        stock: (t) => repo.setSkuStock({ skuId, productId, inStock: true, changedAt: now }, t),
      };
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      let wrote!: () => void;
      const written = new Promise<void>((r) => (wrote = r));
      const one = db.transaction(async (t) => {
        await write[first](t);
        wrote();
        await held;
      });
      await written;
      const other = db.transaction((t) => write[first === 'index' ? 'stock' : 'index'](t));
      await pause(300); // the second write waits for the first's transaction (or, unlocked, goes ahead)
      release();
      await Promise.all([one, other]);
      const [row] = await db.select<{ in_stock: boolean }>('SELECT in_stock FROM documents WHERE product_id = :productId', { productId });
      await db.run('DELETE FROM documents WHERE product_id = :productId', { productId });
      await db.run('DELETE FROM sku_stock WHERE product_id = :productId', { productId });
      return row?.inStock;
    };
    expect([await inStockAfter('index'), await inStockAfter('stock')]).toEqual([true, true]);
  });

  it('when an admin edits synonyms, then queries use them at once; and a rebuild brings the index back from catalog', async () => {
    const admin = await fx.platformAdmin();
    expect((await request(search.url).put('/admin/search/synonyms').send({ sets: [] })).status).toBe(401);
    await request(search.url).put('/admin/search/synonyms').set('Authorization', bearer(admin)).send({ sets: [['茶壶', `kettle${tag}`]] }).expect(200);
    expect(ids(await find({ q: `kettle${tag}` }))).toEqual([teapot.id]);

    // an index that lost a document and kept one catalog took off sale
    const db = search.service.deps.db;
    await db.query('DELETE FROM documents WHERE product_id = :id', { id: teapot.id });
    await db.query('UPDATE documents SET published = true WHERE product_id = :id', { id: cup.id });
    expect(ids(await find({ q: tag }))).toEqual([cup.id, scarf.id].sort());

    const started = await request(search.url).post('/admin/search/rebuild').set('Authorization', bearer(admin)).expect(202);
    expect(['running', 'done']).toContain(started.body.status);
    const done = await eventually('the rebuild done', async () => (await request(search.url).get('/admin/search/rebuild').set('Authorization', bearer(admin))).body as IndexRebuild, (r) => r.status !== 'running', 30_000);
    expect(done).toMatchObject({ status: 'done', error: null });
    expect(done.indexed).toBe(done.total);
    expect(done.removed).toBeGreaterThanOrEqual(1);
    const after = await find({ q: tag });
    expect(ids(after)).toEqual([teapot.id, scarf.id].sort());
    // stock came back from inventory with it: the teapot's units were all taken away above
    expect(after.items.find((h) => h.productId === teapot.id)?.inStock).toBe(false);
  });

  it('when documents change, then the Elasticsearch mirror sends each change once, under a newer version than the last', async () => {
    // The record's side of the mirror on real PostgreSQL; the cluster's side answers each bulk item
    // as written (what Elasticsearch asks and answers is checked in src/engines/elasticsearch.test.ts).
    const sent: { id: string; version: number; doc: EsDocument }[] = [];
    const client = clientAnswering(({ path, body }) => {
      if (path !== '/_bulk') return { status: 200, body: { acknowledged: true } };
      const lines = body as Record<string, unknown>[];
      const items = [];
      for (let i = 0; i < lines.length; i += 2) {
        const op = (lines[i] as { index: { _index: string; _id: string; version: number } }).index;
        sent.push({ id: op._id, version: op.version, doc: lines[i + 1] as unknown as EsDocument });
        items.push({ index: { _index: op._index, _id: op._id, _version: op.version, result: 'created', status: 201 } });
      }
      return { status: 200, body: { took: 1, errors: false, items } };
    });
    const repo = new SearchRepository(search.service.deps.db);
    const mirror = mirrorTask({ repo, engine: new ElasticsearchEngine(() => Promise.resolve(client), { index: 'emporium-products', replicas: 0 }), analyzer: new Analyzer({ dictionaryMinFrequency: 20 }), logger: search.service.deps.logger, batch: 50, everyMs: 1_000 });
    const of = (id: string) => sent.filter((x) => x.id === id);
    const pending = async (id: string) => (await repo.pendingMirror(100_000)).some((r) => r.productId === id);

    await mirror.drain();
    const [first] = of(teapot.id);
    expect(of(teapot.id)).toHaveLength(1);
    expect(first!.doc).toMatchObject({ published: true, shop_suspended: false, in_stock: false, min_price: 12800, max_price: 13800 });
    expect(first!.doc.terms_a).toEqual(expect.arrayContaining([tag, 'celadon', '青瓷', '茶壶']));
    expect(first!.doc.name_pinyin).toEqual(expect.arrayContaining(['qingci', 'qc', 'chahu']));
    expect(first!.doc.terms_b).toContain('longquan');
    expect(of(cup.id)[0]!.doc.published).toBe(false);
    expect(await pending(teapot.id)).toBe(false);

    // sent once: a second pass has nothing of it to send
    sent.length = 0;
    await mirror.drain();
    expect(of(teapot.id)).toHaveLength(0);

    // stock back: the document changes, and goes again under a higher version
    await request(inventory.url).post(`/shops/${kiln.shopId}/stock/${teapot.skus[0]!.id}/receipts`).set('Authorization', bearer(kiln.tokens)).set('Idempotency-Key', fx.key()).send({ quantity: 2 }).expect(200);
    await eventually('the teapot changed', () => pending(teapot.id), (p) => p, 20_000);
    await mirror.drain();
    expect(of(teapot.id).map((x) => x.doc.in_stock)).toEqual([true]);
    expect(of(teapot.id)[0]!.version).toBeGreaterThan(first!.version);

    // a shop suspended: its documents go again, hidden
    const admin = await fx.platformAdmin();
    await request(shop.url).post(`/admin/shops/${loom.shopId}/suspend`).set('Authorization', bearer(admin)).set('Idempotency-Key', fx.key()).send({ reason: 'counterfeit' }).expect(200);
    await eventually('the scarf changed', () => pending(scarf.id), (p) => p, 20_000);
    await mirror.drain();
    expect(of(scarf.id).map((x) => x.doc.shop_suspended)).toEqual([true]);
  });
});
