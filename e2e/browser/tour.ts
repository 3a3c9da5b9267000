import type { Page } from 'playwright-core';
import type { Order } from '@emporium/contracts';
import { call, e2ePeople } from '@emporium/devkit/client';
import { WEB } from './browser';

/**
 * Every page of web, with what it needs to show something: a merchant whose
 * shop sells a product and who has bought it once (storefront, account,
 * orders, seller portal), the platform admin (console), and a visitor.
 * pages.e2e.test.ts walks them all, for accessibility and for both languages at once.
 */
export async function tour(run: string) {
  const { admin: platformAdmin, shopSelling, login, email, password } = e2ePeople(run);
  const merchant = `tour${run}`;
  const admin = await platformAdmin();
  const shop = await shopSelling(merchant, admin, 12_800, 5);
  const placed = await call<Order>('POST', '/checkout', { token: await login(merchant), idempotent: true, body: { paymentMethod: 'card', lines: [{ skuId: shop.skuId, quantity: 1 }] } });
  if (placed.status !== 202) throw new Error(`checkout: ${placed.status}`);
  const categoryId = (await call<{ categoryId: string }>('GET', `/products/${shop.productId}`)).body.categoryId;
  // a group buy of the product and a group the merchant opened (its payment not made: a seat held)
  const campaign = await call<{ id: string }>('POST', `/shops/${shop.shopId}/group-buys`, {
    token: await login(merchant),
    idempotent: true,
    body: { skuId: shop.skuId, title: { 'zh-CN': '两人团', en: 'Groups of two' }, groupSize: 2, price: { amount: 9_900, currency: 'CNY' }, openSeconds: 86_400, perUserLimit: 2, startsAt: new Date(Date.now() - 60_000).toISOString(), endsAt: new Date(Date.now() + 7 * 86_400_000).toISOString() },
  });
  if (campaign.status !== 201) throw new Error(`group buy: ${campaign.status} ${JSON.stringify(campaign.body)}`);
  const opened = await call<Order>('POST', '/checkout', { token: await login(merchant), idempotent: true, body: { paymentMethod: 'card', groupBuy: { campaignId: campaign.body.id, quantity: 1 } } });
  const groupId = opened.body.subOrders?.[0]?.groupBuy?.groupId;
  if (opened.status !== 202 || !groupId) throw new Error(`group checkout: ${opened.status} ${JSON.stringify(opened.body)}`);

  async function signIn(page: Page, who: 'merchant' | 'admin') {
    await page.goto(`${WEB}/en/login`);
    await page.getByLabel('E-mail or phone number').fill(email(who === 'merchant' ? merchant : 'admin'));
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${WEB}/en/account`);
  }

  return {
    signIn,
    merchantEmail: email(merchant),
    password,
    productPath: `/products/${shop.productId}`,
    newProductPath: `/seller/products/new?category=${categoryId}`,
    merchantPaths: [
      '/',
      '/browse',
      `/browse?category=${categoryId}`,
      '/search?q=teapot',
      `/search?q=teapot&category=${categoryId}&sort=price_asc&inStock=true`,
      `/products/${shop.productId}`,
      '/cart',
      '/checkout',
      '/orders',
      `/orders/${placed.body.id}`,
      '/account',
      '/account/addresses',
      '/account/password',
      '/account/coupons',
      '/account/group-buys',
      '/account/points',
      '/account/notifications',
      '/account/notifications?view=archived',
      '/account/notifications/preferences',
      `/group-buys/${groupId}`,
      `/checkout?groupBuy=${campaign.body.id}`,
      '/coupons',
      '/seller',
      '/seller/products',
      `/seller/products/new?category=${categoryId}`,
      `/seller/products/${shop.productId}`,
      '/seller/stock',
      '/seller/orders',
      '/seller/ledger',
      '/seller/staff',
      '/seller/coupons',
      '/seller/promotions',
      '/seller/group-buys',
      '/seller/notifications',
      '/no-such-page',
    ],
    adminPaths: ['/admin', '/admin/shops', '/admin/shops?status=approved', '/admin/companies', '/admin/companies?status=approved', '/admin/categories', `/admin/categories/${categoryId}`, '/admin/coupons', '/admin/points', '/admin/levels', '/admin/customers', '/admin/customers?rfm=new', `/admin/points?login=${encodeURIComponent(email(merchant))}`, '/admin/money', '/admin/notifications'],
    // a signed-out visitor's /seller and /account end on the sign-in page, which names where it leads back to
    visitorPaths: ['/login', '/login?next=%2Fseller', '/browse', '/search?q=qingci', '/cart'],
  };
}
