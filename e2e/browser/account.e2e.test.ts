import type { Browser, Page } from 'playwright-core';
import { call, e2ePeople } from '@emporium/devkit/client';
import { launchBrowser, WEB, withPage } from './browser';

/**
 * The account pages in the browser (issue #5): the profile, the address
 * book (add, edit, choose the default, remove) and a password change that
 * signs out every other session.
 */
describe('account pages in Chromium', () => {
  const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`;
  const { register, login, email, password } = e2ePeople(run);

  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
    await register('owner');
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function signIn(page: Page, secret: string) {
    await page.goto(`${WEB}/en/login?next=%2Faccount`);
    await page.getByLabel('E-mail or phone number').fill(email('owner'));
    await page.getByLabel('Password').fill(secret);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${WEB}/en/account`);
  }

  it('when a user edits the profile and the address book and changes the password, then each change holds and other sessions end', async () => {
    const elsewhere = await login('owner');
    await withPage(browser, 'account pages', async (page) => {
      await signIn(page, password);
      await page.getByLabel('Name', { exact: true }).fill(`Mei ${run}`);
      await page.getByLabel('Preferred language').selectOption('en');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await page.getByRole('status').getByText('Saved.').waitFor();
      expect(await page.getByLabel('Name', { exact: true }).inputValue()).toBe(`Mei ${run}`);

      await page.getByRole('link', { name: 'Address book' }).click();
      const add = async (recipient: string, street: string) => {
        const form = page.getByRole('form', { name: 'Where should it go?' });
        for (const [label, value] of Object.entries({ Recipient: recipient, Phone: '+8613800138000', Province: 'Shanghai', City: 'Shanghai', District: 'Xuhui', 'Street and number': street })) {
          await form.getByLabel(label, { exact: true }).fill(value);
        }
        return form;
      };
      const home = await add('Mei', '8 Hengshan Road');
      await home.getByLabel('Postal code (optional)').fill('2000');
      await home.getByRole('button', { name: 'Save address' }).click();
      await page.getByRole('alert').getByText(/^Postal code \(optional\): /).waitFor();
      await page.getByRole('form', { name: 'Where should it go?' }).getByLabel('Postal code (optional)').fill('200031');
      await page.getByRole('form', { name: 'Where should it go?' }).getByRole('button', { name: 'Save address' }).click();
      await page.getByRole('article', { name: 'Mei, 8 Hengshan Road' }).getByText('(Default)').waitFor();
      await (await add('Mei at work', '1 Lujiazui Ring Road')).getByRole('button', { name: 'Save address' }).click();
      const work = page.getByRole('article', { name: 'Mei at work, 1 Lujiazui Ring Road' });
      await work.waitFor();

      // the office becomes the default after a change of street
      await work.getByText('Change the address for Mei at work').click();
      await work.getByLabel('Street and number').fill('2 Lujiazui Ring Road');
      await work.getByLabel('Use as the default address').check();
      await work.getByRole('button', { name: 'Save address' }).click();
      await page.getByRole('article', { name: 'Mei at work, 2 Lujiazui Ring Road' }).getByText('(Default)').waitFor();
      expect(await page.getByRole('article', { name: 'Mei, 8 Hengshan Road' }).getByText('(Default)').count()).toBe(0);
      await page.getByRole('button', { name: 'Remove: Mei, 8 Hengshan Road' }).click();
      await page.getByRole('article', { name: 'Mei, 8 Hengshan Road' }).waitFor({ state: 'detached' });

      await page.goto(`${WEB}/en/account/password`);
      await page.getByLabel('Current password').fill('not my password at all');
      await page.getByLabel('New password (at least 10 characters)').fill('a brand new passphrase');
      await page.getByLabel('New password again').fill('a brand new passphrase');
      await page.getByRole('button', { name: 'Change password' }).click();
      await page.getByRole('alert').getByText(/^Current password: /).waitFor();
      await page.getByLabel('Current password').fill(password);
      await page.getByLabel('New password (at least 10 characters)').fill('a brand new passphrase');
      await page.getByLabel('New password again').fill('a brand new passphrase');
      await page.getByRole('button', { name: 'Change password' }).click();
      await page.getByRole('status').getByText('Every other device has been signed out').waitFor();
      // this session carries on with the new pair
      await page.goto(`${WEB}/en/account`);
      expect(await page.getByLabel('Name', { exact: true }).inputValue()).toBe(`Mei ${run}`);
    });
    expect((await call('POST', '/auth/refresh', { body: { refreshToken: elsewhere.refreshToken } })).status).toBe(401);
    await withPage(browser, 'new password', async (page) => {
      await signIn(page, 'a brand new passphrase');
    });
  });
});
