import type { Browser, Page } from 'playwright-core';
import type { Order, SubOrderReturn, TokenPair } from '@emporium/contracts';
import { call, e2ePeople, eventually, shipThroughApi, submitCard, testTrackingNumber } from '@emporium/devkit/client';
import { launchBrowser, WEB, withPage } from './browser';

/**
 * A return in a real browser (issue #16, after-sales): the buyer asks on the
 * order page, the merchant approves with an address in the seller portal,
 * the buyer enters the tracking number of the parcel going back, the
 * merchant confirms the goods came back, and the buyer sees the return
 * refunded, its steps in order.
 */
describe('a return in Chromium', () => {
  const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`;
  const { admin: platformAdmin, shopSelling, register, email, password } = e2ePeople(run);
  let browser: Browser;
  let seller: Awaited<ReturnType<ReturnType<typeof e2ePeople>['shopSelling']>>;
  let buyer: TokenPair;
  let delivered: Order;

  const signIn = async (page: Page, who: string, next: string) => {
    await page.goto(`${WEB}/en/login?next=${encodeURIComponent(next)}`);
    await page.getByLabel('E-mail or phone number').fill(email(who));
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${WEB}/en${next}`);
  };
  const theReturn = async () => (await call<Order>('GET', `/orders/${delivered.id}`, { token: buyer })).body.subOrders[0]!.returns[0];

  beforeAll(async () => {
    browser = await launchBrowser();
    const admin = await platformAdmin();
    seller = await shopSelling('asb', admin, 5_500, 10);
    buyer = (await register('asb-buyer')).tokens;
    const placed = await call<Order>('POST', '/checkout', { token: buyer, idempotent: true, body: { paymentMethod: 'card', lines: [{ skuId: seller.skuId, quantity: 2 }] } });
    await submitCard(placed.body.payment!.hostedUrl!);
    const paid = await eventually('paid', async () => (await call<Order>('GET', `/orders/${placed.body.id}`, { token: buyer })).body, (o) => o.status === 'paid');
    await shipThroughApi(seller, paid.subOrders[0]!.id, [testTrackingNumber('delivered')]);
    delivered = await eventually('delivered', async () => (await call<Order>('GET', `/orders/${placed.body.id}`, { token: buyer })).body, (o) => o.subOrders[0]!.returnableUntil !== null, 30_000);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
  });

  it('when a buyer returns a unit, then the merchant approves, receives it and the buyer sees it refunded', async () => {
    await withPage(browser, 'buyer asks to return', async (page) => {
      await signIn(page, 'asb-buyer', `/orders/${delivered.id}`);
      // the parcel's tracking is on the page, delivered
      await page.getByRole('region', { name: 'Tracking' }).getByText('Delivered').first().waitFor();
      await page.getByText('Return goods').click();
      const form = page.getByRole('form', { name: 'Return goods' });
      await form.getByLabel(/up to 2/).fill('1');
      await form.getByLabel('Why?').fill('One cup is the wrong colour');
      await form.getByRole('button', { name: 'Ask to return' }).click();
      await page.getByRole('region', { name: /^Return of / }).getByText('Asked', { exact: true }).waitFor();
    });
    await withPage(browser, 'merchant approves', async (page) => {
      await signIn(page, 'asb', '/seller/returns');
      // what goes back is named: the product and its specs, not a line number
      await page.getByText('asb teapot · red × 1').waitFor();
      const approve = page.getByRole('form', { name: 'Approve the return' });
      for (const [label, value] of [['Recipient', 'Returns desk'], ['Phone', '+8657112345678'], ['Province', '浙江省'], ['City', '杭州市'], ['District', '西湖区'], ['Street', '文三路 1 号']] as const) await approve.getByLabel(label).fill(value);
      await approve.getByRole('button', { name: 'Approve the return' }).click();
      await page.locator('strong.status', { hasText: 'Approved: send the goods back' }).waitFor();
    });
    const back = testTrackingNumber('delivered');
    await withPage(browser, 'buyer sends it back', async (page) => {
      await signIn(page, 'asb-buyer', `/orders/${delivered.id}`);
      await page.getByText('Returns desk').waitFor();
      const form = page.getByRole('form', { name: 'Send the goods back' });
      await form.getByLabel('Carrier').selectOption('SF');
      await form.getByLabel('Tracking number').fill(back);
      await form.getByRole('button', { name: 'Sent' }).click();
      await page.getByText(`Sent back with SF Express, tracking number ${back}`).waitFor();
    });
    await eventually('delivered to the shop', theReturn, (r?: SubOrderReturn) => r?.status === 'delivered_to_shop', 30_000);
    await withPage(browser, 'merchant receives it', async (page) => {
      await signIn(page, 'asb', '/seller/returns');
      await page.locator('strong.status', { hasText: 'Delivered to the shop' }).waitFor();
      await page.getByRole('form', { name: 'Confirm the goods came back' }).getByRole('button', { name: 'Confirm the goods came back' }).click();
      await page.getByText('1 back in the shop\'s stock').waitFor();
    });
    await eventually('refunded', theReturn, (r?: SubOrderReturn) => r?.status === 'refunded', 30_000);
    await withPage(browser, 'buyer sees it refunded', async (page) => {
      await signIn(page, 'asb-buyer', `/orders/${delivered.id}`);
      const steps = page.getByRole('list', { name: 'Return steps' });
      await steps.getByText('Refunded').waitFor();
      expect((await steps.locator('li').allInnerTexts()).map((s) => s.split(' · ')[0])).toEqual(['Asked', 'Approved: send the goods back', 'On its way back', 'Delivered to the shop', 'Received by the shop', 'Refunded']);
    });
  });
});
