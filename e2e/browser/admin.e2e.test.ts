import type { Browser } from 'playwright-core';
import type { Shop } from '@emporium/contracts';
import { call, e2ePeople, eventually } from '../api-client';
import { launchBrowser, WEB, withPage } from './browser';

/**
 * The admin console in the browser (issue #5): only a platform admin gets in;
 * the platform summary; a merchant's application approved from the queue
 * (a rejection needs its reason).
 */
describe('admin console in Chromium', () => {
  const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`;
  const { admin: platformAdmin, register, email, password, text } = e2ePeople(run);
  let browser: Browser;
  let shopId: string;

  beforeAll(async () => {
    browser = await launchBrowser();
    await platformAdmin();
    const merchant = await register('applicant');
    const applied = await call<Shop>('POST', '/shops', {
      token: merchant.tokens,
      idempotent: true,
      body: {
        name: text(`Blue kiln ${run}`),
        description: text('Porcelain from Jingdezhen'),
        contactEmail: email('applicant'),
        contactPhone: '+8613800138000',
        settlementAccount: { accountName: 'Blue kiln', bankName: 'ICBC', accountNumber: '6222021234567890' },
      },
    });
    expect(applied.status).toBe(201);
    shopId = applied.body.id;
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('when an admin signs in, then the summary shows and an application is approved from the queue', async () => {
    await withPage(browser, 'admin approves', async (page) => {
      await page.goto(`${WEB}/en/admin`);
      await page.waitForURL(/\/en\/login\?next=%2Fadmin/);
      await page.getByLabel('E-mail or phone number').fill(email('admin'));
      await page.getByLabel('Password').fill(password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(`${WEB}/en/admin`);
      const summary = page.locator('dl[aria-label="Platform summary"]');
      expect(await summary.innerText()).toMatch(/Shops\s+\d+ \(\d+ waiting\)/);

      await page.getByRole('link', { name: 'Review shop applications' }).click();
      const application = page.getByRole('article', { name: `Blue kiln ${run}` });
      await application.waitFor();
      await application.getByRole('button', { name: 'Reject' }).click();
      await page.getByRole('alert').getByText('Say why the application is rejected').waitFor();
      await page.getByRole('article', { name: `Blue kiln ${run}` }).getByRole('button', { name: 'Approve' }).click();
      await page.getByRole('article', { name: `Blue kiln ${run}` }).waitFor({ state: 'detached' });
    });
    const admin = await platformAdmin();
    await eventually('approved', async () => (await call<{ items: Shop[] }>('GET', '/admin/shops', { token: admin, query: { status: 'approved' } })).body.items.some((s) => s.id === shopId), Boolean);
  });

  it('when someone who is not an admin opens the console, then they are asked to sign in', async () => {
    const shopper = await register('curious');
    await withPage(browser, 'admin refused', async (page) => {
      await page.goto(`${WEB}/en/login`);
      await page.getByLabel('E-mail or phone number').fill(shopper.user.email!);
      await page.getByLabel('Password').fill(password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(`${WEB}/en/account`);
      await page.goto(`${WEB}/en/admin`);
      await page.waitForURL(/\/en\/login\?next=%2Fadmin/);
      expect(await page.getByRole('link', { name: 'Admin' }).count()).toBe(0);
    });
  });
});
