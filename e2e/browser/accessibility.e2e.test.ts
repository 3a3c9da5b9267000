import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, WEB, withPage } from './browser';
import { tour } from './tour';

const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

interface AxeResult {
  violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[];
}

/**
 * Every page checked by axe-core (Deque's accessibility engine) for the
 * WCAG 2.1 A and AA rules: labels, names, alt text, landmarks, contrast,
 * heading order and the rest (issue #5: usable with a screen reader).
 * Any serious or critical violation fails, named with where it is. The
 * pages are opened at a phone's size, where none may scroll sideways.
 */
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
describe('accessibility of every page', () => {
  const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`;
  let browser: Browser;
  let pages: Awaited<ReturnType<typeof tour>>;

  beforeAll(async () => {
    browser = await launchBrowser();
    pages = await tour(run);
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function violations(page: Page, paths: string[]): Promise<string[]> {
    const found: string[] = [];
    for (const path of paths) {
      for (const locale of ['en', 'zh-CN']) {
        await page.goto(`${WEB}/${locale}${path}`);
        await page.evaluate(AXE);
        const result = await page.evaluate<AxeResult>("axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })");
        for (const v of result.violations.filter((x) => x.impact === 'serious' || x.impact === 'critical')) {
          found.push(`${locale}${path}: ${v.id} (${v.help}) at ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`);
        }
        // on a phone, the page itself never scrolls sideways (wide tables scroll inside their box)
        const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
        if (overflow > 0) found.push(`${locale}${path}: ${overflow}px wider than a phone's screen`);
      }
    }
    return found;
  }

  it('when a merchant opens the storefront, account, orders and seller portal, then no page has a serious accessibility fault', async () => {
    await withPage(browser, 'a11y merchant', async (page) => {
      await pages.signIn(page, 'merchant');
      expect(await violations(page, pages.merchantPaths)).toEqual([]);
    }, PHONE);
  });

  it('when an admin opens the console, then no page has a serious accessibility fault', async () => {
    await withPage(browser, 'a11y admin', async (page) => {
      await pages.signIn(page, 'admin');
      expect(await violations(page, pages.adminPaths)).toEqual([]);
    }, PHONE);
  });

  it('when a visitor opens the pages that need no session, then none has a serious accessibility fault', async () => {
    await withPage(browser, 'a11y visitor', async (page) => {
      expect(await violations(page, pages.visitorPaths)).toEqual([]);
    }, PHONE);
  });
});
