#!/usr/bin/env node
// Demo data through the public API, as people would make it: the platform
// admin (identity's CLI), six approved shops, eight top-level categories and
// over 200 bilingual products with pictures drawn here (scripts/seed/), SKU
// matrices and stock (one SKU per product running low), categories with spec
// templates, a flash sale running for a week, and an approved B2B company with
// a buyer, a spending limit, a company price list and a credit line to pay on
// invoice; coupons of the platform and of each shop (one for one product
// only, a welcome coupon, one for reaching Gold, a birthday coupon on the
// ladder), a full-reduction activity, a group buy, and members at several
// levels (the company buyer reaches Gold by orders paid on invoice, shipped and
// received; a shopper holds points to spend; ten shoppers' past orders). `npm run dev` runs it once per
// database; `npm run seed` runs it again (it adds a new set each time).
//   EMPORIUM_ADMIN_PASSWORD=… npm run seed
// the devkit's API client, built with the platform (`npm run dev` seeds once it is up)
import { api, createPlatformAdmin, refreshUntilRole, retrying, submitCard } from '@emporium/devkit/client';
import { seedCatalogue } from './seed/catalogue-seed.mjs';
import { drawPicture } from './seed/pictures.mjs';

const password = process.env.EMPORIUM_DEMO_PASSWORD ?? 'emporium-demo-2026';
const adminPassword = process.env.EMPORIUM_ADMIN_PASSWORD ?? password;
const tag = process.env.EMPORIUM_SEED_TAG ?? '';
const email = (who) => `${who}${tag}@demo.emporium.dev`;
const t = (zh, en) => ({ 'zh-CN': zh, en });

// the running platform's database (.emporium/endpoints.json) unless DATABASE_URL names one
createPlatformAdmin(email('admin'), adminPassword, process.env.DATABASE_URL);
const admin = (await api('POST', '/auth/login', { body: { login: email('admin'), password: adminPassword } })).accessToken;

async function account(who, name) {
  try {
    return await api('POST', '/auth/register', { idempotent: true, body: { email: email(who), password, displayName: name, locale: 'zh-CN' } });
  } catch {
    return { tokens: await api('POST', '/auth/login', { body: { login: email(who), password } }) };
  }
}

const slug = (s) => `${s}${tag}`;
const existing = await api('GET', '/categories');
if (existing.items.some((c) => c.parentId === null && c.slug === slug('teaware'))) {
  console.log('demo data is there already (this database was seeded before)');
  process.exit(0);
}
const teaware = await api('POST', '/admin/categories', { token: admin, idempotent: true, body: { slug: slug('teaware'), name: t('茶具', 'Tea ware'), position: 1 } });
const cups = await api('POST', '/admin/categories', { token: admin, idempotent: true, body: { parentId: teaware.id, slug: 'cups', name: t('茶杯', 'Cups') } });
const pots = await api('POST', '/admin/categories', { token: admin, idempotent: true, body: { parentId: teaware.id, slug: 'teapots', name: t('茶壶', 'Teapots') } });
const apparel = await api('POST', '/admin/categories', { token: admin, idempotent: true, body: { slug: slug('apparel'), name: t('服装', 'Apparel'), position: 2 } });
const v = (key, zh, en) => ({ key, name: t(zh, en) });
await api('PUT', `/admin/categories/${teaware.id}/spec-template`, {
  token: admin,
  body: { specs: [{ key: 'glaze', name: t('釉色', 'Glaze'), values: [v('celadon', '青瓷', 'Celadon'), v('tenmoku', '天目', 'Tenmoku'), v('white', '白瓷', 'White')] }, { key: 'capacity', name: t('容量', 'Capacity'), values: [v('80ml', '80毫升', '80 ml'), v('150ml', '150毫升', '150 ml'), v('300ml', '300毫升', '300 ml')] }] },
});
await api('PUT', `/admin/categories/${apparel.id}/spec-template`, {
  token: admin,
  body: { specs: [{ key: 'colour', name: t('颜色', 'Colour'), values: [v('indigo', '靛蓝', 'Indigo'), v('natural', '本色', 'Natural'), v('black', '黑色', 'Black')] }, { key: 'size', name: t('尺码', 'Size'), values: ['s', 'm', 'l', 'xl'].map((k) => v(k, k.toUpperCase(), k.toUpperCase())) }] },
});

