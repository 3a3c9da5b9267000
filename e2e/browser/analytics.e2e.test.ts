import type { Browser } from 'playwright-core';
import type { Order, ShopAnalytics } from '@emporium/contracts';
import { call, e2ePeople, eventually, submitCard } from '@emporium/devkit/client';
import { launchBrowser, WEB, withPage } from './browser';

/**
 * Analytics in a real browser (issue #15): a paid order shows on the seller's
 * chart (drawn, keyboard-readable, with its table) in both languages; a
 * product page records its view and offers what was bought with it.
 */
describe('analytics in Chromium', () => {
  const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`;
  const { admin: platformAdmin, shopSelling, register, email, password } = e2ePeople(run);
  let browser: Browser;
  let a: Awaited<ReturnType<ReturnType<typeof e2ePeople>['shopSelling']>>;
  let b: typeof a;

  beforeAll(async () => {
    browser = await launchBrowser();
    const admin = await platformAdmin();
    [a, b] = await Promise.all([shopSelling('chta', admin, 6_800, 10), shopSelling('chtb', admin, 2_400, 10)]);
    const shopper = (await register('chart-buyer')).tokens;
    const placed = await call<Order>('POST', '/checkout', { token: shopper, idempotent: true, body: { paymentMethod: 'card', lines: [{ skuId: a.skuId, quantity: 1 }, { skuId: b.skuId, quantity: 1 }] } });
    const pending = await eventually('payable', async () => (await call<Order>('GET', `/orders/${placed.body.id}`, { token: shopper })).body, (o) => Boolean(o.payment?.hostedUrl));
    await submitCard(pending.payment!.hostedUrl!);
    await eventually('counted', async () => (await call<ShopAnalytics>('GET', `/shops/${a.shopId}/analytics`, { token: a.tokens })).body.totals.orders, (n) => n === 1, 20_000);
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("when a merchant opens the dashboard, then the chart is drawn with the day's order, read by keyboard and in its table, in both languages", async () => {
    await withPage(browser, 'seller chart', async (page) => {
      await page.goto(`${WEB}/en/login?next=${encodeURIComponent('/seller')}`);
      await page.getByLabel('E-mail or phone number').fill(email('chta'));
      await page.getByLabel('Password').fill(password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { level: 2, name: 'The last 30 days' }).waitFor();
      const chart = page.locator('figure', { hasText: 'Sales and orders by day' });
      // drawn: a bar for today's order and the sales line
      await chart.locator('.recharts-bar-rectangle path, .recharts-bar-rectangle rect').first().waitFor();
      expect(await chart.locator('.recharts-line-curve').count()).toBe(1);
      // the table beside it holds the same day
      const today = chart.getByRole('table').locator('tbody tr').last();
      // sales are what the buyer paid the shop: 68.00 and 10.00 shipping
      expect(await today.locator('td').allInnerTexts()).toEqual(['1', '0', 'CN¥78.00']);
      // keyboard: the chart takes focus and the arrows walk the days, the tooltip reading each
      await chart.locator('svg[role="application"]').focus();
      await page.keyboard.press('ArrowRight');
      await chart.locator('.recharts-tooltip-wrapper').filter({ hasText: /\d{4}-\d{2}-\d{2}/ }).waitFor();
      // the funnel and the top product
      expect(await page.getByRole('table', { name: 'Top products' }).innerText()).toContain('chta teapot');
      await page.getByRole('button', { name: /中文/ }).click();
      await page.getByRole('heading', { level: 2, name: '近 30 天' }).waitFor();
      await page.locator('figure', { hasText: '每日销售额与订单' }).locator('.recharts-bar-rectangle').first().waitFor();
    });
  });

  it('when a visitor opens a product page, then the view is counted and what was bought with it is offered', async () => {
    const views = async () => (await call<ShopAnalytics>('GET', `/shops/${b.shopId}/analytics`, { token: b.tokens })).body.funnel.views;
    const before = await views();
    await withPage(browser, 'bought together', async (page) => {
      await page.goto(`${WEB}/en/products/${b.productId}`);
      const related = page.getByRole('region', { name: 'Often bought together' });
      await related.getByRole('link', { name: 'chta teapot' }).waitFor();
    });
    await eventually('the view counted', views, (n) => n === before + 1, 10_000);
  });
});
