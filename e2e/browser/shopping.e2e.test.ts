import type { Browser, Page } from 'playwright-core';
import type { Product } from '@emporium/contracts';
import { call, e2ePeople, eventually, testTrackingNumber } from '@emporium/devkit/client';
import { launchBrowser, onToPayment, WEB, withPage } from './browser';

/**
 * Shopping in the browser (issue #5): a guest picks a SKU with the spec
 * selector (price and stock follow the choice), fills a cart from two shops,
 * signs in and finds the same cart, grouped by shop; then checks out with a
 * new address, pays with a test card on the provider's page, comes back and
 * sees the order paid.
 */
describe('shopping in Chromium', () => {
  const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`;
  const { admin: platformAdmin, shopSelling, register, login, email, password, text } = e2ePeople(run);
  let browser: Browser;
  let cup: Product;
  let teapotId: string;
  let orderUrl: string | null = null;

  beforeAll(async () => {
    browser = await launchBrowser();
    const admin = await platformAdmin();
    const kiln = await shopSelling('kiln-browser', admin, 26_800, 10);
    teapotId = (await shopSelling('loom-browser', admin, 4_000, 10)).productId;
    // a cup in two colours at two prices, in the kiln's shop
    const category = await call<{ id: string }>('POST', '/admin/categories', { token: admin, idempotent: true, body: { slug: `cups-${run}`, name: text('Cups') } });
    await call('PUT', `/admin/categories/${category.body.id}/spec-template`, {
      token: admin,
      body: { specs: [{ key: 'colour', name: text('Colour'), values: ['white', 'blue'].map((k) => ({ key: k, name: text(k) })) }] },
    });
    const created = await call<Product>('POST', `/shops/${kiln.shopId}/products`, {
      token: kiln.tokens,
      idempotent: true,
      body: {
        categoryId: category.body.id,
        name: text(`Tasting cup ${run}`),
        description: text('Wood-fired'),
        brand: 'kiln',
        specs: [{ key: 'colour', values: ['white', 'blue'] }],
        skus: ['white', 'blue'].map((colour, i) => ({ specValues: { colour }, price: { amount: 6_800 + i * 100, currency: 'CNY' }, barcode: `69c${run}${i}`.slice(0, 32), weightGrams: 200 })),
      },
    });
    cup = (await eventually('publish', () => call<Product>('POST', `/shops/${kiln.shopId}/products/${created.body.id}/publish`, { token: kiln.tokens }), (r) => r.status === 200)).body;
    for (const sku of cup.skus) await call('POST', `/shops/${kiln.shopId}/stock/${sku.id}/receipts`, { token: kiln.tokens, idempotent: true, body: { quantity: sku.specValues.colour === 'blue' ? 3 : 20 } });
    await register('browser-buyer');
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('when a guest fills a cart from two shops, signs in, checks out and pays by card, then the order shows paid', async () => {
    await withPage(browser, 'shopping', async (page) => {
      await page.goto(`${WEB}/en/products/${cup.id}`);
      await page.getByRole('heading', { level: 1, name: `Tasting cup ${run}` }).waitFor();
      const buy = page.locator('.buy');
      await buy.getByText('CN¥68.00').waitFor();
      await page.getByRole('radio', { name: 'blue' }).check();
      await buy.getByText('CN¥69.00').waitFor();
      await buy.getByText('In stock (3)').waitFor();
      await page.getByLabel('Quantity').fill('2');
      await page.getByRole('button', { name: 'Add to cart' }).click();
      await page.getByRole('status').getByText('Added to your cart.').waitFor();

      await page.goto(`${WEB}/en/products/${teapotId}`);
      await page.getByRole('button', { name: 'Add to cart' }).click();
      await page.getByRole('status').getByText('Added to your cart.').waitFor();

      await page.getByRole('link', { name: 'Cart', exact: true }).click();
      await page.waitForURL(`${WEB}/en/cart`);
      await expectCart();

      // signing in keeps the cart: the guest's lines join the buyer's
      await page.getByRole('link', { name: 'Sign in' }).click();
      await page.getByLabel('E-mail or phone number').fill(email('browser-buyer'));
      await page.getByLabel('Password').fill(password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(`${WEB}/en/account`);
      expect((await page.context().cookies()).map((c) => c.name)).not.toContain('emporium_cart');
      await page.getByRole('link', { name: 'Cart', exact: true }).click();
      await expectCart();

      // checkout: a first address (a bad phone is named), the card, the provider's page, and back
      await page.getByRole('link', { name: 'Check out' }).click();
      await page.waitForURL(`${WEB}/en/checkout`);
      const address = { Recipient: 'Li Lei', Phone: '12345', Province: 'Shanghai', City: 'Shanghai', District: 'Pudong', 'Street and number': '100 Century Avenue' };
      for (const [label, value] of Object.entries(address)) await page.getByLabel(label, { exact: true }).fill(value);
      await page.getByRole('button', { name: 'Save address' }).click();
      await page.getByRole('alert').getByText(/^Phone: /).waitFor();
      await page.getByLabel('Phone', { exact: true }).fill('+8613800138000');
      await page.getByRole('button', { name: 'Save address' }).click();
      await page.getByRole('radio', { name: /Li Lei/ }).waitFor();
      expect(await page.getByRole('radio', { name: /Li Lei/ }).isChecked()).toBe(true);
      // the teapot's shop charges 10 for shipping; the cups' is free from 99
      expect(await page.locator('dl[aria-label="What you pay"]').innerText()).toMatch(/Goods\s+CN¥178\.00\s+Shipping \(2 shops\)\s+CN¥10\.00\s+To pay\s+CN¥188\.00/);
      const order = await placeAndPayByCard(page);
      expect(await order.innerText()).toMatch(/CN¥188\.00/); // 138 + 40 + 10 shipping for the teapot's shop

      orderUrl = await order.getByRole('link').getAttribute('href');

      async function expectCart() {
        const shops = page.locator('main section[aria-label^="Shop"]');
        await shops.first().waitFor();
        expect(await shops.count()).toBe(2);
        const text = await page.locator('main').innerText();
        expect(text).toContain(`Tasting cup ${run}`);
        expect(text).toMatch(/CN¥138\.00/);
        expect(text).toMatch(/CN¥40\.00/);
      }
    });
  });
  /** From checkout: places the order, pays with the test card on the provider's page, and is back on the orders with the newest shown paid. */
  async function placeAndPayByCard(page: Page) {
    await page.getByRole('button', { name: 'Place order' }).click();
    await onToPayment(page);
    await page.getByLabel('Card number').fill('4242 4242 4242 4242');
    await page.getByRole('button', { name: /^Pay / }).click();
    await page.waitForURL(/\/en\/orders/);
    const order = page.locator('main article').first();
    await order.locator('.status.paid').waitFor({ timeout: 20_000 });
    return order;
  }
  async function signIn(page: Page, who: string, next: string) {
    await page.goto(`${WEB}/en/login?next=${encodeURIComponent(next)}`);
    await page.getByLabel('E-mail or phone number').fill(email(who));
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${WEB}/en${next}`);
  }

  it('when one shop ships and the other is asked for a refund, then the buyer confirms one part and gets the other part back, and the admin pays the shop out', async () => {
    expect(orderUrl).toMatch(/^\/en\/orders\/[0-9a-f-]{36}$/);
    const parcel = testTrackingNumber('silent');
    await withPage(browser, 'merchant ships', async (page) => {
      await signIn(page, 'kiln-browser', '/seller');
      expect(await page.locator('dl[aria-label="Today"]').innerText()).toMatch(/Waiting to ship\s+1/);
      await page.getByRole('link', { name: 'Ship paid orders' }).click();
      const paid = page.locator('main article').first();
      // a number the carrier simulator never says more of, so it stays shipped
      await paid.getByLabel('Carrier', { exact: true }).selectOption('SF');
      await paid.getByLabel('Tracking number', { exact: true }).fill(parcel);
      await paid.getByRole('button', { name: 'Ship' }).click();
      // back on the list of every status, the order shows its parcel's tracking
      await page.getByRole('region', { name: 'Tracking' }).getByText(`SF Express ${parcel}`).waitFor();
      await page.getByLabel('Status').selectOption('SHIPPED');
      await page.getByRole('button', { name: 'Show' }).click();
      await page.waitForURL(/status=SHIPPED/);
      await page.getByRole('region', { name: 'Tracking' }).getByText(`SF Express ${parcel}`).waitFor();
    });
    await withPage(browser, 'buyer confirms and asks for a refund', async (page) => {
      await signIn(page, 'browser-buyer', orderUrl!.slice(3));
      const kiln = page.getByRole('article', { name: "kiln-browser's tea house" });
      await kiln.getByRole('region', { name: 'Tracking' }).getByText(`SF Express ${parcel}`).waitFor();
      await kiln.getByRole('button', { name: 'I have received it' }).click();
      await page.getByRole('article', { name: "kiln-browser's tea house" }).locator('.status', { hasText: 'Completed' }).waitFor();
      const loom = page.getByRole('article', { name: "loom-browser's tea house" });
      await loom.getByText('Ask for a refund').click();
      await loom.getByLabel('Why?').fill('The lid arrived chipped');
      await loom.getByRole('button', { name: 'Send request' }).click();
      await page.getByRole('article', { name: "loom-browser's tea house" }).getByText('waiting for the shop').waitFor();
    });
    await withPage(browser, 'merchant refunds', async (page) => {
      await signIn(page, 'loom-browser', '/seller/orders');
      // each line says what was bought: the product and its specs
      await page.getByText('loom-browser teapot · red').first().waitFor();
      await page.getByRole('form', { name: /The lid arrived chipped/ }).getByRole('button', { name: 'Approve refund' }).click();
      await page.getByRole('form', { name: /The lid arrived chipped/ }).waitFor({ state: 'detached' });
    });
    await withPage(browser, 'buyer sees the refund', async (page) => {
      await signIn(page, 'browser-buyer', orderUrl!.slice(3));
      // the card refund goes through the provider: the page shows it once it is done
      const loomStatus = () => page.getByRole('article', { name: "loom-browser's tea house" }).locator('p .status').innerText();
      const deadline = Date.now() + 20_000;
      while ((await loomStatus()) !== 'Refunded' && Date.now() < deadline) await page.reload();
      expect(await loomStatus()).toBe('Refunded');
    });
    // the kiln's part is confirmed, so its money is released: the admin pays every shop out, and the kiln sees it paid
    await withPage(browser, 'admin pays out', async (page) => {
      await signIn(page, 'admin', '/admin/money');
      await page.getByText('The ledger adds up').waitFor();
      await page.getByRole('button', { name: 'Pay every shop now' }).click();
      await page.getByRole('status').getByText('Saved.').waitFor();
    });
    await withPage(browser, 'merchant sees the payout', async (page) => {
      await signIn(page, 'kiln-browser', '/seller/ledger');
      const money = await page.locator('dl[aria-label="In CNY"]').innerText();
      expect(money).toMatch(/Waiting for payout\s+CN¥0\.00/);
      const released = /Released to you\s+(CN¥[\d,.]+)/.exec(money)?.[1];
      expect(released).not.toBe('CN¥0.00');
      expect(money).toContain(`Paid out\n${released}`);
    });
  });

  it('when a shopper claims a platform coupon in the coupon centre, then the product page offers it, checkout picks it, and the order is paid less it', async () => {
    const admin = await platformAdmin();
    const name = text(`Welcome ${run}`);
    const hour = 3600_000;
    await call('POST', '/admin/coupons', {
      token: admin,
      idempotent: true,
      body: {
        name,
        discount: { kind: 'fixed', amount: { amount: 500, currency: 'CNY' } },
        minSpend: { amount: 5_000, currency: 'CNY' },
        scope: { kind: 'all' },
        validity: { kind: 'after-claim', days: 7 },
        claimStartsAt: new Date(Date.now() - hour).toISOString(),
        claimEndsAt: new Date(Date.now() + 24 * hour).toISOString(),
        total: 1000,
        perUserLimit: 1,
      },
    });
    await register('coupon-buyer');
    await withPage(browser, 'coupons', async (page) => {
      await signIn(page, 'coupon-buyer', '/coupons');
      const offer = page.getByRole('listitem').filter({ hasText: name.en });
      expect(await offer.innerText()).toMatch(/CN¥5\.00 off on CN¥50\.00 or more/);
      await offer.getByRole('button', { name: `Claim: ${name.en}` }).click();
      await offer.getByRole('status').getByText('Claimed: it is in My coupons.').waitFor();
      // a second claim is past the limit of one per shopper
      await offer.getByRole('button', { name: `Claim: ${name.en}` }).click();
      await offer.getByRole('status').getByText('You have claimed as many as allowed.').waitFor();

      await page.goto(`${WEB}/en/products/${cup.id}`);
      await page.getByRole('region', { name: 'Coupons for this item' }).getByText(name.en).waitFor();
      await page.getByRole('button', { name: 'Add to cart' }).click();
      await page.getByRole('status').getByText('Added to your cart.').waitFor();

      await page.goto(`${WEB}/en/checkout`);
      const address = { Recipient: 'Han Meimei', Phone: '+8613900139000', Province: 'Zhejiang', City: 'Hangzhou', District: 'Xihu', 'Street and number': '1 Longjing Road' };
      for (const [label, value] of Object.entries(address)) await page.getByLabel(label, { exact: true }).fill(value);
      await page.getByRole('button', { name: 'Save address' }).click();
      await page.getByRole('radio', { name: /Han Meimei/ }).waitFor();
      // the best coupon is picked; the buyer may choose none instead
      expect(await page.getByRole('radio', { name: `${name.en} −CN¥5.00` }).isChecked()).toBe(true);
      expect(await page.locator('dl[aria-label="What you pay"]').innerText()).toMatch(/Goods\s+CN¥68\.00\s+Shipping \(1 shop\)\s+CN¥10\.00\s+Coupons\s+−CN¥5\.00\s+To pay\s+CN¥73\.00/);
      const order = await placeAndPayByCard(page);
      expect(await order.innerText()).toMatch(/CN¥73\.00/);

      await page.goto(`${WEB}/en/account/coupons?state=used`);
      await page.getByRole('listitem').filter({ hasText: name.en }).waitFor();
    });
  });

  it('when a member has points, then checkout offers as many as the order allows, the order is paid less their value, and the points history shows them spent', async () => {
    const admin = await platformAdmin();
    const member = await register('points-buyer');
    await call('POST', `/admin/users/${member.user.id}/points`, { token: admin, idempotent: true, body: { points: 1000, reason: 'Welcome to membership' } });
    await withPage(browser, 'points', async (page) => {
      await signIn(page, 'points-buyer', '/account/points');
      await page.getByText('Welcome to membership').waitFor();
      await page.goto(`${WEB}/en/products/${cup.id}`);
      await page.getByRole('button', { name: 'Add to cart' }).click();
      await page.getByRole('status').getByText('Added to your cart.').waitFor();
      await page.goto(`${WEB}/en/checkout`);
      const address = { Recipient: 'Li Lei', Phone: '+8613900139001', Province: 'Zhejiang', City: 'Hangzhou', District: 'Xihu', 'Street and number': '2 Longjing Road' };
      for (const [label, value] of Object.entries(address)) await page.getByLabel(label, { exact: true }).fill(value);
      await page.getByRole('button', { name: 'Save address' }).click();
      await page.getByRole('radio', { name: /Li Lei/ }).waitFor();
      // a 68.00 cup: points may pay half of it, the member has 10.00 worth
      const points = page.getByRole('form', { name: 'Points' });
      expect(await points.innerText()).toMatch(/You have 1,000 points; 100 points are worth CN¥1\.00/);
      await points.getByRole('checkbox', { name: 'Use 1,000 points (−CN¥10.00)' }).check();
      await points.getByRole('button', { name: 'Update' }).click();
      await page.locator('dl[aria-label="What you pay"]').getByText('Points (1,000)').waitFor();
      expect(await page.locator('dl[aria-label="What you pay"]').innerText()).toMatch(/Goods\s+CN¥68\.00\s+Shipping \(1 shop\)\s+CN¥10\.00\s+Points \(1,000\)\s+−CN¥10\.00\s+To pay\s+CN¥68\.00/);
      const order = await placeAndPayByCard(page);
      expect(await order.innerText()).toMatch(/CN¥68\.00/);
      // the cup asked back as an item: refunded at what it cost after the points, 58.00, not the shipping
      await order.getByRole('link').first().click();
      await page.waitForURL(/\/en\/orders\/[0-9a-f-]{36}$/);
      const shop = page.getByRole('article').first();
      await shop.getByText('Ask for a refund').click();
      await shop.getByLabel('Why?').fill('Changed my mind');
      await shop.getByLabel(/Tasting cup .* \(up to 1\)/).fill('1');
      await shop.getByRole('button', { name: 'Send request' }).click();
      await page.getByRole('article').first().getByText(/CN¥58\.00 · /).waitFor();
      await page.goto(`${WEB}/en/account/points`);
      await page.getByText('Used at checkout').waitFor();
      expect(await page.getByRole('main').innerText()).toMatch(/−1,000/);
    });
  });

  it('when a merchant starts a full-reduction activity in the portal, then the product page shows it, the cart says how much more saves more, checkout takes it off, and pausing ends it', async () => {
    const name = `Autumn ${run}`;
    await withPage(browser, 'merchant starts full reduction', async (page) => {
      await signIn(page, 'kiln-browser', '/seller/promotions');
      await page.getByLabel('Name (Chinese)').fill(`${name}（中文）`);
      await page.getByLabel('Name (English)').fill(name);
      const tier = (n: number) => page.getByRole('group', { name: `Tier ${n}` });
      await tier(1).getByLabel('Spend at least (yuan)').fill('100');
      await tier(1).getByLabel('Take off (yuan; percent for a percentage)').fill('10');
      // a second tier that does not rise is named
      await tier(2).getByLabel('Spend at least (yuan)').fill('90');
      await tier(2).getByLabel('Take off (yuan; percent for a percentage)').fill('30');
      await page.getByRole('button', { name: 'Start an activity' }).click();
      await page.getByRole('alert').getByText(/Tier 2: spend at least/).waitFor();
      await tier(2).getByLabel('Spend at least (yuan)').fill('200');
      await page.getByRole('button', { name: 'Start an activity' }).click();
      await page.getByRole('row').filter({ hasText: name }).getByText('CN¥10.00 off from CN¥100.00; CN¥30.00 off from CN¥200.00').waitFor();
    });
    await register('reduction-buyer');
    await withPage(browser, 'shopper meets full reduction', async (page) => {
      await signIn(page, 'reduction-buyer', `/products/${cup.id}`);
      await page.getByRole('region', { name: 'Full reduction' }).getByText('CN¥10.00 off from CN¥100.00; CN¥30.00 off from CN¥200.00').waitFor();
      await page.getByRole('button', { name: 'Add to cart' }).click();
      await page.getByRole('status').getByText('Added to your cart.').waitFor();
      await page.goto(`${WEB}/en/cart`);
      await page.getByText(`Add CN¥32.00 more from this shop to save CN¥10.00 (${name}).`).waitFor();
      await page.goto(`${WEB}/en/products/${cup.id}`);
      await page.getByRole('button', { name: 'Add to cart' }).click();
      await page.getByRole('status').getByText('Added to your cart.').waitFor();
      await page.goto(`${WEB}/en/cart`);
      await page.getByText(`${name}: −CN¥10.00`).waitFor();
      await page.getByText(`Add CN¥64.00 more from this shop to save CN¥30.00 (${name}).`).waitFor();
      await page.goto(`${WEB}/en/checkout`);
      // 2 × 68.00 = 136.00, free shipping from 99, 10.00 off
      expect(await page.locator('dl[aria-label="What you pay"]').innerText()).toMatch(/Goods\s+CN¥136\.00\s+Shipping \(1 shop\)\s+CN¥0\.00\s+Full reduction\s+−CN¥10\.00\s+To pay\s+CN¥126\.00/);
    });
    await withPage(browser, 'merchant pauses it', async (page) => {
      await signIn(page, 'kiln-browser', '/seller/promotions');
      await page.getByRole('button', { name: `Pause: ${name}` }).click();
      await page.getByRole('row').filter({ hasText: name }).getByText('Paused').waitFor();
    });
  });

  it('when a merchant starts a group buy in the portal, then a shopper opens a group from the product page, a second joins from the shared group page, and both orders wait for the group and are paid once it forms', async () => {
    const title = `Pair of cups ${run}`;
    await withPage(browser, 'merchant starts a group buy', async (page) => {
      await signIn(page, 'kiln-browser', '/seller/group-buys');
      await page.getByLabel('Which product?').selectOption({ label: `Tasting cup ${run}` });
      await page.getByRole('button', { name: 'Choose' }).click();
      await page.waitForURL(/productId=/);
      await page.getByLabel('Which SKU?').selectOption({ label: 'white · CN¥68.00' });
      await page.getByLabel('Title (Chinese)').fill(`${title}（中文）`);
      await page.getByLabel('Title (English)').fill(title);
      await page.getByLabel('Shoppers per group (2–50)').fill('2');
      // at the list price it is refused, the field named
      await page.getByLabel('Group price (yuan, below the list price)').fill('68');
      await page.getByRole('button', { name: 'Start a group buy' }).click();
      await page.getByRole('alert').getByText(/Group price/).waitFor();
      await page.getByLabel('Group price (yuan, below the list price)').fill('50');
      await page.getByRole('button', { name: 'Start a group buy' }).click();
      await page.getByRole('row').filter({ hasText: title }).getByText('2 people, CN¥50.00 each (list CN¥68.00), 24 h to fill, at most 2 per shopper').waitFor();
    });
    for (const who of ['group-opener', 'group-joiner']) {
      await register(who);
      await call('POST', '/me/addresses', { token: await login(who), idempotent: true, body: { recipient: who, phone: '+8613800138000', province: 'Jiangxi', city: 'Jingdezhen', district: 'Zhushan', street: '8 Porcelain Street' } });
    }
    let groupUrl = '';
    await withPage(browser, 'shopper opens a group', async (page) => {
      await signIn(page, 'group-opener', `/products/${cup.id}`);
      const offer = page.getByRole('region', { name: 'Group buy' });
      await offer.getByText(`${title} · Groups of 2: CN¥50.00 each (list CN¥68.00)`).waitFor();
      await offer.getByRole('link', { name: 'Start a group at CN¥50.00' }).click();
      await page.getByText('You pay now; the order ships once the group forms').waitFor();
      // 50.00 and 10.00 shipping below the free-shipping threshold
      expect(await page.locator('dl[aria-label="What you pay"]').innerText()).toMatch(/Goods\s+CN¥50\.00\s+Shipping \(1 shop\)\s+CN¥10\.00\s+To pay\s+CN¥60\.00/);
      await placeAndPayByCard(page);
      const row = page.getByRole('row').filter({ hasText: title });
      // the seat becomes a member a moment after the order is paid
      await eventually('seat paid', async () => { await page.goto(`${WEB}/en/account/group-buys`); return row.innerText(); }, (t) => t.includes('Filling · Paid'));
      await row.getByRole('link', { name: title }).click();
      await page.getByText('You are in this group.').waitFor();
      groupUrl = page.url();
      expect(await page.locator('main code').innerText()).toBe(groupUrl);
    });
    await withPage(browser, 'second shopper joins from the shared page', async (page) => {
      await signIn(page, 'group-joiner', new URL(groupUrl).pathname.replace(/^\/en/, ''));
      await page.getByRole('status').getByText('1 seat left').waitFor();
      await page.getByRole('link', { name: 'Join this group · CN¥50.00' }).click();
      await placeAndPayByCard(page);
      await page.goto(groupUrl);
      await page.getByRole('status').getByText('Formed').waitFor({ timeout: 20_000 });
      await page.getByText('The group formed: the shop ships every member’s order.').waitFor();
    });
    await withPage(browser, 'the opener’s order is paid with its group', async (page) => {
      await signIn(page, 'group-opener', '/orders');
      await page.locator('main article').first().getByRole('link').first().click();
      await eventually('group formed', async () => { await page.reload(); return page.locator('article.card strong.status').first().innerText(); }, (s) => s === 'Paid');
      const timeline = await page.getByRole('list', { name: 'Progress' }).first().innerText();
      expect(timeline).toMatch(/Placed[\s\S]*Waiting for the group[\s\S]*Paid/);
    });
  });
});
