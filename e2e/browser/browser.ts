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
