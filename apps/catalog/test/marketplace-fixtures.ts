import request from 'supertest';
import type { Product, TokenPair } from '@emporium/contracts';
import type { TestApp } from '@emporium/devkit/testing';
import { bearer, identityClient } from '../../identity/test/identity-client';

/**
 * What the component tests of services downstream of catalog (inventory,
 * marketing, cart, order) need: a platform admin, approved shops with their
 * merchants, a category with a colour spec, and products with one SKU per
 * colour, made through identity's, shop's and catalog's own routes.
 */
export function marketplaceFixtures(apps: { identity: TestApp; shop: TestApp; catalog: TestApp }, opts: { run: string; password: string }) {
  const accounts = identityClient(apps.identity, opts);
  const n = (s: string) => ({ 'zh-CN': `${s}（中）`, en: s });
  let keyN = 0;
  const key = () => `fx${keyN++}-${opts.run}`;
  let products = 0;
  let admin: Promise<TokenPair> | undefined;
  let category: Promise<string> | undefined;

  const platformAdmin = () => (admin ??= accounts.platformAdmin());

  /** A category with a colour spec (white, blue, red), made once. */
  const colourCategory = () =>
    (category ??= (async () => {
      const token = await platformAdmin();
      const created = await request(apps.catalog.url).post('/admin/categories').set('Authorization', bearer(token)).set('Idempotency-Key', key()).send({ slug: `cups-${opts.run}`, name: n('Cups') }).expect(201);
      const id = (created.body as { id: string }).id;
      const values = ['white', 'blue', 'red'].map((k) => ({ key: k, name: n(k) }));
      await request(apps.catalog.url).put(`/admin/categories/${id}/spec-template`).set('Authorization', bearer(token)).send({ specs: [{ key: 'colour', name: n('Colour'), values }] }).expect(200);
      return id;
    })());

  /** A merchant whose shop an admin approved; its token carries the owner role. */
  async function merchant(who: string): Promise<{ tokens: TokenPair; shopId: string }> {
    const session = await accounts.register(who);
    const applied = await request(apps.shop.url).post('/shops').set('Authorization', bearer(session.tokens)).set('Idempotency-Key', key()).send({
      name: n(`${who} shop`),
      description: n('cups'),
      contactEmail: accounts.email(who),
      contactPhone: '+8613800138000',
      settlementAccount: { accountName: who, bankName: 'ICBC', accountNumber: '6222021234567890' },
    });
    const shopId = (applied.body as { id: string }).id;
    await request(apps.shop.url).post(`/admin/shops/${shopId}/decision`).set('Authorization', bearer(await platformAdmin())).set('Idempotency-Key', key()).send({ decision: 'approve' }).expect(200);
    return { tokens: await accounts.refreshUntilRole(session.tokens, { role: 'merchant_owner', shopId }), shopId };
  }

  /** A product with one SKU per colour at the given prices (minor units, CNY); published unless told not to. */
  async function product(owner: { tokens: TokenPair; shopId: string }, prices: Record<string, number>, opts2: { publish?: boolean } = {}): Promise<Product> {
    const colours = Object.keys(prices);
    // taken before any await: concurrent calls must not share barcodes
    const pn = products++;
    const created = await request(apps.catalog.url)
      .post(`/shops/${owner.shopId}/products`)
      .set('Authorization', bearer(owner.tokens))
      .set('Idempotency-Key', key())
      .send({
        categoryId: await colourCategory(),
        name: n(`cup ${pn}`),
        description: n('a cup'),
        brand: 'Kiln',
        specs: [{ key: 'colour', values: colours }],
        skus: colours.map((colour, i) => ({
          specValues: { colour },
          price: { amount: prices[colour], currency: 'CNY' },
          barcode: `69${opts.run.replace(/[^0-9a-z]/g, '')}p${pn}c${i}`.slice(0, 32),
          weightGrams: 300,
        })),
      })
      .expect(201);
    const p = created.body as Product;
    if (opts2.publish === false) return p;
    // the shop's approval reaches catalog by event: publishing waits for it
    for (let i = 0; i < 100; i++) {
      const res = await request(apps.catalog.url).post(`/shops/${owner.shopId}/products/${p.id}/publish`).set('Authorization', bearer(owner.tokens));
      if (res.status === 200) return res.body as Product;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`product ${p.id} never became publishable`);
  }

  return { accounts, key, n, platformAdmin, colourCategory, merchant, product };
}
