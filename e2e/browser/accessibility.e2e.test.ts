import { readFileSync } from 'node:fs';
import type { Browser, Locator, Page } from 'playwright-core';
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
 * pages are opened at a phone's size, where none may scroll sideways. And a
 * keyboard user goes through sign-in, the product page and the SKU editor
 * with Tab, Space and Enter alone.
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

  /** Presses Tab until `target` has the focus: the page's focus order reaches it. */
  async function tabTo(page: Page, target: Locator, what: string, most = 60) {
    for (let i = 0; i < most; i++) {
      await page.keyboard.press('Tab');
      if (await target.evaluate((el: unknown) => el === (globalThis as unknown as { document: { activeElement: unknown } }).document.activeElement)) return;
    }
    throw new Error(`Tab never reached ${what}`);
  }

  it('when a keyboard user signs in, adds a product to the cart and starts a product in the seller portal, then no step needs a mouse', async () => {
    await withPage(browser, 'keyboard only', async (page) => {
      await page.goto(`${WEB}/en/login`);
      await tabTo(page, page.getByLabel('E-mail or phone number'), 'the login field');
      await page.keyboard.type(pages.merchantEmail);
      await tabTo(page, page.getByLabel('Password'), 'the password field');
      await page.keyboard.type(pages.password);
      await page.keyboard.press('Enter');
      await page.waitForURL(`${WEB}/en/account`);

      await page.goto(`${WEB}/en${pages.productPath}`);
      await tabTo(page, page.getByRole('radio', { name: 'red' }), 'the colour');
      await page.keyboard.press('Space');
      await tabTo(page, page.getByLabel('Quantity'), 'the quantity');
      await page.keyboard.press('Control+A');
      await page.keyboard.type('2');
      await tabTo(page, page.getByRole('button', { name: 'Add to cart' }), 'Add to cart');
      await page.keyboard.press('Enter');
      await page.getByRole('status').getByText('Added to your cart.').waitFor();

      await page.goto(`${WEB}/en${pages.newProductPath}`);
      await tabTo(page, page.getByRole('checkbox', { name: 'red', exact: true }), 'a spec value');
      await page.keyboard.press('Space');
      expect(await page.locator('.product-form tbody th').allInnerTexts()).toEqual(['red']);
      await tabTo(page, page.getByLabel('Price (CNY), red'), 'the SKU price');
      await page.keyboard.type('88');
      expect(await page.getByLabel('Price (CNY), red').inputValue()).toBe('88');
    });
  });

  // the merchant's pages in three parts (some seventy page loads with axe in all): each well inside
  // the test timeout on a busy machine, and a failure names its part
  const mine = (p: string) => /^\/(account|orders)/.test(p);
  it('when a merchant opens the storefront, then no page has a serious accessibility fault', async () => {
    await withPage(browser, 'a11y merchant storefront', async (page) => {
      await pages.signIn(page, 'merchant');
      expect(await violations(page, pages.merchantPaths.filter((p) => !p.startsWith('/seller') && !mine(p)))).toEqual([]);
    }, PHONE);
  });

  it('when a merchant opens their account and orders, then no page has a serious accessibility fault', async () => {
    await withPage(browser, 'a11y merchant account', async (page) => {
      await pages.signIn(page, 'merchant');
      expect(await violations(page, pages.merchantPaths.filter(mine))).toEqual([]);
    }, PHONE);
  });

  it('when a merchant opens the seller portal, then no page has a serious accessibility fault', async () => {
    await withPage(browser, 'a11y merchant portal', async (page) => {
      await pages.signIn(page, 'merchant');
      expect(await violations(page, pages.merchantPaths.filter((p) => p.startsWith('/seller')))).toEqual([]);
    }, PHONE);
  });

  it('when an admin opens the console, then no page has a serious accessibility fault', async () => {
    await withPage(browser, 'a11y admin', async (page) => {
      await pages.signIn(page, 'admin');
      expect(await violations(page, pages.adminPaths)).toEqual([]);
    }, PHONE);
  });

  it('when a signed-out visitor signs in, browses and opens the guest cart, then no page has a serious accessibility fault', async () => {
    await withPage(browser, 'a11y visitor', async (page) => {
      expect(await violations(page, pages.visitorPaths)).toEqual([]);
    }, PHONE);
  });
});
