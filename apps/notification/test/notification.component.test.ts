import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import type { Broadcast, InboxMessage, InboxPage, NotificationPreferences, Session, TokenPair } from '@emporium/contracts';
import { eventually } from '@emporium/devkit';
import { freePort } from '@emporium/devkit/platform';
import { bearer, identityClient, startTestPlatform, uniqueSuffix, type TestApp, type TestExternal, type TestPeer, type TestPlatform } from '@emporium/devkit/testing';
import { notificationService } from '../src/app';
import { NotificationRepository } from '../src/data/notification-repository';

/**
 * notification with its own sidecar beside real identity and shop: shop
 * applications and decisions come through the broker; order events are
 * delivered to it as its sidecar would, some twice, to show each makes its
 * messages once.
 */
describe('notification', () => {
  let platform: TestPlatform;
  let identity: TestPeer;
  let shop: TestPeer;
  let notification: TestApp;
  let sink: TestExternal;
  let resources: string;
  const run = uniqueSuffix();
  let accounts: ReturnType<typeof identityClient>;
  let admin: TokenPair;
  let buyer: Session;
  let merchant: { tokens: TokenPair; shopId: string };
  let other: { tokens: TokenPair; shopId: string };
  let keys = 0;
  const key = () => `nt${keys++}-${run}`;

  const deliver = async (topic: string, data: Record<string, unknown>, id = `${topic}-${key()}`) => {
    const event = { id, specversion: '1.0', source: 'test', type: `emporium.${topic}.v1`, datacontenttype: 'application/json', data: { version: 1, occurredAt: new Date().toISOString(), ...data } };
    const res = await request(notification.url).post(`/dapr/events/${topic}`).set('content-type', 'application/cloudevents+json').send(event);
    expect(res.body).toEqual({ status: 'SUCCESS' });
    return id;
  };
  const inbox = async (path: string, tokens: TokenPair, query: Record<string, string> = {}) => {
    const res = await request(notification.url).get(path).query(query).set('Authorization', bearer(tokens));
    expect(res.status).toBe(200);
    return res.body as InboxPage;
  };
  const uuid = () => crypto.randomUUID();

  async function merchantOf(who: string): Promise<{ tokens: TokenPair; shopId: string }> {
    const session = await accounts.register(who);
    const applied = await request(shop.url)
      .post('/shops')
      .set('Authorization', bearer(session.tokens))
      .set('Idempotency-Key', key())
      .send({ name: { 'zh-CN': `${who}瓷器`, en: `${who} ceramics` }, description: { 'zh-CN': '瓷器', en: 'ceramics' }, contactEmail: accounts.email(who), contactPhone: '+8613800138000', settlementAccount: { accountName: who, bankName: 'ICBC', accountNumber: '6222021234567890' } })
      .expect(201);
    const shopId = (applied.body as { id: string }).id;
    await request(shop.url).post(`/admin/shops/${shopId}/decision`).set('Authorization', bearer(admin)).set('Idempotency-Key', key()).send({ decision: 'approve' }).expect(200);
    return { tokens: await accounts.refreshUntilRole(session.tokens, { role: 'merchant_owner', shopId }), shopId };
  }

  beforeAll(async () => {
    // e-mail goes through a Dapr SMTP binding of this test's own, to a mail sink on a port of its own
    const smtpPort = await freePort();
    resources = mkdtempSync(join(tmpdir(), 'notification-test-'));
    writeFileSync(
      join(resources, 'email-test.yaml'),
      `apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata:\n  name: email-test\nspec:\n  type: bindings.smtp\n  version: v1\n  metadata:\n    - name: host\n      value: 127.0.0.1\n    - name: port\n      value: "${smtpPort}"\n    - name: skipTLSVerify\n      value: "true"\n    - name: emailFrom\n      value: "Emporium <no-reply@emporium.local>"\nscopes:\n  - notification\n`,
    );
    platform = await startTestPlatform({ profile: 'services', extraResources: [resources] });
    sink = await platform.startExternal('mail-sink', { env: { SMTP_PORT: String(smtpPort) } });
    [identity, shop, notification] = await Promise.all([
      platform.startPeer('identity', { env: { SCRYPT_COST: '1024', LOGIN_MAX_FAILURES_PER_ADDRESS: '100000' } }),
      platform.startPeer('shop'),
      platform.startApp(notificationService, { appId: 'notification', env: { NOTIFICATION_EMAIL_BINDING: 'email-test', NOTIFICATION_EMAIL_EVERY_MS: '200', NOTIFICATION_DIGEST_HOURLY_SECONDS: '3' } }),
    ]);
    accounts = identityClient(identity, { run, password: 'a long enough password', databaseUrl: platform.endpoints.postgres });
    admin = await accounts.platformAdmin();
    buyer = await accounts.register('buyer');
    [merchant, other] = await Promise.all([merchantOf('kiln'), merchantOf('loom')]);
  });
  afterAll(async () => {
    await platform?.stop();
    if (resources) rmSync(resources, { recursive: true, force: true });
  });
  const mails = async (to: string) => ((await (await fetch(`${sink.url}/messages?to=${encodeURIComponent(to)}`)).json()) as { items: { subject: string; text: string; html: string | null }[] }).items;

  it('when a merchant applies and is approved, then the platform inbox and the owner hear it through the broker, in the language asked', async () => {
    const platformInbox = await eventually(
      'the application in the platform inbox',
      () => inbox('/admin/notifications', admin, { locale: 'en', limit: '100' }),
      (p) => p.items.some((m) => m.body.includes('kiln ceramics')),
      20_000,
    );
    expect(platformInbox.items.find((m) => m.body.includes('kiln ceramics'))).toMatchObject({ kind: 'message', category: 'shop', title: 'New shop application', link: '/admin/shops' });
    const owner = await eventually('the approval in the owner inbox', () => inbox('/me/notifications', merchant.tokens), (p) => p.items.length > 0, 20_000);
    expect(owner.items[0]).toMatchObject({ category: 'account', title: '店铺已开通', link: '/seller' });
    expect(owner.items[0]!.body).toContain('kiln瓷器');
    // a shopper is not an admin; the platform inbox is not theirs
    expect((await request(notification.url).get('/admin/notifications').set('Authorization', bearer(buyer.tokens))).status).toBe(403);
  });

  it('when an order is paid, then the buyer and each of its shops hear it once however often the event comes, with money written for each language', async () => {
    const orderId = uuid();
    const paid = {
      orderId,
      buyerUserId: buyer.user.id,
      total: { amount: 25_800, currency: 'CNY' },
      subOrders: [
        { subOrderId: uuid(), shopId: merchant.shopId, total: { amount: 12_800, currency: 'CNY' } },
        { subOrderId: uuid(), shopId: other.shopId, total: { amount: 13_000, currency: 'CNY' } },
      ],
    };
    const id = await deliver('order.paid', paid);
    await deliver('order.paid', paid, id);
    await deliver('sub-order.shipped', { orderId, subOrderId: paid.subOrders[0]!.subOrderId, shopId: merchant.shopId, carrier: 'SF Express', trackingNumber: 'SF1234567890123' });

    const zh = await inbox('/me/notifications', buyer.tokens);
    expect(zh.items.map((m) => m.title)).toEqual(['包裹已发出', '订单已支付']);
    expect(zh.items[1]!.body).toBe(`订单 ${orderId.slice(0, 8).toUpperCase()} 已支付 ¥258.00，商家将尽快发货。`);
    expect(zh.items[0]!.body).toContain('SF1234567890123');
    const en = await inbox('/me/notifications', buyer.tokens, { locale: 'en' });
    expect(en.items[1]!.body).toBe(`Order ${orderId.slice(0, 8).toUpperCase()} is paid (CN¥258.00). The shops will ship it soon.`);
    expect(en.unread).toBe(2);

    for (const [m, amount] of [
      [merchant, '¥128.00'],
      [other, '¥130.00'],
    ] as const) {
      const shopInbox = await inbox(`/shops/${m.shopId}/notifications`, m.tokens);
      expect(shopInbox.items.filter((x) => x.title === '新订单待发货').map((x) => x.body.includes(amount))).toEqual([true]);
    }
    // another shop's staff, or a shopper, cannot read a shop's inbox: it does not exist for them
    expect((await request(notification.url).get(`/shops/${merchant.shopId}/notifications`).set('Authorization', bearer(other.tokens))).status).toBe(404);
    expect((await request(notification.url).get(`/shops/${merchant.shopId}/notifications/unread-count`).set('Authorization', bearer(buyer.tokens))).status).toBe(404);
  });

  it('when messages pile up, then pages follow without repeats, and read, archive and read-all keep the unread count honest', async () => {
    for (let i = 0; i < 23; i++) await deliver('stock.low', { skuId: uuid(), shopId: other.shopId, productId: uuid(), available: i % 3, threshold: 5 });
    const path = `/shops/${other.shopId}/notifications`;
    const seen: InboxMessage[] = [];
    let cursor: string | null = null;
    do {
      const page: InboxPage = await inbox(path, other.tokens, { limit: '10', locale: 'en', ...(cursor ? { cursor } : {}) });
      seen.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(24); // 23 stock alerts and the order of the test before
    expect(new Set(seen.map((m) => m.id)).size).toBe(24);
    expect(seen.some((m) => m.body === 'A SKU is sold out (your threshold is 5).')).toBe(true);
    expect(seen.some((m) => m.body === 'A SKU is down to 1 unit (your threshold is 5).')).toBe(true);

    const count = async () => ((await request(notification.url).get(`${path}/unread-count`).set('Authorization', bearer(other.tokens)).expect(200)).body as { unread: number }).unread;
    expect(await count()).toBe(24);
    const read = await request(notification.url).post(`${path}/${seen[0]!.id}/read`).set('Authorization', bearer(other.tokens)).expect(200);
    expect((read.body as InboxMessage).readAt).not.toBeNull();
    await request(notification.url).post(`${path}/${seen[0]!.id}/read`).set('Authorization', bearer(other.tokens)).expect(200);
    expect(await count()).toBe(23);
    await request(notification.url).post(`${path}/${seen[1]!.id}/archive`).set('Authorization', bearer(other.tokens)).expect(200);
    expect(await count()).toBe(22);
    expect((await inbox(path, other.tokens, { archived: 'true' })).items.map((m) => m.id)).toEqual([seen[1]!.id]);
    expect((await inbox(path, other.tokens, { limit: '100' })).items.map((m) => m.id)).not.toContain(seen[1]!.id);
    // another shop's message id is no message of this inbox
    const foreign = (await inbox(`/shops/${merchant.shopId}/notifications`, merchant.tokens)).items[0]!.id;
    expect((await request(notification.url).post(`${path}/${foreign}/read`).set('Authorization', bearer(other.tokens))).status).toBe(404);
    expect((await request(notification.url).get(path).query({ cursor: 'not-a-cursor' }).set('Authorization', bearer(other.tokens))).status).toBe(400);

    const all = await request(notification.url).post(`${path}/read-all`).set('Authorization', bearer(other.tokens)).expect(200);
    expect(all.body).toEqual({ marked: 22 });
    expect(await count()).toBe(0);
  });

  it('when an admin broadcasts, then it is stored once: ten thousand readers write no row each, a reader who marks it read writes one', async () => {
    const res = await request(notification.url)
      .post('/admin/broadcasts')
      .set('Authorization', bearer(admin))
      .set('Idempotency-Key', key())
      .send({ audience: { kind: 'shoppers' }, title: { 'zh-CN': '双十二预告', en: '12.12 is coming' }, body: { 'zh-CN': '全场满减', en: 'Discounts everywhere' }, expiresAt: new Date(Date.now() + 86_400_000).toISOString() })
      .expect(201);
    const broadcast = res.body as Broadcast;
    const merchantOnly = await request(notification.url)
      .post('/admin/broadcasts')
      .set('Authorization', bearer(admin))
      .set('Idempotency-Key', key())
      .send({ audience: { kind: 'merchants' }, title: { 'zh-CN': '商家须知', en: 'For merchants' }, body: { 'zh-CN': '发货时效', en: 'Shipping times' }, expiresAt: new Date(Date.now() + 86_400_000).toISOString() })
      .expect(201);
    const past = await request(notification.url)
      .post('/admin/broadcasts')
      .set('Authorization', bearer(admin))
      .set('Idempotency-Key', key())
      .send({ audience: { kind: 'everyone' }, title: { 'zh-CN': '旧', en: 'Old' }, body: { 'zh-CN': '旧', en: 'Old' }, expiresAt: new Date(Date.now() - 1_000).toISOString() });
    expect(past.status).toBe(400);
    expect(past.body.errors[0].field).toBe('expiresAt');

    const mine = await inbox('/me/notifications', buyer.tokens, { locale: 'en' });
    expect(mine.items[0]).toMatchObject({ id: broadcast.id, kind: 'broadcast', title: '12.12 is coming', readAt: null });
    expect(mine.items.map((m) => m.id)).not.toContain((merchantOnly.body as Broadcast).id);

    const db = notification.service.deps.db;
    // (messages of other tests' events may arrive meanwhile: only the readers' rows are counted)
    const rows = async () => Number((await db.select<{ n: string }>('SELECT count(*) AS n FROM broadcast_reads'))[0]!.n);
    const before = await rows();
    const repo = new NotificationRepository(db);
    let sawIt = 0;
    const readers = Array.from({ length: 10_000 }, () => uuid());
    for (let i = 0; i < readers.length; i += 50) {
      const counts = await Promise.all(readers.slice(i, i + 50).map((userId) => repo.unread({ kind: 'user', userId, audiences: { kinds: ['everyone', 'shoppers'], companyIds: [] } })));
      sawIt += counts.filter((n) => n >= 1).length;
    }
    expect(sawIt).toBe(10_000);
    expect(await rows()).toBe(before);

    await request(notification.url).post(`/me/notifications/${broadcast.id}/read`).set('Authorization', bearer(buyer.tokens)).expect(200);
    expect(await rows()).toBe(before + 1);
    const listed = await request(notification.url).get('/admin/broadcasts').set('Authorization', bearer(admin)).expect(200);
    expect((listed.body as { items: Broadcast[] }).items.find((b) => b.id === broadcast.id)?.reads).toBe(1);
    // a merchant (not a shopper by role) reads the merchants' one
    expect((await inbox('/me/notifications', merchant.tokens)).items.map((m) => m.id)).toContain((merchantOnly.body as Broadcast).id);
  });

  it('when a broadcast expires, then it leaves every inbox and the unread count without anything written per reader', async () => {
    const unread = async () => (await request(notification.url).get('/me/notifications/unread-count').set('Authorization', bearer(buyer.tokens)).expect(200)).body.unread as number;
    const before = await unread();
    const res = await request(notification.url)
      .post('/admin/broadcasts')
      .set('Authorization', bearer(admin))
      .set('Idempotency-Key', key())
      .send({ audience: { kind: 'everyone' }, title: { 'zh-CN': '限时', en: 'For a moment' }, body: { 'zh-CN': '马上结束', en: 'Ends at once' }, expiresAt: new Date(Date.now() + 5_000).toISOString() })
      .expect(201);
    const id = (res.body as Broadcast).id;
    const expiresAt = Date.parse((res.body as Broadcast).expiresAt);
    const ids = async () => (await inbox('/me/notifications', buyer.tokens, { locale: 'en' })).items.map((m) => m.id);
    expect(await ids()).toContain(id);
    expect(await unread()).toBe(before + 1);
    // gone once its time has passed, with no row written for any reader
    await new Promise((r) => setTimeout(r, Math.max(0, expiresAt - Date.now()) + 300));
    expect(await ids()).not.toContain(id);
    expect(await unread()).toBe(before);
    const db = notification.service.deps.db;
    expect(await db.select('SELECT 1 FROM broadcast_reads WHERE broadcast_id = :id', { id })).toEqual([]);
    // read now, it is gone: nothing to mark
    expect((await request(notification.url).post(`/me/notifications/${id}/read`).set('Authorization', bearer(buyer.tokens))).status).toBe(404);
  });

  it('when a user switches a category off, then its messages and broadcasts stay out of the inbox; transactional ones cannot be switched off', async () => {
    const prefs = (await request(notification.url).get('/me/notification-preferences').set('Authorization', bearer(buyer.tokens)).expect(200)).body as NotificationPreferences;
    expect(prefs.items.find((p) => p.category === 'orders' && p.channel === 'in_app')).toEqual({ category: 'orders', channel: 'in_app', enabled: true, digest: 'off', locked: true });
    const refused = await request(notification.url)
      .put('/me/notification-preferences')
      .set('Authorization', bearer(buyer.tokens))
      .send({ items: [{ category: 'promotions', channel: 'in_app', enabled: false }, { category: 'refunds', channel: 'in_app', enabled: false }, { category: 'orders', channel: 'email', enabled: false }] });
    expect(refused.status).toBe(400);
    expect(refused.body.errors.map((e: { field: string }) => e.field)).toEqual(['items[1].enabled', 'items[2].enabled']);

    await request(notification.url).put('/me/notification-preferences').set('Authorization', bearer(buyer.tokens)).send({ items: [{ category: 'group_buys', channel: 'in_app', enabled: false }, { category: 'promotions', channel: 'in_app', enabled: false }] }).expect(200);
    const orderId = uuid();
    await deliver('order.paid', { orderId, buyerUserId: buyer.user.id, total: { amount: 100, currency: 'CNY' }, subOrders: [{ subOrderId: uuid(), shopId: merchant.shopId, total: { amount: 100, currency: 'CNY' } }] });
    await deliver('group-buy.formed', { groupId: uuid(), campaignId: uuid(), shopId: merchant.shopId, orderIds: [orderId] });
    await request(notification.url)
      .post('/admin/broadcasts')
      .set('Authorization', bearer(admin))
      .set('Idempotency-Key', key())
      .send({ audience: { kind: 'everyone' }, category: 'promotions', title: { 'zh-CN': '优惠', en: 'Deals' }, body: { 'zh-CN': '优惠', en: 'Deals' }, expiresAt: new Date(Date.now() + 86_400_000).toISOString() })
      .expect(201);
    const titles = (await inbox('/me/notifications', buyer.tokens, { locale: 'en', limit: '100' })).items.map((m) => m.title);
    expect(titles[0]).toBe('Order paid');
    expect(titles).not.toContain('Your group buy is on');
    expect(titles).not.toContain('Deals');
    // the shop still hears the group formed: preferences are the buyer's
    expect((await inbox(`/shops/${merchant.shopId}/notifications`, merchant.tokens, { locale: 'en' })).items[0]!.title).toBe('A group buy formed');
  });

  it('when a client waits for news of its inbox, then a message or a read wakes it at once, and nothing else does before its time', async () => {
    const watch = (query: Record<string, string>) => request(notification.url).get('/me/notifications/changes').query(query).set('Authorization', bearer(buyer.tokens));
    const now = (await watch({}).expect(200)).body as { version: string; unread: number };
    // nothing new: the answer comes when the wait is over, with the same version
    const quiet = (await watch({ after: now.version, waitMs: '300' }).expect(200)).body as { version: string };
    expect(quiet.version).toBe(now.version);

    const started = Date.now();
    const waiting = watch({ after: now.version, waitMs: '8000' });
    const orderId = uuid();
    setTimeout(() => void deliver('order.cancelled', { orderId, buyerUserId: buyer.user.id, reason: 'payment timed out' }), 300);
    const woken = (await waiting.expect(200)).body as { version: string; unread: number };
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(woken.version).not.toBe(now.version);
    expect(woken.unread).toBe(now.unread + 1);

    // reading wakes it too (the badge goes down)
    const again = watch({ after: woken.version, waitMs: '8000' });
    setTimeout(() => void request(notification.url).post('/me/notifications/read-all').set('Authorization', bearer(buyer.tokens)).then(() => undefined), 300);
    expect(((await again.expect(200)).body as { unread: number }).unread).toBe(0);
    expect((await watch({ after: 'x' })).status).toBe(400);
  });

  it('when a message reaches a user, then it is also e-mailed once through the SMTP binding, in their language, unless they switched its category off for e-mail', async () => {
    const reader = await accounts.register('mailreader');
    await request(notification.url).put('/me/notification-preferences').set('Authorization', bearer(reader.tokens)).send({ items: [{ category: 'group_buys', channel: 'email', enabled: false }] }).expect(200);
    const orderId = uuid();
    const paid = { orderId, buyerUserId: reader.user.id, total: { amount: 4_200, currency: 'CNY' }, subOrders: [{ subOrderId: uuid(), shopId: merchant.shopId, total: { amount: 4_200, currency: 'CNY' } }] };
    const id = await deliver('order.paid', paid);
    await deliver('order.paid', paid, id);
    await deliver('group-buy.formed', { groupId: uuid(), campaignId: uuid(), shopId: merchant.shopId, orderIds: [orderId] });
    const address = accounts.email('mailreader');
    const got = await eventually('the e-mail', () => mails(address), (m) => m.length >= 1, 20_000);
    expect(got[0]!.subject).toBe('订单已支付');
    expect(got[0]!.text).toContain('¥42.00');
    expect(got[0]!.html).toContain(`/zh-CN/orders/${orderId}`);
    // the group buy's message is in the inbox, not in the mailbox; the order's e-mail went once
    await new Promise((r) => setTimeout(r, 1_500));
    expect((await mails(address)).map((m) => m.subject)).toEqual(['订单已支付']);
    expect((await inbox('/me/notifications', reader.tokens)).items.filter((m) => m.kind === 'message').map((m) => m.title)).toEqual(['拼团成功', '订单已支付']);
  });

  it('when a user takes a category out of the inbox but keeps it by e-mail, then its messages still come by e-mail', async () => {
    const reader = await accounts.register('mailonly');
    await request(notification.url).put('/me/notification-preferences').set('Authorization', bearer(reader.tokens)).send({ items: [{ category: 'group_buys', channel: 'in_app', enabled: false }] }).expect(200);
    const orderId = uuid();
    await deliver('order.paid', { orderId, buyerUserId: reader.user.id, total: { amount: 1_000, currency: 'CNY' }, subOrders: [{ subOrderId: uuid(), shopId: merchant.shopId, total: { amount: 1_000, currency: 'CNY' } }] });
    await deliver('group-buy.formed', { groupId: uuid(), campaignId: uuid(), shopId: merchant.shopId, orderIds: [orderId] });
    const address = accounts.email('mailonly');
    const got = await eventually('both e-mails', () => mails(address), (m) => m.length >= 2, 20_000);
    expect(got.map((m) => m.subject).sort()).toEqual(['拼团成功', '订单已支付'].sort());
    expect((await inbox('/me/notifications', reader.tokens)).items.filter((m) => m.kind === 'message').map((m) => m.title)).toEqual(['订单已支付']);
  });

  it('when an owner invites someone by e-mail, then the address hears it in both languages; once they join, what reaches the shop reaches each of its staff by e-mail, by their own settings, a digest gathering what they chose', async () => {
    // a shop of its own: the other tests fill kiln's and loom's inboxes (and their owners' mailboxes)
    const weave = await merchantOf('weave');
    const address = accounts.email('weavehand');
    const invited = await request(shop.url).post(`/shops/${weave.shopId}/staff-invitations`).set('Authorization', bearer(weave.tokens)).set('Idempotency-Key', key()).send({ email: address }).expect(201);
    const invitation = await eventually('the invitation e-mail', () => mails(address), (m) => m.length >= 1, 20_000);
    expect(invitation[0]!.subject).toBe('店铺邀请您加入 · You are invited to work for a shop');
    expect(invitation[0]!.html).toContain('weave瓷器');
    expect(invitation[0]!.html).toContain('weave ceramics');
    expect(invitation[0]!.html).toContain('/en/seller');

    const hand = await accounts.register('weavehand');
    await request(shop.url).post(`/me/staff-invitations/${(invited.body as { id: string }).id}/accept`).set('Authorization', bearer(hand.tokens)).set('Idempotency-Key', key()).expect(201);
    // stock news gathered hourly (3 s here), group buys not by e-mail at all; orders cannot be gathered
    const refused = await request(notification.url).put('/me/notification-preferences').set('Authorization', bearer(hand.tokens)).send({ items: [{ category: 'orders', channel: 'email', enabled: true, digest: 'daily' }, { category: 'stock', channel: 'in_app', enabled: true, digest: 'hourly' }] });
    expect(refused.status).toBe(400);
    expect(refused.body.errors.map((e: { field: string }) => e.field)).toEqual(['items.0.digest', 'items.1.digest']);
    await request(notification.url)
      .put('/me/notification-preferences')
      .set('Authorization', bearer(hand.tokens))
      .send({ items: [{ category: 'stock', channel: 'email', enabled: true, digest: 'hourly' }, { category: 'group_buys', channel: 'email', enabled: false }] })
      .expect(200);
    const prefs = (await request(notification.url).get('/me/notification-preferences').set('Authorization', bearer(hand.tokens)).expect(200)).body as NotificationPreferences;
    expect(prefs.items.find((p) => p.category === 'stock' && p.channel === 'email')).toEqual({ category: 'stock', channel: 'email', enabled: true, digest: 'hourly', locked: false });

    await deliver('stock.low', { shopId: weave.shopId, skuId: uuid(), productId: uuid(), available: 2, threshold: 5 });
    await deliver('stock.low', { shopId: weave.shopId, skuId: uuid(), productId: uuid(), available: 0, threshold: 5 });
    await deliver('group-buy.formed', { groupId: uuid(), campaignId: uuid(), shopId: weave.shopId, orderIds: [uuid(), uuid()] });
    const owner = accounts.email('weave');
    // the owner keeps the defaults: each at once
    const ownerMails = await eventually('the owner e-mails', () => mails(owner), (m) => m.filter((x) => x.subject === '库存不足').length >= 2 && m.some((x) => x.subject === '拼团成团'), 20_000);
    expect(ownerMails.filter((x) => x.subject === '库存不足')).toHaveLength(2);
    // the staff member: one digest of both stock messages when the window closes, no group-buy e-mail
    const handMails = await eventually('the digest', () => mails(address), (m) => m.length >= 2, 20_000);
    // (the mailbox lists the newest first)
    expect(handMails.map((m) => m.subject)).toEqual(['您有 2 条新通知', '店铺邀请您加入 · You are invited to work for a shop']);
    expect(handMails[0]!.html).toContain('仅剩 2 件');
    expect(handMails[0]!.html).toContain('已售罄');
    await new Promise((r) => setTimeout(r, 1_500));
    expect(await mails(address)).toHaveLength(2);
    expect((await mails(owner)).filter((x) => x.subject === '库存不足')).toHaveLength(2);
  });

  it('when a broadcast goes to a user tag, then whoever analytics last placed in it reads it, and a change of tag (not an older one) moves it in or out of their inbox', async () => {
    const inTag = await accounts.register('tagged');
    const outOfTag = await accounts.register('untagged');
    const at = (offsetMs: number) => new Date(Date.now() + offsetMs).toISOString();
    await deliver('user-segments.changed', { computedAt: at(0), changes: [{ userId: inTag.user.id, rfm: 'at_risk' }, { userId: outOfTag.user.id, rfm: 'champion' }] });
    const res = await request(notification.url)
      .post('/admin/broadcasts')
      .set('Authorization', bearer(admin))
      .set('Idempotency-Key', key())
      .send({ audience: { kind: 'tag', tag: 'at_risk' }, category: 'promotions', title: { 'zh-CN': '好久不见', en: 'We miss you' }, body: { 'zh-CN': '回来看看', en: 'Come back' }, expiresAt: at(86_400_000) })
      .expect(201);
    const broadcast = res.body as Broadcast;
    expect(broadcast.audience).toEqual({ kind: 'tag', tag: 'at_risk' });
    expect((await request(notification.url).post('/admin/broadcasts').set('Authorization', bearer(admin)).set('Idempotency-Key', key()).send({ audience: { kind: 'tag', tag: 'vip' }, title: { 'zh-CN': 'x', en: 'x' }, body: { 'zh-CN': 'x', en: 'x' }, expiresAt: at(86_400_000) })).status).toBe(400);
    const ids = async (tokens: TokenPair) => (await inbox('/me/notifications', tokens)).items.map((m) => m.id);
    expect(await ids(inTag.tokens)).toContain(broadcast.id);
    expect(await ids(outOfTag.tokens)).not.toContain(broadcast.id);

    // a recompute that came before the one kept changes nothing; a newer one moves them
    await deliver('user-segments.changed', { computedAt: at(-60_000), changes: [{ userId: inTag.user.id, rfm: 'loyal' }, { userId: outOfTag.user.id, rfm: 'at_risk' }] });
    expect(await ids(inTag.tokens)).toContain(broadcast.id);
    expect(await ids(outOfTag.tokens)).not.toContain(broadcast.id);
    await deliver('user-segments.changed', { computedAt: at(1_000), changes: [{ userId: inTag.user.id, rfm: null }, { userId: outOfTag.user.id, rfm: 'at_risk' }] });
    expect(await ids(inTag.tokens)).not.toContain(broadcast.id);
    expect(await ids(outOfTag.tokens)).toContain(broadcast.id);
  });
});
