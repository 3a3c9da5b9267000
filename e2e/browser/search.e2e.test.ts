import type { Browser } from 'playwright-core';
import type { SearchResult } from '@emporium/contracts';
import { call, e2ePeople, eventually } from '@emporium/devkit/client';
import { CJK, launchBrowser, WEB, withPage } from './browser';

/**
 * Search in a real browser (issue #15): the header's box suggests product
 * names as the shopper types (keyboard only), the results page narrows by a
 * facet and sorts, every choice kept in the address, in both languages.
 */
describe('storefront search in Chromium', () => {
  const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`;
  const { admin: platformAdmin, shopSelling } = e2ePeople(run);
  const tag = `bx${run}`;
  let browser: Browser;
  let pot: Awaited<ReturnType<ReturnType<typeof e2ePeople>['shopSelling']>>;
  let cup: typeof pot;

  beforeAll(async () => {
    browser = await launchBrowser();
    const admin = await platformAdmin();
    [pot, cup] = await Promise.all([
      shopSelling('bsrpot', admin, 26_800, 3, { name: { 'zh-CN': `青瓷茶壶 ${tag}`, en: `Celadon teapot ${tag}` }, brand: '龙泉' }),
      shopSelling('bsrcup', admin, 4_800, 3, { name: { 'zh-CN': `青瓷茶杯 ${tag}`, en: `Celadon cup ${tag}` }, brand: '龙泉' }),
    ]);
    await eventually('both indexed', async () => (await call<SearchResult>('GET', `/search?q=${tag}`)).body, (r) => r.total === 2, 15_000);
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('when a shopper types in the header, then suggestions appear and the keyboard opens one', async () => {
    await withPage(
      browser,
      'search suggestions',
      async (page) => {
        await page.goto(`${WEB}/zh-CN`);
        const box = page.getByRole('combobox', { name: '搜索商品' });
        await box.fill(`${tag} qingcichah`);
        const list = page.getByRole('listbox', { name: '搜索建议' });
        await list.getByRole('option').first().waitFor();
        expect(await list.getByRole('option').allInnerTexts()).toEqual([`青瓷茶壶 ${tag}`]);
        // the matched characters are marked
        expect(await list.locator('mark').allInnerTexts()).toContain('青瓷茶壶');
        await box.press('ArrowDown');
        expect(await box.getAttribute('aria-activedescendant')).toBeTruthy();
        await box.press('Enter');
        await page.waitForURL(`${WEB}/zh-CN/products/${pot.productId}`);
      },
      { locale: 'zh-CN' },
    );
  });

  it('when a shopper searches, narrows by shop and sorts by price, then the address keeps every choice, in both languages', async () => {
    await withPage(browser, 'search results', async (page) => {
      await page.goto(`${WEB}/en`);
      await page.getByRole('combobox', { name: 'Search products' }).fill(`celadon ${tag}`);
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      await page.waitForURL((url) => url.pathname === '/en/search' && url.searchParams.get('q') === `celadon ${tag}`);
      await page.getByRole('heading', { level: 1, name: `Results for “celadon ${tag}”` }).waitFor();
      const results = page.getByRole('list', { name: 'Results' });
      expect(await results.getByRole('link').allInnerTexts()).toHaveLength(2);

      // sort: most expensive first
      await page.getByLabel('Sort by').selectOption('price_desc');
      await page.getByRole('button', { name: 'Apply' }).click();
      await page.waitForURL((url) => url.searchParams.get('sort') === 'price_desc' && url.searchParams.get('q') === `celadon ${tag}`);
      expect(await results.getByRole('link').allInnerTexts()).toEqual([`Celadon teapot ${tag}`, `Celadon cup ${tag}`]);

      // a facet: the cup's shop, with its count; the query and the sort stay
      const shops = page.getByRole('navigation', { name: 'Shop' });
      await shops.getByRole('link', { name: /bsrcup/ }).click();
      await page.waitForURL((url) => url.searchParams.get('shop') === cup.shopId && url.searchParams.get('sort') === 'price_desc');
      await page.getByRole('status').filter({ hasText: '1 result' }).waitFor();
      expect(await results.getByRole('link').allInnerTexts()).toEqual([`Celadon cup ${tag}`]);
      expect(await shops.getByRole('link', { name: /bsrcup/ }).getAttribute('aria-current')).toBe('true');

      // the same page in Chinese, from the same address
      await page.getByRole('button', { name: /中文/ }).click();
      await page.waitForURL((url) => url.pathname === '/zh-CN/search' && url.searchParams.get('shop') === cup.shopId);
      await page.getByRole('heading', { level: 1, name: `“celadon ${tag}”的搜索结果` }).waitFor();
      expect(await page.getByRole('list', { name: '搜索结果' }).getByRole('link').allInnerTexts()).toEqual([`青瓷茶杯 ${tag}`]);
      expect(await page.getByLabel('排序').inputValue()).toBe('price_desc');
      // and back: nothing Chinese on the English page but the results' own names
      await page.getByRole('button', { name: /English/ }).click();
      await page.waitForURL((url) => url.pathname === '/en/search');
      const english = (await page.locator('body').innerText()).replace('中文', '');
      expect(english).not.toMatch(CJK);
    });
  });
});
