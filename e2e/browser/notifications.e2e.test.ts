import type { Browser, Page } from 'playwright-core';
import type { InboxPage, Order, TokenPair } from '@emporium/contracts';
import { call, e2ePeople, eventually, shipThroughApi, submitCard, testTrackingNumber } from '@emporium/devkit/client';
import { launchBrowser, WEB, withPage } from './browser';

/**
 * Messages in a real browser (issue #16, the inbox): the header's badge
 * counts what is unread and goes when it is read; an admin's broadcast
 * reaches a shopper's inbox in their language; preferences keep what the
 * shopper switched off and cannot switch off what concerns their orders.
 */
describe('messages in Chromium', () => {
  const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`;
  const { admin: platformAdmin, shopSelling, register, email, password } = e2ePeople(run);
  let browser: Browser;
  let seller: Awaited<ReturnType<ReturnType<typeof e2ePeople>['shopSelling']>>;
  let shopper: TokenPair;
  let paid: Order;

  const signIn = async (page: Page, who: string, next: string, locale = 'en') => {
    await page.goto(`${WEB}/${locale}/login?next=${encodeURIComponent(next)}`);
    await page.getByLabel(locale === 'en' ? 'E-mail or phone number' : '邮箱或手机号').fill(email(who));
    await page.getByLabel(locale === 'en' ? 'Password' : '密码').fill(password);
    await page.getByRole('button', { name: locale === 'en' ? 'Sign in' : '登录' }).click();
  };

  beforeAll(async () => {
    browser = await launchBrowser();
    const admin = await platformAdmin();
    const merchant = await shopSelling('ntfa', admin, 3_900, 5);
    // the approval reaches the owner's inbox by event
    await eventually('the approval in the inbox', async () => (await call<InboxPage>('GET', '/me/notifications', { token: merchant.tokens })).body, (p) => p.unread >= 1, 20_000);
    await register('ntf-buyer');
    // a paid order waiting to be shipped, its buyer told once
    seller = await shopSelling('ntfb', admin, 2_900, 5);
    shopper = (await register('ntf-shipper')).tokens;
    const placed = await call<Order>('POST', '/checkout', { token: shopper, idempotent: true, body: { paymentMethod: 'card', lines: [{ skuId: seller.skuId, quantity: 1 }] } });
    const pending = await eventually('payable', async () => (await call<Order>('GET', `/orders/${placed.body.id}`, { token: shopper })).body, (o) => Boolean(o.payment?.hostedUrl));
    await submitCard(pending.payment!.hostedUrl!);
    paid = await eventually('paid', async () => (await call<Order>('GET', `/orders/${placed.body.id}`, { token: shopper })).body, (o) => o.status === 'paid');
    await eventually('the buyer told', async () => (await call<InboxPage>('GET', '/me/notifications', { token: shopper })).body, (p) => p.unread >= 1, 20_000);
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('when a merchant reads the message of their approved shop, then the badge counts it and goes', async () => {
    await withPage(browser, 'inbox read', async (page) => {
      await signIn(page, 'ntfa', '/account/notifications');
      await page.getByRole('heading', { level: 1, name: 'My messages' }).waitFor();
      const badge = page.getByTestId('unread-badge');
      expect(await badge.innerText()).toContain('1');
      expect(await badge.locator('.sr-only').innerText()).toBe('1 unread message');
      const message = page.getByRole('article', { name: /Your shop is open/ });
      expect(await message.innerText()).toContain('ntfa');
      await message.getByRole('button', { name: 'Mark read' }).click();
      await page.getByText('Nothing unread').waitFor();
      expect(await page.getByTestId('unread-badge').count()).toBe(0);
      // read, it stays in the inbox, no longer marked new
      expect(await page.getByRole('article', { name: /Your shop is open/ }).locator('.badge').count()).toBe(0);
    });
  });

  it("when an admin broadcasts to shoppers, then a shopper finds it in their inbox in their language", async () => {
    await withPage(browser, 'broadcast', async (page) => {
      await signIn(page, 'admin', '/admin/notifications');
      await page.getByRole('heading', { level: 1, name: 'Platform messages and broadcasts' }).waitFor();
      await page.getByLabel('Audience').selectOption('shoppers');
      await page.getByLabel('Title (中文)').fill(`双十二预告 ${run}`);
      await page.getByLabel('Title (English)').fill(`12.12 is coming ${run}`);
      await page.getByLabel('Text (中文)').fill('全场满 300 减 50');
      await page.getByLabel('Text (English)').fill('50 off every 300');
      await page.getByLabel('Expires (platform time)').fill('2099-12-12T20:00');
      await page.getByRole('button', { name: 'Send' }).click();
      await page.getByText('Sent: it is in every inbox of its audience now.').waitFor();
      expect(await page.getByRole('table', { name: 'Broadcasts sent' }).innerText()).toContain(`12.12 is coming ${run}`);
    });
    await withPage(browser, 'broadcast read', async (page) => {
      await signIn(page, 'ntf-buyer', '/account/notifications', 'zh-CN');
      await page.getByRole('heading', { level: 1, name: '我的消息' }).waitFor();
      const message = page.getByRole('article', { name: new RegExp(`双十二预告 ${run}`) });
      expect(await message.innerText()).toContain('全场满 300 减 50');
      expect(await message.innerText()).toContain('公告');
    });
  });

  it('when a shopper switches promotions off and gathers their e-mail daily, then the settings stay, and order messages can neither be switched off nor gathered', async () => {
    await withPage(browser, 'preferences', async (page) => {
      await signIn(page, 'ntf-buyer', '/account/notifications/preferences');
      await page.getByRole('heading', { level: 1, name: 'Message settings' }).waitFor();
      const promotions = page.getByRole('checkbox', { name: 'Promotions Inbox' });
      expect(await promotions.isChecked()).toBe(true);
      expect(await page.getByRole('checkbox', { name: 'Orders Inbox' }).isDisabled()).toBe(true);
      await promotions.uncheck();
      // promotions by e-mail gathered once a day; what concerns orders is never held back, so it has no choice
      await page.getByRole('combobox', { name: 'Promotions Digest' }).selectOption('daily');
      expect(await page.getByRole('combobox', { name: 'Orders Digest' }).count()).toBe(0);
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByText('Saved.').waitFor();
      expect(await page.getByRole('checkbox', { name: 'Promotions Inbox' }).isChecked()).toBe(false);
      expect(await page.getByRole('checkbox', { name: 'Orders Inbox' }).isChecked()).toBe(true);
      expect(await page.getByRole('combobox', { name: 'Promotions Digest' }).inputValue()).toBe('daily');
    });
  });

  it('when the merchant ships while the buyer has a page open, then the badge rises without a reload', async () => {
    await withPage(browser, 'live badge', async (page) => {
      await signIn(page, 'ntf-shipper', '/orders');
      await page.getByRole('heading', { level: 1 }).first().waitFor();
      const badge = page.getByTestId('unread-badge');
      // the order paid (and whatever else came since: a membership level reached, say)
      const before = Number(await badge.locator('[aria-hidden="true"]').innerText());
      expect(before).toBeGreaterThanOrEqual(1);
      const loaded = page.url();
      // the stream is open: shipping now must reach this page as it is
      await page.waitForTimeout(500);
      const sub = paid.subOrders[0]!;
      expect((await shipThroughApi(seller, sub.id)).status).toBe(201);
      await badge.locator('[aria-hidden="true"]').filter({ hasText: new RegExp(`^${before + 1}$`) }).waitFor({ timeout: 20_000 });
      expect(await badge.locator('.sr-only').innerText()).toBe(`${before + 1} unread messages`);
      expect(page.url()).toBe(loaded);
    });
  });
  it("when the merchant ships while the buyer has the order's page open, then the page follows the parcel to the door without a reload, in the buyer's language, and the seller portal shows the same checkpoints", async () => {
    const placed = await call<Order>('POST', '/checkout', { token: shopper, idempotent: true, body: { paymentMethod: 'card', lines: [{ skuId: seller.skuId, quantity: 1 }] } });
    const pending = await eventually('payable', async () => (await call<Order>('GET', `/orders/${placed.body.id}`, { token: shopper })).body, (o) => Boolean(o.payment?.hostedUrl));
    await submitCard(pending.payment!.hostedUrl!);
    const order = await eventually('paid', async () => (await call<Order>('GET', `/orders/${placed.body.id}`, { token: shopper })).body, (o) => o.status === 'paid');
    const number = testTrackingNumber('delivered');
    /** each checkpoint's status as the timeline shows it, newest first ("<time> · <status> · <place>") */
    const steps = async (parcel: ReturnType<Page['locator']>) => (await parcel.locator('ol.timeline > li').allInnerTexts()).map((t) => t.split('\n')[0]!.split(' · ')[1]);
    await withPage(browser, 'live order page', async (page) => {
      await signIn(page, 'ntf-shipper', `/orders/${order.id}`, 'zh-CN');
      await page.locator('article.card strong.status').filter({ hasText: '已付款' }).waitFor();
      // a mark on this document: a reload would lose it
      await page.evaluate(() => ((globalThis as unknown as { kept: string }).kept = 'this page'));
      await page.waitForTimeout(500);
      expect((await shipThroughApi(seller, order.subOrders[0]!.id, [number])).status).toBe(201);
      const parcel = page.locator('section.tracking');
      await parcel.locator('strong.parcel-delivered').filter({ hasText: '已签收' }).waitFor({ timeout: 40_000 });
      expect(await steps(parcel)).toEqual(['已签收', '派送中', '运输中', '运输中', '运输中', '已下单']);
      expect(['已送达', '已完成']).toContain(await page.locator('article.card strong.status').first().innerText());
      expect(await page.evaluate(() => (globalThis as unknown as { kept?: string }).kept)).toBe('this page');
    });
    await withPage(browser, 'seller tracking', async (page) => {
      await signIn(page, 'ntfb', '/seller/orders');
      const parcel = page.locator('section.tracking').filter({ hasText: number });
      await parcel.waitFor();
      expect(await steps(parcel)).toEqual(['Delivered', 'Out for delivery', 'In transit', 'In transit', 'In transit', 'Label created']);
    });
  });
});