async function shop(who, zh, en, commissionBps) {
  const owner = await account(who, en);
  const applied = await api('POST', '/shops', {
    token: owner.tokens.accessToken,
    idempotent: true,
    body: { name: t(zh, en), description: t(`${zh}，欢迎光临`, `Welcome to ${en}`), contactEmail: email(who), contactPhone: '+8613800138000', settlementAccount: { accountName: en, bankName: 'Bank of Shanghai', accountNumber: '6222021234567890' } },
  });
  await api('POST', `/admin/shops/${applied.id}/decision`, { token: admin, idempotent: true, body: { decision: 'approve', commissionBps } });
  return { id: applied.id, tokens: await refreshUntilRole(owner.tokens, { role: 'merchant_owner', shopId: applied.id }) };
}

const kiln = await shop('kiln', '景德镇窑', 'Jingdezhen Kiln', 500);
const loom = await shop('loom', '蓝染织坊', 'Indigo Loom', 800);
let barcode = 0;
async function product(s, categoryId, name, specs, price, picture) {
  const combos = specs.reduce((acc, sp) => acc.flatMap((p) => sp.values.map((x) => ({ ...p, [sp.key]: x }))), [{}]);
  const created = await api('POST', `/shops/${s.id}/products`, {
    token: s.tokens.accessToken,
    idempotent: true,
    body: {
      categoryId,
      name,
      description: t(`${name['zh-CN']}，手工制作。`, `${name.en}, made by hand.`),
      brand: s === kiln ? 'Jingdezhen Kiln' : 'Indigo Loom',
      attributes: [{ name: t('产地', 'Origin'), value: s === kiln ? t('江西景德镇', 'Jingdezhen, Jiangxi') : t('贵州丹寨', 'Danzhai, Guizhou') }],
      specs,
      skus: combos.map((specValues, i) => ({
        specValues,
        price: { amount: price + i * 500, currency: 'CNY' },
        originalPrice: { amount: price + i * 500 + 2000, currency: 'CNY' },
        barcode: `69${Date.now().toString().slice(-8)}${String(barcode++).padStart(4, '0')}`,
        weightGrams: 200 + i * 20,
      })),
    },
  });
  // its picture, drawn here: the shape of its kind in the colour of its first SKU
  await api('POST', `/shops/${s.id}/products/${created.id}/images`, { token: s.tokens.accessToken, idempotent: true, body: { contentType: 'image/png', dataBase64: drawPicture(...picture).toString('base64') } });
  await retrying(() => api('POST', `/shops/${s.id}/products/${created.id}/publish`, { token: s.tokens.accessToken }));
  // stock: the first SKU runs low (a threshold above it), the others are well stocked
  for (const [i, sku] of created.skus.entries()) {
    const path = `/shops/${s.id}/stock/${sku.id}`;
    await api('POST', `${path}/receipts`, { token: s.tokens.accessToken, idempotent: true, body: { quantity: i === 0 ? 8 : 40 + i * 10, reason: 'first delivery' } });
    await api('PUT', `${path}/threshold`, { token: s.tokens.accessToken, body: { lowStockThreshold: 10 } });
  }
  return created;
}

const cup = await product(kiln, cups.id, t('柴烧品茗杯', 'Wood-fired tasting cup'), [{ key: 'glaze', values: ['celadon', 'tenmoku'] }, { key: 'capacity', values: ['80ml', '150ml'] }], 6800, ['cup', '#5f9e8f']);
const teapot = await product(kiln, pots.id, t('青瓷侧把壶', 'Celadon side-handle teapot'), [{ key: 'glaze', values: ['celadon', 'white'] }, { key: 'capacity', values: ['300ml'] }], 26800, ['teapot', '#5f9e8f']);
await product(loom, apparel.id, t('蓝染亚麻衬衫', 'Indigo linen shirt'), [{ key: 'colour', values: ['indigo', 'natural'] }, { key: 'size', values: ['s', 'm', 'l'] }], 39900, ['shirt', '#2f4f7f']);
const scarf = await product(loom, apparel.id, t('扎染围巾', 'Tie-dyed scarf'), [{ key: 'colour', values: ['indigo', 'black'] }, { key: 'size', values: ['m'] }], 12900, ['scarf', '#2f4f7f']);

// Indigo Loom charges its own shipping: 15 yuan, free from 199
await api('PUT', `/shops/${loom.id}/shipping-rule`, { token: loom.tokens.accessToken, body: { flatFee: { amount: 1500, currency: 'CNY' }, freeAbove: { amount: 19900, currency: 'CNY' } } });

