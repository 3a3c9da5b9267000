import type { Browser } from 'playwright-core';
import type { MemberLevel, Shop } from '@emporium/contracts';
import { call, e2ePeople, eventually, refreshUntilRole } from '@emporium/devkit/client';
import { launchBrowser, WEB, withPage } from './browser';

/**
 * The admin console in the browser (issue #5): only a platform admin gets in;
 * the platform summary; a merchant's application approved from the queue
 * (a rejection needs its reason).
 */
describe('admin console in Chromium', () => {
  const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`;
  const { admin: platformAdmin, register, shopSelling, email, password, text } = e2ePeople(run);
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
      await page.getByRole('alert').getByText('Give a reason of at least 3 characters').waitFor();
      await page.getByRole('article', { name: `Blue kiln ${run}` }).getByRole('button', { name: 'Approve' }).click();
      await page.getByRole('article', { name: `Blue kiln ${run}` }).waitFor({ state: 'detached' });
    });
    const admin = await platformAdmin();
    await eventually('approved', async () => (await call<{ items: Shop[] }>('GET', '/admin/shops', { token: admin, query: { status: 'approved' } })).body.items.some((s) => s.id === shopId), Boolean);
  });

  it('when an admin rates, suspends and resumes a shop, approves a company with a credit line and adds a category with specs, then each change holds', async () => {
    const admin = await platformAdmin();
    const kettle = await shopSelling('kettle-admin', admin, 4_000, 10);
    const boss = await register('boss');
    const company = await call<{ id: string }>('POST', '/companies', {
      token: boss.tokens,
      idempotent: true,
      body: { name: `Harbour trading ${run}`, taxId: `91${Date.now()}`.slice(0, 18), contactEmail: email('boss'), address: '1 Century Avenue, Shanghai' },
    });
    expect(company.status).toBe(201);
    await withPage(browser, 'admin console', async (page) => {
      await page.goto(`${WEB}/en/login?next=${encodeURIComponent('/admin/shops?status=approved')}`);
      await page.getByLabel('E-mail or phone number').fill(email('admin'));
      await page.getByLabel('Password').fill(password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      const shop = page.getByRole('article', { name: `Blue kiln ${run}` });
      await shop.waitFor();
      // commission as a percentage: 7.5 % is 750 basis points; 60 % is refused
      await shop.getByLabel('Commission (%)').fill('60');
      await shop.getByRole('button', { name: 'Set rate' }).click();
      await page.getByRole('article', { name: `Blue kiln ${run}` }).getByRole('alert').getByText('from 0 to 50').waitFor();
      await page.getByRole('article', { name: `Blue kiln ${run}` }).getByLabel('Commission (%)').fill('7.5');
      await page.getByRole('article', { name: `Blue kiln ${run}` }).getByRole('button', { name: 'Set rate' }).click();
      await page.getByRole('article', { name: `Blue kiln ${run}` }).getByText('commission 7.50 %').waitFor();
      // suspending needs a reason, then the shop is in the suspended list until resumed
      await page.getByRole('article', { name: `Blue kiln ${run}` }).getByLabel('Reason for suspending').fill('Counterfeit goods reported');
      await page.getByRole('article', { name: `Blue kiln ${run}` }).getByRole('button', { name: 'Suspend' }).click();
      await page.waitForURL(/status=suspended/);
      await page.getByRole('article', { name: `Blue kiln ${run}` }).getByText('Reason given: Counterfeit goods reported').waitFor();
      await page.getByRole('article', { name: `Blue kiln ${run}` }).getByRole('button', { name: 'Resume' }).click();
      await page.waitForURL(/status=approved/);
      await page.getByRole('article', { name: `Blue kiln ${run}` }).waitFor();

      // a company approved, then given a credit line
      await page.getByRole('navigation', { name: 'Admin console' }).getByRole('link', { name: 'Companies' }).click();
      await page.getByRole('article', { name: `Harbour trading ${run}` }).getByRole('button', { name: 'Approve' }).click();
      await page.getByRole('article', { name: `Harbour trading ${run}` }).waitFor({ state: 'detached' });
      await page.getByRole('navigation', { name: 'By status' }).getByRole('link', { name: 'Approved' }).click();
      const firm = page.getByRole('article', { name: `Harbour trading ${run}` });
      await firm.getByText('No credit line yet').waitFor();
      await firm.getByLabel('Credit line (CNY)').fill('50000');
      await firm.getByLabel('Days to pay').fill('45');
      await firm.getByRole('button', { name: 'Set credit line' }).click();
      await page.getByRole('article', { name: `Harbour trading ${run}` }).getByText('credit line CN¥50,000.00, due in 45 days').waitFor();
      // the company buys on invoice; the admin records its payment
      const bossTokens = await refreshUntilRole(boss.tokens, { role: 'company_admin', companyId: company.body.id });
      const bought = await eventually('invoice order', () => call('POST', '/checkout', { token: bossTokens, idempotent: true, body: { paymentMethod: 'invoice', lines: [{ skuId: kettle.skuId, quantity: 1 }] } }), (r) => r.status === 202);
      expect(bought.status).toBe(202);
      await page.reload();
      const invoices = page.getByRole('article', { name: `Harbour trading ${run}` }).getByRole('list', { name: 'Invoices not yet paid' });
      await invoices.getByText(/^CN¥50\.00, due /).waitFor();
      await invoices.getByRole('button', { name: 'Record payment' }).click();
      // (the row says "Saved." from the credit line already: wait for the invoice to go instead)
      await page.waitForURL(/done=settled/);
      await invoices.waitFor({ state: 'detached' });
      await page.getByRole('article', { name: `Harbour trading ${run}` }).getByText('CN¥0.00 outstanding').waitFor();

      // a category and its two specs
      await page.getByRole('navigation', { name: 'Admin console' }).getByRole('link', { name: 'Categories' }).click();
      await page.getByLabel('URL key (a-z, 0-9, -)').fill(`lamps-${run}`);
      await page.getByLabel('Name (Chinese)').fill(`灯具 ${run}`);
      await page.getByLabel('Name (English)').fill(`Lamps ${run}`);
      await page.getByRole('button', { name: 'Add category' }).click();
      await page.getByRole('link', { name: `Lamps ${run}` }).click();
      await page.getByRole('button', { name: 'Add a spec' }).click();
      await page.getByLabel('Key (a-z, 0-9, -)').fill('finish');
      await page.getByLabel('Name (zh-CN)', { exact: true }).fill('表面');
      await page.getByLabel('Name (en)', { exact: true }).fill('Finish');
      await page.getByLabel('Value 1 key').fill('brass');
      await page.getByLabel('Value 1 name (zh-CN)').fill('黄铜');
      await page.getByLabel('Value 1 name (en)').fill('Brass');
      await page.getByRole('button', { name: 'Add a value' }).click();
      await page.getByLabel('Value 2 key').fill('Matte Black');
      await page.getByLabel('Value 2 name (zh-CN)').fill('哑黑');
      await page.getByLabel('Value 2 name (en)').fill('Matte black');
      await page.getByRole('button', { name: 'Save template' }).click();
      // a key with capitals and a space is named, and nothing was saved
      await page.getByRole('alert').getByText('Spec 1, value 2 key').waitFor();
      await page.getByLabel('Value 2 key').fill('matte-black');
      await page.getByRole('button', { name: 'Save template' }).click();
      await page.getByText('Saved.').waitFor();
    });
    const shops = await call<{ items: Shop[] }>('GET', '/admin/shops', { token: admin, query: { status: 'approved' } });
    expect(shops.body.items.find((s) => s.id === shopId)?.commissionBps).toBe(750);
    const categories = await call<{ items: { id: string; slug: string }[] }>('GET', '/categories');
    const lamps = categories.body.items.find((c) => c.slug === `lamps-${run}`)!;
    const template = await call<{ specs: { key: string; values: { key: string }[] }[] }>('GET', `/categories/${lamps.id}/spec-template`);
    expect(template.body.specs.map((s) => [s.key, s.values.map((v) => v.key)])).toEqual([['finish', ['brass', 'matte-black']]]);
  });

  it('when an admin issues platform coupons for compensation and gives one to a shopper by e-mail, then the shopper finds it with the reason', async () => {
    const shopper = await register('compensated');
    const name = `Apology ${run}`;
    await withPage(browser, 'admin compensates', async (page) => {
      await page.goto(`${WEB}/en/login?next=%2Fadmin%2Fcoupons`);
      await page.getByLabel('E-mail or phone number').fill(email('admin'));
      await page.getByLabel('Password').fill(password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(`${WEB}/en/admin/coupons`);
      await page.getByLabel('Name (Chinese)').fill(`${name}（中文）`);
      await page.getByLabel('Name (English)').fill(name);
      await page.getByLabel('Amount off (yuan, for a fixed amount)').fill('20');
      await page.getByLabel('Spend at least (yuan, optional)').fill('100');
      await page.getByLabel('How shoppers get them').selectOption('issued');
      await page.getByRole('button', { name: 'Issue coupons' }).click();
      const row = page.getByRole('row').filter({ hasText: name });
      await row.getByText('Issued by hand (compensation)').waitFor();
      const give = row.getByRole('form', { name: `Give one: ${name}` });
      // nobody signs in with this: the row says so
      await give.getByLabel('Shopper’s e-mail or phone').fill(`nobody-${run}@example.com`);
      await give.getByLabel('Reason (the shopper reads it)').fill('Your parcel was late');
      await give.getByRole('button', { name: 'Give one' }).click();
      await page.getByRole('row').filter({ hasText: name }).getByRole('alert').getByText('Nobody signs in with that e-mail address or phone number.').waitFor();
      const again = page.getByRole('row').filter({ hasText: name }).getByRole('form', { name: `Give one: ${name}` });
      await again.getByLabel('Shopper’s e-mail or phone').fill(shopper.user.email!);
      await again.getByLabel('Reason (the shopper reads it)').fill('Your parcel was late');
      await again.getByRole('button', { name: 'Give one' }).click();
      await page.getByRole('row').filter({ hasText: name }).getByRole('status').getByText('Saved.').waitFor();
      expect(await page.getByRole('row').filter({ hasText: name }).innerText()).toMatch(/1 \/ 100/);
    });
    await withPage(browser, 'shopper finds it', async (page) => {
      await page.goto(`${WEB}/en/login?next=%2Faccount%2Fcoupons`);
      await page.getByLabel('E-mail or phone number').fill(shopper.user.email!);
      await page.getByLabel('Password').fill(password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(`${WEB}/en/account/coupons`);
      expect(await page.getByRole('listitem').filter({ hasText: name }).innerText()).toMatch(/CN¥20\.00 off on CN¥100\.00 or more[\s\S]*Your parcel was late/);
    });
  });

  it('when an admin finds a member by e-mail and adds points with a reason, then taking more than they have is refused and the member reads the reason in their points history', async () => {
    const member = await register('points-member');
    await withPage(browser, 'admin adjusts points', async (page) => {
      await page.goto(`${WEB}/en/login?next=%2Fadmin%2Fpoints`);
      await page.getByLabel('E-mail or phone number').fill(email('admin'));
      await page.getByLabel('Password').fill(password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(`${WEB}/en/admin/points`);
      await page.getByLabel('E-mail or phone').fill(member.user.email!);
      await page.getByRole('button', { name: 'Find' }).click();
      await page.getByRole('heading', { name: member.user.displayName }).waitFor();
      await page.getByLabel('Points to add (a minus sign takes them)').fill('50');
      await page.getByLabel('Reason (the member reads it)').fill('Sorry for the late parcel');
      await page.getByRole('button', { name: 'Adjust points' }).click();
      await page.getByRole('status').getByText('Done: the points are adjusted.').waitFor();
      expect(await page.locator('dl[aria-label="Their points"]').innerText()).toMatch(/Points\s+50\b/);
      await page.getByLabel('Points to add (a minus sign takes them)').fill('-60');
      await page.getByLabel('Reason (the member reads it)').fill('A correction');
      await page.getByRole('button', { name: 'Adjust points' }).click();
      await page.getByRole('alert').getByText('They have fewer points than that.').waitFor();
    });
    await withPage(browser, 'member reads the reason', async (page) => {
      await page.goto(`${WEB}/en/login?next=%2Faccount%2Fpoints`);
      await page.getByLabel('E-mail or phone number').fill(member.user.email!);
      await page.getByLabel('Password').fill(password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(`${WEB}/en/account/points`);
      expect(await page.getByRole('row').filter({ hasText: 'Sorry for the late parcel' }).innerText()).toMatch(/Adjusted by Emporium · Sorry for the late parcel[\s\S]*\+50\s+50/);
    });
  });

  it('when an admin changes the level ladder, then a growth out of order is refused naming the level and field, and a valid change shows in the ladder', async () => {
    const before = (await call<{ items: MemberLevel[] }>('GET', '/member-levels')).body.items;
    try {
      await withPage(browser, 'admin edits levels', async (page) => {
        await page.goto(`${WEB}/en/login?next=%2Fadmin%2Flevels`);
        await page.getByLabel('E-mail or phone number').fill(email('admin'));
        await page.getByLabel('Password').fill(password);
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.waitForURL(`${WEB}/en/admin/levels`);
        const silver = page.getByRole('group', { name: 'Level 1', exact: true });
        const gold = page.getByRole('group', { name: 'Level 2', exact: true });
        expect(await silver.getByLabel('Name (English)').inputValue()).toBe('Silver');
        await gold.getByLabel('Growth needed').fill('10');
        await page.getByRole('button', { name: 'Save the ladder' }).click();
        await page.getByRole('alert').getByText(/Level 2 · Growth needed/).waitFor();
        await gold.getByLabel('Growth needed').fill(String(before[2]!.minGrowth));
        await silver.getByLabel('Discount on goods (%)').fill('1.5');
        await page.getByRole('button', { name: 'Save the ladder' }).click();
        await page.getByRole('status').getByText(/Saved/).waitFor();
        expect(await page.getByRole('row', { name: /1 · Silver/ }).innerText()).toMatch(/1\.5 %/);
      });
      expect((await call<{ items: MemberLevel[] }>('GET', '/member-levels')).body.items[1]).toMatchObject({ name: { en: 'Silver' }, discountBps: 150 });
    } finally {
      await call('PUT', '/admin/member-levels', { token: await platformAdmin(), body: { levels: before } });
    }
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
