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
 * payment exists, and the shopper presses it (the page is read again until then); or checkout's
 * admission control turns the order away ("Many orders are being placed right now … try again in a
 * few seconds"), and the shopper presses "Place order" again (the page keeps the same key).
 */
export async function onToPayment(page: Page, ms = 90_000): Promise<void> {
  const deadline = Date.now() + ms;
  const order = /\/orders\/[0-9a-f-]{36}$/;
  while (!PROVIDER_PAGE.test(page.url())) {
    if (Date.now() > deadline) throw new Error(`not on the provider's page ${ms} ms after Place order (at ${page.url()})`);
    if (order.test(new URL(page.url()).pathname)) {
      const pay = page.getByRole('link', { name: 'Pay now' });
      if (await pay.count()) {
        await pay.first().click();
        await page.waitForURL(PROVIDER_PAGE, { timeout: Math.max(1000, deadline - Date.now()) });
        continue;
      }
      await page.waitForTimeout(2000);
      if (!PROVIDER_PAGE.test(page.url())) await page.reload();
      continue;
    }
    const busy = page.getByText('Many orders are being placed right now');
    if (await busy.count()) {
      await page.waitForTimeout(2000);
      await page.getByRole('button', { name: 'Place order' }).click();
    }
    await page.waitForURL((url) => PROVIDER_PAGE.test(url.href) || order.test(url.pathname), { timeout: 5000 }).catch(() => undefined);
  }
}
