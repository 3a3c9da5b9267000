import type { Company, Invitation, Product, ProductPage } from '@emporium/contracts';
import { call, e2ePeople, eventually, refreshUntilRole } from '@emporium/devkit/client';

/**
 * Issue 3 end to end, through the public gateway of the running platform:
 * a merchant applies, the admin approves, the merchant lists a product with a
 * 2x3 SKU matrix and tier prices and publishes it; a shopper browses and sees
 * it; a company buyer sees the company price; cross-shop and cross-company
 * probes are refused.
 */
describe('marketplace through /api/v1', () => {
  const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`;
  const { email, text, register, admin: platformAdmin, openShop } = e2ePeople(run);

  it('when a merchant sells a 2x3 product, then shoppers see it, a company buyer sees the company price and foreign probes are refused', async () => {
    const admin = await platformAdmin();

    const root = await call('POST', '/admin/categories', { token: admin, idempotent: true, body: { slug: `tea-${run}`, name: text('Tea') } });
    expect(root.status).toBe(201);
    const cups = await call('POST', '/admin/categories', { token: admin, idempotent: true, body: { parentId: root.body.id, slug: 'cups', name: text('Cups') } });
    const template = await call('PUT', `/admin/categories/${root.body.id}/spec-template`, {
      token: admin,
      body: {
        specs: [
          { key: 'glaze', name: text('Glaze'), values: ['celadon', 'tenmoku'].map((k) => ({ key: k, name: text(k) })) },
          { key: 'capacity', name: text('Capacity'), values: ['80ml', '120ml', '200ml'].map((k) => ({ key: k, name: text(k) })) },
        ],
      },
    });
    expect(template.status).toBe(200);

    const { tokens: merchant, shop } = await openShop('merchant', admin);
    const { tokens: rival, shop: rivalShop } = await openShop('rival', admin);

    const skus = ['celadon', 'tenmoku'].flatMap((glaze, g) =>
      ['80ml', '120ml', '200ml'].map((capacity, c) => ({
        specValues: { glaze, capacity },
        price: { amount: 5800 + c * 1000 + g * 500, currency: 'CNY' },
        originalPrice: { amount: 8800 + c * 1000, currency: 'CNY' },
        barcode: `E2E${run}${g}${c}`.toUpperCase(),
        weightGrams: 150 + c * 50,
      })),
    );
    const product = {
      categoryId: cups.body.id,
      name: text('Hand-thrown cup'),
      description: text('Wood-fired in Jingdezhen'),
      brand: 'Emporium Kiln',
      attributes: [{ name: text('Origin'), value: text('Jingdezhen') }],
      specs: [{ key: 'glaze', values: ['celadon', 'tenmoku'] }, { key: 'capacity', values: ['80ml', '120ml', '200ml'] }],
      skus,
    };
    // a merchant may not create in another shop, nor set the shop or the status
    expect((await call('POST', `/shops/${rivalShop.id}/products`, { token: merchant, idempotent: true, body: product })).status).toBe(404);
    const sneaky = await call('POST', `/shops/${shop.id}/products`, { token: merchant, idempotent: true, body: { ...product, shopId: rivalShop.id, status: 'published' } });
    expect(sneaky.status).toBe(400);
    const created = await call<Product>('POST', `/shops/${shop.id}/products`, { token: merchant, idempotent: true, body: product });
    expect(created.status).toBe(201);
    expect(created.body.skus).toHaveLength(6);
    const celadon120 = created.body.skus.find((s) => s.specValues.glaze === 'celadon' && s.specValues.capacity === '120ml')!;
    const tiers = await call<Product>('PUT', `/shops/${shop.id}/products/${created.body.id}/skus/${celadon120.id}/tiers`, {
      token: merchant,
      body: { tiers: [{ minQuantity: 6, price: { amount: 6400, currency: 'CNY' } }, { minQuantity: 24, price: { amount: 6000, currency: 'CNY' } }] },
    });
    expect(tiers.status).toBe(200);
    // the rival can neither read nor publish it
    expect((await call('GET', `/shops/${shop.id}/products/${created.body.id}`, { token: rival })).status).toBe(404);
    expect((await call('POST', `/shops/${shop.id}/products/${created.body.id}/publish`, { token: rival })).status).toBe(404);
    const published = await call<Product>('POST', `/shops/${shop.id}/products/${created.body.id}/publish`, { token: merchant });
    expect(published.body.status).toBe('published');

    // stock arrives; shoppers see how much, the rival cannot touch it
    const receipt = await call<{ available: number }>('POST', `/shops/${shop.id}/stock/${celadon120.id}/receipts`, { token: merchant, idempotent: true, body: { quantity: 12, reason: 'kiln batch 7' } });
    expect([receipt.status, receipt.body.available]).toEqual([200, 12]);
    expect((await call('POST', `/shops/${shop.id}/stock/${celadon120.id}/receipts`, { token: rival, idempotent: true, body: { quantity: 1 } })).status).toBe(404);
    const availability = await call<{ items: unknown[] }>('GET', '/stock', { query: { skuIds: celadon120.id } });
    expect(availability.body.items).toEqual([{ skuId: celadon120.id, available: 12, level: 'in_stock' }]);
    // the server prices a selection: the tier applies from 6, shipping is the shop's
    const quote = await call<{ total: { amount: number }; shops: { lines: { priceSource: string }[]; shipping: { amount: number } }[] }>('POST', '/quote', { body: { lines: [{ skuId: celadon120.id, quantity: 6 }] } });
    expect(quote.status).toBe(200);
    expect(quote.body.shops[0]?.lines[0]?.priceSource).toBe('tier');
    // a guest cart through the gateway, merged into the shopper's at sign-in
    const guest = await call<{ cartToken: string }>('POST', '/guest-carts');
    const { cartToken } = guest.body;
    expect((await call('PUT', `/cart/lines/${celadon120.id}`, { cartToken, body: { quantity: 2 } })).status).toBe(200);

    // a shopper browses the parent category and opens the product
    const shopper = await register('shopper');
    const page = await call<ProductPage>('GET', '/products', { query: { category: root.body.id, sort: 'price_asc' } });
    expect(page.body.items.map((p) => p.id)).toContain(created.body.id);
    const seen = await call<Product>('GET', `/products/${created.body.id}`, { token: shopper.tokens });
    const merged = await call<{ shops: { lines: { skuId: string; quantity: number; flags: string[] }[] }[] }>('POST', '/cart/merge', { token: shopper.tokens, body: { cartToken } });
    expect(merged.body.shops[0]?.lines).toEqual([expect.objectContaining({ skuId: celadon120.id, quantity: 2, flags: [] })]);
    expect(seen.body.skus).toHaveLength(6);
    expect(seen.body.skus.find((s) => s.id === celadon120.id)!.tiers.map((t) => t.minQuantity)).toEqual([6, 24]);
    expect(seen.body.skus.every((s) => s.companyPrice === null)).toBe(true);

    // two companies: only the one with a price list sees its price
    const companies = await Promise.all(
      ['acme', 'globex'].map(async (name) => {
        const boss = await register(`${name}-boss`);
        const company = await call<Company>('POST', '/companies', {
          token: boss.tokens,
          idempotent: true,
          body: { name, taxId: `91${name.toUpperCase()}${run.toUpperCase()}`.replace(/[^0-9A-Z]/g, '').slice(0, 20), contactEmail: email(`${name}-boss`), address: '100 Nanjing Road, Shanghai' },
        });
        expect(company.status).toBe(201);
        await call('POST', `/admin/companies/${company.body.id}/decision`, { token: admin, idempotent: true, body: { decision: 'approve' } });
        const bossTokens = await refreshUntilRole(boss.tokens, { role: 'company_admin', companyId: company.body.id });
        const invitation = await call<Invitation>('POST', `/companies/${company.body.id}/invitations`, {
          token: bossTokens,
          idempotent: true,
          body: { email: email(`${name}-buyer`), spendingLimit: { amount: 2_000_000, currency: 'CNY' } },
        });
        expect(invitation.status).toBe(201);
        const buyer = await register(`${name}-buyer`);
        expect((await call('POST', `/me/invitations/${invitation.body.id}/accept`, { token: buyer.tokens, idempotent: true })).status).toBe(201);
        return { company: company.body, boss: bossTokens, buyer: await refreshUntilRole(buyer.tokens, { role: 'company_buyer', companyId: company.body.id }) };
      }),
    );
    const [acme, globex] = companies as [(typeof companies)[0], (typeof companies)[0]];
    const priceList = await call('PUT', `/shops/${shop.id}/products/${created.body.id}/company-prices/${acme.company.id}`, {
      token: merchant,
      body: { prices: [{ skuId: celadon120.id, price: { amount: 5900, currency: 'CNY' } }] },
    });
    expect(priceList.status).toBe(200);
    const forAcme = await call<Product>('GET', `/products/${created.body.id}`, { token: acme.buyer });
    const forGlobex = await call<Product>('GET', `/products/${created.body.id}`, { token: globex.buyer });
    expect(forAcme.body.skus.find((s) => s.id === celadon120.id)!.companyPrice).toEqual({ amount: 5900, currency: 'CNY' });
    expect(forGlobex.body.skus.find((s) => s.id === celadon120.id)!.companyPrice).toBeNull();

    // cross-company: globex's admin cannot see acme or its buyers; a buyer cannot manage its own company
    expect((await call('GET', `/companies/${acme.company.id}`, { token: globex.boss })).status).toBe(404);
    expect((await call('GET', `/companies/${acme.company.id}/buyers`, { token: globex.boss })).status).toBe(404);
    expect((await call('GET', `/companies/${acme.company.id}/buyers`, { token: acme.buyer })).status).toBe(404);
    // cross-shop: the rival sees neither the shop nor its staff; shoppers cannot reach admin routes
    expect((await call('GET', `/shops/${shop.id}`, { token: rival })).status).toBe(404);
    expect((await call('GET', `/shops/${shop.id}/staff`, { token: rival })).status).toBe(404);
    expect((await call('GET', '/admin/shops', { token: shopper.tokens })).status).toBe(403);
    expect((await call('GET', '/admin/companies', { token: merchant })).status).toBe(403);

    // a suspended shop's product leaves the storefront
    await call('POST', `/admin/shops/${shop.id}/suspend`, { token: admin, idempotent: true, body: { reason: 'quality review' } });
    await eventually('product to leave the storefront', async () => (await call('GET', `/products/${created.body.id}`)).status, (s) => s === 404);
  });

  it('when the client asks for the API description, then the OpenAPI document lists the routed operations', async () => {
    const res = await fetch('http://127.0.0.1:3000/api/v1/openapi.json');
    const doc = (await res.json()) as { openapi: string; paths: Record<string, unknown>; servers: { url: string }[] };
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.servers).toEqual([{ url: '/api/v1' }]);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/auth/register', '/shops', '/products/{productId}']));
    expect(Object.keys(doc.paths)).not.toContain('/healthz');
  });

  it('when someone posts a webhook the provider did not sign, then payment refuses it through the gateway', async () => {
    const forged = await call('POST', '/webhooks/provider', { body: { id: 'evt_x', type: 'payment.succeeded', createdAt: new Date().toISOString(), sequence: 1, data: { id: 'pay_x', status: 'succeeded' } } });
    expect(forged.status).toBe(401);
    // the provider simulator runs beside the platform, as an outside party
    expect((await fetch('http://127.0.0.1:3190/healthz')).status).toBe(200);
  });

  it('when a route is unknown or internal, then the gateway answers 404 without reaching any service', async () => {
    for (const path of ['/nope', '/healthz', '/dapr/subscribe', '/metrics', '/internal/reservations/x', '/internal/skus/x']) {
      const res = await call('GET', path);
      expect(res.status).toBe(404);
      expect(res.body).toEqual(expect.objectContaining({ code: 'route_not_found' }));
    }
  });
});