// quantity tiers on the first cup SKU
const firstSku = cup.skus[0];
await api('PUT', `/shops/${kiln.id}/products/${cup.id}/skus/${firstSku.id}/tiers`, {
  token: kiln.tokens.accessToken,
  body: { tiers: [{ minQuantity: 12, price: { amount: 6200, currency: 'CNY' } }, { minQuantity: 48, price: { amount: 5800, currency: 'CNY' } }] },
});

// a flash sale of the white teapot: 20 units at 199 instead of 268, two per shopper, for a week
await api('POST', `/shops/${kiln.id}/flash-sales`, {
  token: kiln.tokens.accessToken,
  idempotent: true,
  body: {
    skuId: teapot.skus[1].id,
    title: t('青瓷壶限时秒杀', 'Celadon teapot flash sale'),
    price: { amount: 19900, currency: 'CNY' },
    quantity: 20,
    perUserLimit: 2,
    startsAt: new Date(Date.now() - 60_000).toISOString(),
    endsAt: new Date(Date.now() + 7 * 86_400_000).toISOString(),
  },
});

// a B2B company with a buyer and a company price
const boss = await account('acme-admin', 'Acme purchasing');
const company = await api('POST', '/companies', {
  token: boss.tokens.accessToken,
  idempotent: true,
  body: { name: `Acme Tea Trading${tag}`, taxId: `91310000${Date.now().toString().slice(-10)}`, contactEmail: email('acme-admin'), address: '100 Century Avenue, Pudong, Shanghai' },
});
await api('POST', `/admin/companies/${company.id}/decision`, { token: admin, idempotent: true, body: { decision: 'approve' } });
const bossTokens = await refreshUntilRole(boss.tokens, { role: 'company_admin', companyId: company.id });
const invitation = await api('POST', `/companies/${company.id}/invitations`, { token: bossTokens.accessToken, idempotent: true, body: { email: email('acme-buyer'), spendingLimit: { amount: 5_000_000, currency: 'CNY' } } });
const buyer = await account('acme-buyer', 'Acme buyer');
await api('POST', `/me/invitations/${invitation.id}/accept`, { token: buyer.tokens.accessToken, idempotent: true });
await api('PUT', `/shops/${kiln.id}/products/${cup.id}/company-prices/${company.id}`, { token: kiln.tokens.accessToken, body: { prices: [{ skuId: firstSku.id, price: { amount: 5500, currency: 'CNY' } }] } });
// Acme may pay on invoice: 100,000 yuan of credit, 30 days (the approval reaches payment by event)
await retrying(() => api('PUT', `/admin/companies/${company.id}/invoice-terms`, { token: admin, body: { creditLimit: { amount: 10_000_000, currency: 'CNY' }, termDays: 30 } }));

// marketing: coupons (platform and shops), a full-reduction activity, a group buy
const day = 86_400_000;
const cny = (yuan) => ({ amount: yuan * 100, currency: 'CNY' });
const window = (days) => ({ claimStartsAt: new Date(Date.now() - 60_000).toISOString(), claimEndsAt: new Date(Date.now() + days * day).toISOString() });
const coupon = (path, token, body) => api('POST', path, { token, idempotent: true, body: { scope: { kind: 'all' }, validity: { kind: 'after-claim', days: 14 }, ...window(30), perUserLimit: 1, ...body } });
await coupon('/admin/coupons', admin, { name: t('平台满199减20', '¥20 off ¥199, every shop'), discount: { kind: 'fixed', amount: cny(20) }, minSpend: cny(199), total: 1000 });
await coupon('/admin/coupons', admin, { name: t('新人礼券', 'Welcome coupon'), discount: { kind: 'fixed', amount: cny(10) }, minSpend: cny(50), total: 10_000, distribution: 'new-user' });
await coupon('/admin/coupons', admin, { name: t('黄金会员礼券', 'Gold member coupon'), discount: { kind: 'fixed', amount: cny(30) }, minSpend: cny(300), total: 1000, distribution: 'level', minLevel: 2 });
const birthday = await coupon('/admin/coupons', admin, { name: t('生日礼券', 'Birthday coupon'), discount: { kind: 'fixed', amount: cny(20) }, minSpend: cny(100), total: 10_000, perUserLimit: 10, distribution: 'issued', ...window(365) });
await coupon(`/shops/${kiln.id}/coupons`, kiln.tokens.accessToken, { name: t('窑口9折券', '10 % off at the kiln'), discount: { kind: 'percent', percentOff: 10, maxOff: cny(50) }, minSpend: cny(100), total: 200, returnOnRefund: true });
await coupon(`/shops/${loom.id}/coupons`, loom.tokens.accessToken, { name: t('围巾立减15', '¥15 off the scarf'), discount: { kind: 'fixed', amount: cny(15) }, minSpend: cny(100), total: 100, scope: { kind: 'products', productIds: [scarf.id] } });
await api('POST', `/shops/${kiln.id}/reductions`, {
  token: kiln.tokens.accessToken,
  idempotent: true,
  body: {
    name: t('满300减30，满500减80', '¥30 off ¥300, ¥80 off ¥500'),
    tiers: [
      { kind: 'amount-off', threshold: cny(300), off: cny(30) },
      { kind: 'amount-off', threshold: cny(500), off: cny(80) },
    ],
    scope: { kind: 'all' },
    startsAt: new Date(Date.now() - 60_000).toISOString(),
    endsAt: new Date(Date.now() + 14 * day).toISOString(),
  },
});
await api('POST', `/shops/${loom.id}/group-buys`, {
  token: loom.tokens.accessToken,
  idempotent: true,
  body: { skuId: scarf.skus[0].id, title: t('围巾三人团', 'Scarf for three'), groupSize: 3, price: cny(99), openSeconds: 24 * 3600, perUserLimit: 1, startsAt: new Date(Date.now() - 60_000).toISOString(), endsAt: new Date(Date.now() + 14 * day).toISOString() },
});

