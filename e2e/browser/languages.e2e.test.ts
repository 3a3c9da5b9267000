import type { Browser, Page } from 'playwright-core';
import { CJK, launchBrowser, WEB, withPage } from './browser';
import { tour } from './tour';

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
  const ENDONYMS = ['简体中文', '中文', 'English'];
  let browser: Browser;
  let pages: Awaited<ReturnType<typeof tour>>;

  beforeAll(async () => {
    browser = await launchBrowser();
    pages = await tour(run);
  });
  afterAll(async () => {
    await browser?.close();
  });

  const visibleLines = async (page: Page) => {
    // what the page marks translate="no" (names people gave, in one language) is data, not interface
    await page.evaluate("document.querySelectorAll('[translate=no]').forEach((e) => { e.style.display = 'none'; })");
    return (await page.locator('body').innerText()).split('\n').map((l) => l.trim()).filter(Boolean);
  };

  /**
   * For each path, what is wrong: Chinese on the English page, lines that did
   * not change language, or a switch that left the page (path and query).
   */
  async function untranslated(page: Page, paths: string[]): Promise<Record<string, string[]>> {
    const found: Record<string, string[]> = {};
    for (const path of paths) {
      const res = await page.goto(`${WEB}/en${path}`);
      expect(res?.status()).toBeLessThan(500);
      const en = await visibleLines(page);
      // through the switcher, as a visitor would
      await page.getByRole('button', { name: /中文/ }).click();
      await page.locator('html[lang="zh-CN"]').waitFor({ state: 'attached' });
      await page.waitForLoadState('networkidle');
      const where = new URL(page.url());
      const stayed = `${where.pathname}${where.search}` === `/zh-CN${path === '/' ? '' : path}`;
      const zh = new Set(await visibleLines(page));
      const data = (l: string) => l.includes(run) || l.includes('@') || !/[A-Za-z]{2}/.test(l) || ENDONYMS.includes(l);
      const problems = [
        ...(stayed ? [] : [`the switch went to ${where.pathname}${where.search}`]),
        ...en.filter((l) => CJK.test(ENDONYMS.reduce((s, n) => s.replace(n, ''), l))).map((l) => `Chinese on the English page: ${l}`),
        ...en.filter((l) => zh.has(l) && !data(l)).map((l) => `the same in both languages: ${l}`),
      ];
      if (problems.length) found[path] = problems;
    }
    return found;
  }

  it('when a merchant and buyer walks the storefront, the account, the orders and the seller portal in both languages, then every string changes', async () => {
    await withPage(browser, 'languages merchant', async (page) => {
      await pages.signIn(page, 'merchant');
      expect(await untranslated(page, pages.merchantPaths)).toEqual({});
    });
  });

  it('when an admin walks the console in both languages, then every string changes', async () => {
    await withPage(browser, 'languages admin', async (page) => {
      await pages.signIn(page, 'admin');
      expect(await untranslated(page, pages.adminPaths)).toEqual({});
    });
  });

  it('when a visitor is signed out, then the sign-in page, browsing and the guest cart change language too', async () => {
    await withPage(browser, 'languages visitor', async (page) => {
      expect(await untranslated(page, pages.visitorPaths)).toEqual({});
    });
  });
});
