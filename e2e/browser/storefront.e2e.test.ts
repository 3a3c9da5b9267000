import type { Browser } from 'playwright-core';
import { call, e2ePeople } from '@emporium/devkit/client';
import { CJK, launchBrowser, onToPayment, WEB, withPage } from './browser';

/**
 * The storefront home in a real browser (issue #5, first pages): server
 * rendered in the visitor's language with categories, new products and the
 * running flash sales counting down; the language switch keeps the page and
 * turns every visible string into the other language; keyboard users can
 * skip to the content; a phone-sized screen needs no sideways scrolling.
 */
describe('storefront home in Chromium', () => {
  const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`;
  const { admin: platformAdmin, shopSelling, text, register, email, password } = e2ePeople(run);
  let browser: Browser;
  let shop: Awaited<ReturnType<ReturnType<typeof e2ePeople>['shopSelling']>>;

  beforeAll(async () => {
    browser = await launchBrowser();
    shop = await shopSelling('storefront', await platformAdmin(), 26_800, 20);
    const sale = await call('POST', `/shops/${shop.shopId}/flash-sales`, {
      token: shop.tokens,
      idempotent: true,
      body: {
        skuId: shop.skuId,
        title: text(`Teapot morning ${run}`),
        price: { amount: 19_900, currency: 'CNY' },
        quantity: 5,
        perUserLimit: 1,
        startsAt: new Date(Date.now() - 1000).toISOString(),
        endsAt: new Date(Date.now() + 3_600_000).toISOString(),
      },
    });
    expect(sale.status).toBe(201);
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('when a Chinese visitor opens the home page and switches to English, then every visible string changes language and the page stays', async () => {
    await withPage(
      browser,
      'home language switch',
      async (page) => {
        await page.goto(`${WEB}/`);
        expect(new URL(page.url()).pathname).toBe('/zh-CN');
        expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
        await page.getByRole('heading', { level: 1, name: '今日百货集' }).waitFor();
        // the flash sale in Chinese, its price as Chinese write it, its countdown ticking
        const card = page.locator('section[aria-labelledby="flash"] li', { hasText: `Teapot morning ${run}（中文）` });
        await card.waitFor();
        expect(await card.innerText()).toMatch(/¥199\.00/);
        const before = await card.locator('time').innerText();
        expect(before).toMatch(/^距结束 \d\d:\d\d:\d\d$/);
        await page.waitForTimeout(1_100);
        expect(await card.locator('time').innerText()).not.toBe(before);
        const zhText = await page.locator('body').innerText();
        for (const english of ['Flash sales', 'New arrivals', 'Shop by category', 'Home']) expect(zhText).not.toContain(english);

        await page.getByRole('button', { name: /English/ }).click();
        await page.waitForURL(`${WEB}/en`);
        expect(await page.getAttribute('html', 'lang')).toBe('en');
        await page.getByRole('heading', { level: 1, name: 'Today at Emporium' }).waitFor();
        const enText = await page.locator('body').innerText();
        // the switch back names its language in that language
        expect(enText.replace('中文', '')).not.toMatch(CJK);
        expect(enText).toContain(`Teapot morning ${run}`);
      },
      { locale: 'zh-CN' },
    );
  });

  it('when a keyboard user arrives, then the first Tab offers to skip to the content, and a phone-sized screen needs no sideways scrolling', async () => {
    await withPage(
      browser,
      'home keyboard and phone',
      async (page) => {
        await page.goto(`${WEB}/en`);
        // scripts run in the page (strings: the tests compile without the DOM's types)
        await page.keyboard.press('Tab');
        expect(await page.evaluate('document.activeElement?.textContent')).toBe('Skip to content');
        await page.keyboard.press('Enter');
        expect(await page.evaluate('document.activeElement?.id')).toBe('main');
        expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
        // every image says what it shows
        expect(await page.locator('img:not([alt]), img[alt=""]').count()).toBe(0);
      },
      { viewport: { width: 375, height: 667 }, locale: 'en-US' },
    );
  });

  it('when a shopper filters by category and price, then the page shows what matches, as a link of its own', async () => {
    const { categoryId } = (await call<{ categoryId: string }>('GET', `/products/${shop.productId}`)).body;
    await withPage(browser, 'browse filters', async (page) => {
      await page.goto(`${WEB}/en/browse`);
      await page.getByLabel('Category').selectOption(categoryId);
      await page.getByLabel('Highest price (¥)').fill('100');
      await page.getByRole('button', { name: 'Show' }).click();
      await page.waitForURL((url) => url.searchParams.get('category') === categoryId && url.searchParams.get('max') === '100');
      await page.getByText('Nothing matches these filters.').waitFor();
      await page.getByLabel('Highest price (¥)').fill('300');
      await page.getByRole('button', { name: 'Show' }).click();
      const results = page.getByRole('list', { name: 'Products' });
      await results.getByRole('link', { name: 'storefront teapot' }).waitFor();
      expect(await results.innerText()).toMatch(/CN¥268\.00/);
      // the same filters in Chinese, from the same link
      await page.getByRole('button', { name: /中文/ }).click();
      await page.waitForURL((url) => url.pathname === '/zh-CN/browse' && url.searchParams.get('max') === '300');
      expect(await page.getByRole('list', { name: '商品' }).innerText()).toMatch(/¥268\.00/);
    });
  });

  it('when a shopper opens a category, then its page names it, leads down to its sub-categories and back up', async () => {
    const { categoryId } = (await call<{ categoryId: string }>('GET', `/products/${shop.productId}`)).body;
    const child = await call<{ id: string }>('POST', '/admin/categories', { token: await platformAdmin(), idempotent: true, body: { parentId: categoryId, slug: 'saucers', name: text(`Saucers ${run}`) } });
    expect(child.status).toBe(201);
    await withPage(browser, 'category page', async (page) => {
      await page.goto(`${WEB}/en/browse?category=${categoryId}`);
      await page.getByRole('heading', { level: 1, name: 'storefront' }).waitFor();
      await page.getByRole('list', { name: 'Narrow down' }).getByRole('link', { name: `Saucers ${run}` }).click();
      await page.getByRole('heading', { level: 1, name: `Saucers ${run}` }).waitFor();
      const crumbs = page.getByRole('navigation', { name: 'Where you are' });
      expect(await crumbs.innerText()).toMatch(/All categories\s*›?\s*storefront\s*›?\s*Saucers/);
      await crumbs.getByRole('link', { name: 'storefront' }).click();
      await page.getByRole('heading', { level: 1, name: 'storefront' }).waitFor();
    });
  });

  it('when a shopper buys a flash-sale unit from the home page, then it is checked out at the sale price, and a second is refused', async () => {
    await register('fan');
    await withPage(browser, 'flash buy', async (page) => {
      await page.goto(`${WEB}/en/login?next=/`);
      await page.getByLabel('E-mail or phone number').fill(email('fan'));
      await page.getByLabel('Password').fill(password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(`${WEB}/en`);
      const card = page.locator('section[aria-labelledby="flash"] li', { hasText: `Teapot morning ${run}` });
      await card.getByRole('button', { name: 'Buy now' }).click();
      await page.waitForURL(/\/en\/checkout\?flash=/);
      // the unit is the shopper's for a few minutes, and the page counts them down
      expect(await page.locator('.notice time').innerText()).toMatch(/^Held for you for 00:0[45]:\d\d$/);
      expect(await page.locator('main ul').first().innerText()).toMatch(/Teapot morning .* × 1 — CN¥199\.00/);
      const address = { Recipient: 'Han Meimei', Phone: '+8613900139000', Province: 'Zhejiang', City: 'Hangzhou', District: 'Xihu', 'Street and number': '1 Lakeside Road' };
      for (const [label, value] of Object.entries(address)) await page.getByLabel(label, { exact: true }).fill(value);
      await page.getByRole('button', { name: 'Save address' }).click();
      await page.getByRole('radio', { name: /Han Meimei/ }).waitFor();
      expect(new URL(page.url()).searchParams.get('flash')).not.toBeNull();
      await page.locator('.notice time').waitFor();
      await page.getByRole('button', { name: 'Place order' }).click();
      await onToPayment(page);
      await page.getByLabel('Card number').fill('4242424242424242');
      await page.getByRole('button', { name: /^Pay / }).click();
      await page.waitForURL(/\/en\/orders/);
      const order = page.locator('main article').first();
      await order.locator('.status.paid').waitFor({ timeout: 20_000 });
      expect(await order.innerText()).toMatch(/CN¥199\.00/);

      await page.goto(`${WEB}/en`);
      await page.locator('section[aria-labelledby="flash"] li', { hasText: `Teapot morning ${run}` }).getByRole('button', { name: 'Buy now' }).click();
      await page.getByRole('alert').getByText('Sold out, or you already have as many as a shopper may.').waitFor();
    });
  });

  it('when a page does not exist, then a helpful page answers, not a stack trace', async () => {
    await withPage(browser, 'not found', async (page) => {
      const res = await page.goto(`${WEB}/en/no-such-page`);
      expect(res?.status()).toBe(404);
      await page.getByRole('heading', { name: 'Page not found' }).waitFor();
      expect(await page.locator('body').innerText()).not.toMatch(/at \w+ \(|node_modules/);
    });
  });
});