// membership: every level from Silver up gives the birthday coupon
const ladder = await api('GET', '/member-levels');
await api('PUT', '/admin/member-levels', { token: admin, body: { levels: ladder.items.map((l) => (l.level >= 1 ? { ...l, birthdayCouponTemplateId: birthday.id } : l)) } });
// the company buyer reaches Gold: 30 cups (2,490 yuan, 80 off by the kiln's activity) paid on invoice, shipped by the kiln, received
const buyerTokens = await refreshUntilRole(buyer.tokens, { role: 'company_buyer', companyId: company.id });
const placed = await retrying(() =>
  api('POST', '/checkout', { token: buyerTokens.accessToken, idempotent: true, body: { paymentMethod: 'invoice', lines: [{ skuId: cup.skus[3].id, quantity: 30 }] } }),
);
const paidOrder = await retrying(async () => {
  const o = await api('GET', `/orders/${placed.id}`, { token: buyerTokens.accessToken });
  if (o.status !== 'paid') throw new Error(`order ${o.status}`);
  return o;
});
for (const sub of paidOrder.subOrders) {
  // logistics follows the parcel with the carrier simulator; order hears of the shipment a moment later
  await api('POST', `/shops/${sub.shopId}/shipments`, { token: kiln.tokens.accessToken, idempotent: true, body: { subOrderId: sub.id, parcels: [{ carrier: 'SF', trackingNumber: `SF${Date.now().toString().slice(-8)}1234` }] } });
  await retrying(() => api('POST', `/orders/${paidOrder.id}/sub-orders/${sub.id}/confirm-receipt`, { token: buyerTokens.accessToken, idempotent: true }));
}
// a shopper with points to spend and a birthday on file
const mei = await account('mei', 'Han Meimei');
const meiUser = await api('PATCH', '/me', { token: mei.tokens.accessToken, body: { birthday: '1995-05-20' } });
await api('POST', `/admin/users/${meiUser.id}/points`, { token: admin, idempotent: true, body: { points: 3000, reason: '欢迎加入 / Welcome to membership' } });

// the catalogue worth browsing: eight top-level categories, six shops, 200 more products with pictures, past orders
await seedCatalogue({
  api,
  retrying,
  submitCard,
  admin,
  account,
  shop,
  t,
  slug,
  count: Number(process.env.EMPORIUM_SEED_PRODUCTS ?? 200),
  existing: { categories: { teaware: teaware.id, apparel: apparel.id, cups: cups.id, teapots: pots.id }, shops: { kiln, loom } },
});

console.log(`demo data seeded. Sign in at ${process.env.EMPORIUM_API_URL ?? 'http://127.0.0.1:3000/api/v1'} with, password "${password}" unless set:`);
for (const [who, what] of [['admin', 'platform admin (password from EMPORIUM_ADMIN_PASSWORD)'], ['kiln', 'merchant, Jingdezhen Kiln'], ['loom', 'merchant, Indigo Loom'], ['bamboo', 'merchant, Bamboo Hall (also ink, teagarden, leather)'], ['acme-admin', 'company admin, Acme'], ['acme-buyer', 'company buyer, Acme (a Gold member)'], ['mei', 'shopper with 3,000 points']]) {
  console.log(`  ${email(who).padEnd(36)} ${what}`);
}
