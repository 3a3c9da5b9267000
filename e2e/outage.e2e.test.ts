import type { Browser } from 'playwright-core';
import { e2ePeople } from '@emporium/devkit/client';
import { launchBrowser, WEB, withPage } from './browser/browser';
import { control, leaveRunning } from './control';

/**
 * Issue 17: a page whose service is away says so plainly, never an error
 * stack, and comes back by itself once the service is up again. The runner's
 * control port kills order with its sidecar, as `npm run platform -- kill
 * order` would; this suite runs alone (scripts/test.mjs ALONE).
 */

describe('web while a service is away', () => {
  const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`;
  const { register, email, password } = e2ePeople(run);
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await leaveRunning('order');
    await browser?.close();
  });

  it('when order is down, then the orders page says it is busy (no stack, no bare error), and once order is back the page shows the orders by itself', async () => {
    await register('outage-buyer');
    await withPage(browser, 'outage', async (page) => {
      await page.goto(`${WEB}/en/login?next=${encodeURIComponent('/orders')}`);
      await page.getByLabel('E-mail or phone number').fill(email('outage-buyer'));
      await page.getByLabel('Password').fill(password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(`${WEB}/en/orders`);
      await page.getByRole('heading', { name: 'My orders' }).waitFor();

      await control('order', 'kill');
      try {
        await page.goto(`${WEB}/en/orders`);
        const alert = page.getByRole('alert');
        await alert.getByRole('heading', { name: 'Busy for a moment' }).waitFor();
        const text = await page.locator('main').innerText();
        expect(text).toContain('tries again by itself');
        expect(text).not.toMatch(/Error:|\bat \S+ \(|answered 5\d\d|ERR_/);
      } finally {
        await control('order', 'start');
      }
      // nobody presses anything: the page renders itself again until order answers
      await page.getByRole('heading', { name: 'My orders' }).waitFor({ timeout: 60_000 });
      expect(await page.getByText('No orders yet.').count()).toBe(1);
    });
  }, 120_000);
});
