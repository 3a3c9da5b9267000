import type { Browser } from 'playwright-core';
import { e2ePeople } from '@emporium/devkit/client';
import { launchBrowser, WEB, withPage } from './browser';

/**
 * Sessions in the browser (issue #5): pages that need a person send the
 * visitor to sign in and back; identity's tokens live in httpOnly, SameSite
 * cookies that scripts cannot read; a spent access token is refreshed on the
 * way to the page without the shopper noticing; signing out ends it all.
 */
describe('signing in and out in Chromium', () => {
  const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`;
  const { register, email, password } = e2ePeople(run);
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('when a shopper signs in, then the session is in httpOnly cookies, refreshes itself, and signing out ends it', async () => {
    await register('browser-shopper');
    await withPage(browser, 'session', async (page) => {
      await page.goto(`${WEB}/en/account`);
      await page.waitForURL(`${WEB}/en/login?next=%2Faccount`);

      // a wrong password: said plainly, and nothing is kept
      await page.getByLabel('E-mail or phone number').fill(email('browser-shopper'));
      await page.getByLabel('Password').fill('not the password');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('alert').getByText('do not match').waitFor();
      // the session's cookies, that is: the visitor id analytics counts views by is there from the first page
      const session = async () => (await page.context().cookies()).filter((c) => c.name !== 'emporium_vid');
      expect(await session()).toEqual([]);
      const visitor = (await page.context().cookies()).find((c) => c.name === 'emporium_vid');
      expect([visitor?.httpOnly, visitor?.sameSite, /^[0-9a-f]{32}$/.test(visitor?.value ?? '')]).toEqual([true, 'Lax', true]);

      await page.getByLabel('Password').fill(password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(`${WEB}/en/account`);
      expect(await page.getByLabel('Name', { exact: true }).inputValue()).toBe('browser-shopper');
      const cookies = await session();
      expect(cookies.map((c) => [c.name, c.httpOnly, c.sameSite]).sort()).toEqual([
        ['emporium_at', true, 'Lax'],
        ['emporium_rt', true, 'Lax'],
      ]);
      expect(await page.evaluate<string>('document.cookie')).not.toContain('emporium_');

      // the access token is spent: the next page load refreshes it on the way
      const before = cookies.find((c) => c.name === 'emporium_rt')!.value;
      await page.context().addCookies([{ name: 'emporium_at', value: 'spent.token.value', url: WEB, httpOnly: true, sameSite: 'Lax' }]);
      await page.reload();
      expect(await page.getByLabel('Name', { exact: true }).inputValue()).toBe('browser-shopper');
      const after = await page.context().cookies();
      expect(after.find((c) => c.name === 'emporium_at')!.value).not.toBe('spent.token.value');
      expect(after.find((c) => c.name === 'emporium_rt')!.value).not.toBe(before);

      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.waitForURL(`${WEB}/en`);
      await page.getByRole('link', { name: 'Sign in' }).waitFor();
      expect(await session()).toEqual([]);
      await page.goto(`${WEB}/en/account`);
      await page.waitForURL(/\/en\/login/);
    });
  });
});
