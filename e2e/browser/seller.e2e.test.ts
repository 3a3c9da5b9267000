import type { Browser, Page } from 'playwright-core';
import { call, e2ePeople } from '@emporium/devkit/client';
import { launchBrowser, WEB, withPage } from './browser';

/** A 1×1 PNG, as a merchant's product photo. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

async function signIn(page: Page, login: string, password: string, next: string) {
  await page.goto(`${WEB}/en/login?next=${encodeURIComponent(next)}`);
  await page.getByLabel('E-mail or phone number').fill(login);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${WEB}/en${next}`);
}

/**
 * The seller portal in the browser (issue #5, second scenario): a merchant
 * applies, an admin approves the application in the console, the merchant
 * adds a product whose spec matrix generates its SKU table, stocks and
 * publishes it, and shoppers find it in the storefront.
 */
describe('seller portal in Chromium', () => {
  const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`;
  const { admin: platformAdmin, register, email, password, text } = e2ePeople(run);
  let browser: Browser;
  let categoryId: string;

  beforeAll(async () => {
    browser = await launchBrowser();
    const admin = await platformAdmin();
    const category = await call<{ id: string }>('POST', '/admin/categories', { token: admin, idempotent: true, body: { slug: `scarves-${run}`, name: text(`Scarves ${run}`) } });
    categoryId = category.body.id;
    await call('PUT', `/admin/categories/${categoryId}/spec-template`, {
      token: admin,
      body: {
        specs: [
          { key: 'colour', name: text('Colour'), values: ['red', 'blue', 'green'].map((k) => ({ key: k, name: { 'zh-CN': `${k}色`, en: k } })) },
          { key: 'size', name: text('Size'), values: ['s', 'm'].map((k) => ({ key: k, name: { 'zh-CN': `${k}码`, en: k.toUpperCase() } })) },
        ],
      },
    });
    await register('weaver');
    await register('helper');
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('when a merchant applies, an admin approves and the merchant adds a spec-matrix product, then shoppers find it', async () => {
    const shopName = `Silk road ${run}`;
    await withPage(browser, 'seller applies', async (page) => {
      await signIn(page, email('weaver'), password, '/seller');
      await page.getByRole('heading', { name: 'Apply to open a shop' }).waitFor();
      // a wrong field is named, and what was typed stays
      await page.getByLabel('Shop name (Chinese)').fill(`丝路 ${run}`);
      await page.getByLabel('Shop name (English)').fill(shopName);
      await page.getByLabel('About the shop (Chinese)').fill('手工丝巾');
      await page.getByLabel('About the shop (English)').fill('Hand-woven silk scarves');
      await page.getByLabel('Contact email').fill(email('weaver'));
      await page.getByLabel('Contact phone').fill('+8613800138000');
      await page.getByLabel('Account holder').fill('Silk road');
      await page.getByLabel('Bank', { exact: true }).fill('ICBC');
      await page.getByLabel('Account number (digits)').fill('12-34');
      await page.getByRole('button', { name: 'Send application' }).click();
      await page.getByRole('alert').getByText('Account number (digits)').waitFor();
      expect(await page.getByLabel('Shop name (English)').inputValue()).toBe(shopName);
      await page.getByLabel('Account number (digits)').fill('6222021234567890');
      await page.getByRole('button', { name: 'Send application' }).click();
      await page.getByText('Under review').waitFor();

      // meanwhile, in another browser, the admin approves
      await withPage(browser, 'admin approves the seller', async (admin) => {
        await signIn(admin, email('admin'), password, '/admin/shops');
        await admin.getByRole('article', { name: shopName }).getByRole('button', { name: 'Approve' }).click();
        await admin.getByRole('article', { name: shopName }).waitFor({ state: 'detached' });
      });

      // still signed in from before the approval, the merchant follows the site's link: the new role reaches
      // the session on the way (identity grants it from an event, so it may take a second try)
      await page.getByRole('link', { name: 'Sell' }).click();
      const dashboard = page.getByRole('navigation', { name: 'Seller centre' });
      for (let i = 0; i < 20 && !(await dashboard.isVisible()); i++) {
        const again = page.getByRole('link', { name: 'Try again' });
        if (await again.isVisible()) await again.click();
        else await page.waitForTimeout(250);
      }
      await page.getByRole('definition').first().waitFor();
      expect(await page.locator('dl[aria-label="Today"]').innerText()).toMatch(/Orders today\s+0/);

      await dashboard.getByRole('link', { name: 'Products' }).click();
      await page.getByRole('link', { name: 'New product' }).click();
      await page.getByLabel('Category', { exact: true }).selectOption(categoryId);
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.getByLabel('Name (zh-CN)').fill(`真丝围巾 ${run}`);
      await page.getByLabel('Name (en)').fill(`Silk scarf ${run}`);
      await page.getByLabel('Description (zh-CN)').fill('桑蚕丝');
      await page.getByLabel('Description (en)').fill('Mulberry silk');
      await page.getByLabel('Brand').fill('Silk road');
      // two colours × two sizes: the table grows to four rows
      for (const value of ['red', 'blue', 'S', 'M']) await page.getByRole('checkbox', { name: value, exact: true }).check();
      const rows = page.locator('.product-form tbody tr');
      expect(await rows.count()).toBe(4);
      expect(await rows.locator('th').allInnerTexts()).toEqual(['red / S', 'red / M', 'blue / S', 'blue / M']);
      await page.getByLabel('Price for every SKU (CNY)').fill('128');
      await page.getByRole('button', { name: 'Apply to all' }).click();
      await page.getByLabel('Price (CNY), blue / M').fill('138.50');
      for (const [i, combo] of ['red / S', 'red / M', 'blue / S', 'blue / M'].entries()) {
        await page.getByLabel(`Barcode, ${combo}`).fill(`SR${run}${i}`);
        await page.getByLabel(`Weight (g), ${combo}`).fill('80');
      }
      // a price that is not one is named with its row
      await page.getByLabel('Price (CNY), red / S').fill('12.345');
      await page.getByRole('button', { name: 'Create draft' }).click();
      await page.getByRole('alert').getByText('SKU 1 (red / S) Price').waitFor();
      await page.getByLabel('Price (CNY), red / S').fill('128');
      await page.getByRole('button', { name: 'Create draft' }).click();
      await page.getByText('Saved.').waitFor();
      await page.getByRole('heading', { level: 1, name: `Silk scarf ${run}` }).waitFor();
      expect(await page.getByText('Draft', { exact: true }).count()).toBe(1);

      await page.getByLabel('Image (PNG, JPEG or WebP, up to 2 MiB)').setInputFiles({ name: 'scarf.png', mimeType: 'image/png', buffer: PNG });
      await page.getByRole('button', { name: 'Upload' }).click();
      await page.getByRole('img', { name: `Silk scarf ${run}, picture 1` }).waitFor();

      const stock = page.getByRole('form', { name: 'Stock of blue / M' });
      await stock.getByLabel('Units').fill('7');
      await stock.getByRole('button', { name: 'Save' }).click();
      await page.locator('#stock ~ table tr', { has: page.getByRole('rowheader', { name: 'blue / M' }) }).locator('td').first().getByText('7', { exact: true }).waitFor();

      // quantity prices for blue / M: a price above the SKU's is named, then two tiers hold
      await page.locator('summary', { hasText: 'blue / M' }).click();
      const tiers = page.getByRole('form', { name: 'Quantity prices of blue / M' });
      await tiers.getByLabel('Tier 1: From (units)').fill('10');
      await tiers.getByLabel('Tier 1: Price each (CNY)').fill('150');
      await tiers.getByRole('button', { name: 'Save quantity prices' }).click();
      await page.getByRole('form', { name: 'Quantity prices of blue / M' }).getByRole('alert').getByText(/^Tier 1: Price each \(CNY\): /).waitFor();
      expect(await page.getByRole('form', { name: 'Quantity prices of blue / M' }).getByLabel('Tier 1: From (units)').inputValue()).toBe('10');
      await page.getByRole('form', { name: 'Quantity prices of blue / M' }).getByLabel('Tier 1: Price each (CNY)').fill('128');
      await page.getByRole('form', { name: 'Quantity prices of blue / M' }).getByLabel('Tier 2: From (units)').fill('50');
      await page.getByRole('form', { name: 'Quantity prices of blue / M' }).getByLabel('Tier 2: Price each (CNY)').fill('118');
      await page.getByRole('form', { name: 'Quantity prices of blue / M' }).getByRole('button', { name: 'Save quantity prices' }).click();
      await page.getByText('blue / M · from 10: CN¥128.00, from 50: CN¥118.00').waitFor();

      await page.getByRole('button', { name: 'Put on sale' }).click();
      await page.getByRole('link', { name: 'View in the shop' }).click();
      await page.getByRole('heading', { level: 1, name: `Silk scarf ${run}` }).waitFor();
      const buy = page.locator('.buy');
      await page.getByRole('radio', { name: 'blue' }).check();
      await page.getByRole('radio', { name: 'M' }).check();
      await buy.getByText('CN¥138.50').waitFor();
      await buy.getByText('In stock (7)').waitFor();
      await buy.getByText('From 50: CN¥118.00 each').waitFor();
    });

    await withPage(browser, 'owner invites a helper', async (page) => {
      await signIn(page, email('weaver'), password, '/seller/staff');
      await page.getByLabel('E-mail address').fill(email('helper'));
      await page.getByRole('button', { name: 'Invite' }).click();
      await page.getByText(email('helper')).waitFor();
      // a mistaken address is withdrawn again: its invitation leaves the list
      await page.getByLabel('E-mail address').fill(email('helpr'));
      await page.getByRole('button', { name: 'Invite' }).click();
      await page.getByText(email('helpr')).waitFor();
      await page.getByRole('form', { name: `Withdraw the invitation to ${email('helpr').toLowerCase()}` }).getByRole('button', { name: 'Withdraw' }).click();
      await page.getByText(email('helpr')).waitFor({ state: 'detached' });
      await page.getByText(email('helper')).waitFor();
    });
    await withPage(browser, 'helper joins the shop', async (page) => {
      await signIn(page, email('helper'), password, '/seller');
      await page.getByRole('form', { name: `You are invited to work for ${shopName}.` }).getByRole('button', { name: 'Join' }).click();
      const portal = page.getByRole('navigation', { name: 'Seller centre' });
      for (let i = 0; i < 20 && !(await portal.isVisible()); i++) {
        const again = page.getByRole('link', { name: 'Try again' });
        if (await again.isVisible()) await again.click();
        else await page.waitForTimeout(250);
      }
      await portal.getByRole('link', { name: 'People' }).click();
      // (the dashboard it leaves has tables of its own: wait for the staff page)
      await page.waitForURL((url) => url.pathname.endsWith('/seller/staff'));
      // staff see who works there, not the invitations
      expect(await page.locator('main table').innerText()).toMatch(new RegExp(`${email('helper').replace(/[.]/g, '\\.')}\\s+Staff`));
      expect(await page.getByRole('form', { name: 'Invite' }).count()).toBe(0);
    });

    await withPage(browser, 'owner issues coupons and pauses them', async (page) => {
      await signIn(page, email('weaver'), password, '/seller/coupons');
      await page.getByText('No coupons yet. Issue the first one below.').waitFor();
      const form = page.getByRole('form', { name: 'Issue coupons' });
      await form.getByLabel('Name (Chinese)').fill(`满百减十 ${run}`);
      await form.getByLabel('Name (English)').fill(`Ten off ${run}`);
      await form.getByLabel('Amount off (yuan, for a fixed amount)').fill('10');
      // 满 10 减 10 would make goods free: refused, the field named, what was typed kept
      await form.getByLabel('Spend at least (yuan, optional)').fill('10');
      await form.getByRole('button', { name: 'Issue coupons' }).click();
      await form.getByRole('alert').getByText('a fixed discount must be below the spend threshold').waitFor();
      expect(await form.getByLabel('Name (English)').inputValue()).toBe(`Ten off ${run}`);
      await form.getByLabel('Spend at least (yuan, optional)').fill('100');
      await form.getByRole('button', { name: 'Issue coupons' }).click();
      const row = page.getByRole('row', { name: new RegExp(`Ten off ${run}`) });
      await row.waitFor();
      expect(await row.innerText()).toMatch(/CN¥10\.00 off on CN¥100\.00 or more\s+0 of 100\s+0\s+.+\s+Claimable/);
      await row.getByRole('button', { name: `Pause: Ten off ${run}` }).click();
      await page.getByRole('row', { name: new RegExp(`Ten off ${run}`) }).getByText('Paused').waitFor();
      // a coupon for one product only: none ticked is refused, the scarf ticked is one product
      const scoped = page.getByRole('form', { name: 'Issue coupons' });
      await scoped.getByLabel('Name (Chinese)').fill(`围巾券 ${run}`);
      await scoped.getByLabel('Name (English)').fill(`Scarf only ${run}`);
      await scoped.getByLabel('Amount off (yuan, for a fixed amount)').fill('5');
      await scoped.getByLabel('Spend at least (yuan, optional)').fill('50');
      await scoped.getByRole('radio', { name: 'Only the products ticked below' }).check();
      await scoped.getByRole('button', { name: 'Issue coupons' }).click();
      await scoped.getByRole('alert').getByText(/Products: choose at least one product/).waitFor();
      await scoped.getByRole('radio', { name: 'Only the products ticked below' }).check();
      await scoped.getByRole('checkbox', { name: `Silk scarf ${run}` }).check();
      await scoped.getByRole('button', { name: 'Issue coupons' }).click();
      expect(await page.getByRole('row', { name: new RegExp(`Scarf only ${run}`) }).innerText()).toMatch(/CN¥5\.00 off on CN¥50\.00 or more · 1 product/);
    });

    await withPage(browser, 'shopper finds the product', async (page) => {
      await page.goto(`${WEB}/en/browse?category=${categoryId}`);
      await page.getByRole('link', { name: `Silk scarf ${run}` }).first().waitFor();
    });
  });
});
