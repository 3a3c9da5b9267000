import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';

/**
 * Debian's Chromium driven by playwright-core, headless, as the issue
 * prescribes. A failing step leaves a screenshot in .emporium/screenshots/
 * (ignored by git) named after the test.
 */
export const WEB = process.env.EMPORIUM_WEB_URL ?? 'http://127.0.0.1:3000';
const SCREENSHOTS = join(__dirname, '..', '..', '.emporium', 'screenshots');

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Runs `fn` on a fresh page; on failure, keeps a full-page screenshot and rethrows. */
export async function withPage(browser: Browser, name: string, fn: (page: Page) => Promise<void>, options: BrowserContextOptions = {}): Promise<void> {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  try {
    await fn(page);
  } catch (err) {
    mkdirSync(SCREENSHOTS, { recursive: true });
    const file = join(SCREENSHOTS, `${name.replace(/[^a-z0-9-]+/gi, '-').slice(0, 80)}.png`);
    await page.screenshot({ path: file, fullPage: true }).catch(() => undefined);
    throw Object.assign(err as Error, { message: `${(err as Error).message}\n(screenshot: ${file})` });
  } finally {
    await context.close();
  }
}

/** Characters of Chinese script: none may show on an English page. */
export const CJK = /[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]/;

const PROVIDER_PAGE = /127\.0\.0\.1:3190\/pay\//;

/**
 * After "Place order": on to the provider's payment page as a shopper gets there. Checkout sends
 * the shopper there once the order has its payment (it waits up to about 13 s for it); on a busy
 * machine it may land on the new order's own page instead, which offers "Pay now" as soon as the
 * payment exists, and the shopper presses it (the page is read again until then).
 */
export async function onToPayment(page: Page, ms = 45_000): Promise<void> {
  const deadline = Date.now() + ms;
  await page.waitForURL((url) => PROVIDER_PAGE.test(url.href) || /\/orders\/[0-9a-f-]{36}$/.test(url.pathname), { timeout: ms });
  while (!PROVIDER_PAGE.test(page.url())) {
    const pay = page.getByRole('link', { name: 'Pay now' });
    if (await pay.count()) await pay.first().click();
    else if (Date.now() > deadline) throw new Error(`the order page offered no "Pay now" in ${ms} ms`);
    else {
      await page.waitForTimeout(2000);
      if (!PROVIDER_PAGE.test(page.url())) await page.reload();
      continue;
    }
    await page.waitForURL(PROVIDER_PAGE, { timeout: Math.max(1000, deadline - Date.now()) });
  }
}
