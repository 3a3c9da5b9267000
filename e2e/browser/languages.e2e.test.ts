import type { Browser, Page } from 'playwright-core';
import type { Order } from '@emporium/contracts';
import { call, e2ePeople } from '../api-client';
import { CJK, launchBrowser, WEB, withPage } from './browser';

/**
 * Every page in both languages (issue #5: "the language switch turns every
 * visible string on a page into the other language"). The English page may
 * hold no Chinese character; and no line of interface text may read the
 * same on the Chinese page as on the English one. Data the test made (names
 * carrying the run id, e-mail addresses, numbers, and whatever the page marks
 * translate="no") is the same in both and is left out; so are the languages'
 * own names, which are written in themselves.
 */
describe('every page in zh-CN and en', () => {
  const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`;
  const { admin: platformAdmin, shopSelling, login, email, password } = e2ePeople(run);
  const ENDONYMS = ['简体中文', '中文', 'English'];
  let browser: Browser;
  let shop: { shopId: string; productId: string; skuId: string };
  let orderId: string;
  let categoryId: string;

  beforeAll(async () => {
    browser = await launchBrowser();
    const admin = await platformAdmin();
    shop = await shopSelling(`polyglot${run}`, admin, 12_800, 5);
    const merchant = await login(`polyglot${run}`);
    const placed = await call<Order>('POST', '/checkout', { token: merchant, idempotent: true, body: { paymentMethod: 'card', lines: [{ skuId: shop.skuId, quantity: 1 }] } });
    expect(placed.status).toBe(202);
    orderId = placed.body.id;
    categoryId = (await call<{ categoryId: string }>('GET', `/products/${shop.productId}`)).body.categoryId;
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function signIn(page: Page, who: string) {
    await page.goto(`${WEB}/en/login`);
    await page.getByLabel('E-mail or phone number').fill(email(who));
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${WEB}/en/account`);
  }

  const visibleLines = async (page: Page, url: string) => {
    const res = await page.goto(url);
    expect(res?.status()).toBeLessThan(500);
    // what the page marks translate="no" (names people gave, in one language) is data, not interface
    await page.evaluate("document.querySelectorAll('[translate=no]').forEach((e) => { e.style.display = 'none'; })");
    return (await page.locator('body').innerText()).split('\n').map((l) => l.trim()).filter(Boolean);
  };

  /** For each path, what is wrong: Chinese on the English page, or lines that did not change language. */
  async function untranslated(page: Page, paths: string[]): Promise<Record<string, string[]>> {
    const found: Record<string, string[]> = {};
    for (const path of paths) {
      const en = await visibleLines(page, `${WEB}/en${path}`);
      const zh = new Set(await visibleLines(page, `${WEB}/zh-CN${path}`));
      const data = (l: string) => l.includes(run) || l.includes('@') || !/[A-Za-z]{2}/.test(l) || ENDONYMS.includes(l);
      const problems = [
        ...en.filter((l) => CJK.test(ENDONYMS.reduce((s, n) => s.replace(n, ''), l))).map((l) => `Chinese on the English page: ${l}`),
        ...en.filter((l) => zh.has(l) && !data(l)).map((l) => `the same in both languages: ${l}`),
      ];
      if (problems.length) found[path] = problems;
    }
    return found;
  }

  it('when a merchant and buyer walks the storefront, the account, the orders and the seller portal in both languages, then every string changes', async () => {
    await withPage(browser, 'languages merchant', async (page) => {
      await signIn(page, `polyglot${run}`);
      const paths = [
        '/',
        '/browse',
        `/browse?category=${categoryId}`,
        `/products/${shop.productId}`,
        '/cart',
        '/checkout',
        '/orders',
        `/orders/${orderId}`,
        '/account',
        '/account/addresses',
        '/account/password',
        '/seller',
        '/seller/products',
        `/seller/products/new?category=${categoryId}`,
        `/seller/products/${shop.productId}`,
        '/seller/stock',
        '/seller/orders',
        '/seller/ledger',
        '/no-such-page',
      ];
      expect(await untranslated(page, paths)).toEqual({});
    });
  });

  it('when an admin walks the console in both languages, then every string changes', async () => {
    await withPage(browser, 'languages admin', async (page) => {
      await signIn(page, 'admin');
      const paths = ['/admin', '/admin/shops', '/admin/shops?status=approved', '/admin/companies', '/admin/companies?status=approved', '/admin/categories', `/admin/categories/${categoryId}`];
      expect(await untranslated(page, paths)).toEqual({});
    });
  });

  it('when a visitor is signed out, then the sign-in page and the pages that need a session change language too', async () => {
    await withPage(browser, 'languages visitor', async (page) => {
      expect(await untranslated(page, ['/login', '/seller', '/account'])).toEqual({});
    });
  });
});
