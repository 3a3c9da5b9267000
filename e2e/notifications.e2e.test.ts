import type { InboxPage, Order } from '@emporium/contracts';
import { call, e2ePeople, eventually, submitCard } from '@emporium/devkit/client';

/**
 * Messages through /api/v1 (issue #16, the inbox part): a two-shop order
 * paid and shipped tells the buyer each step once, in the inbox in the
 * language asked and by e-mail in theirs,
 * and each shop what concerns it (a refund asked, then refused); nobody
 * reads another's inbox.
 */
describe('messages through /api/v1', () => {
  const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`;
  const { register, admin: platformAdmin, shopSelling, email } = e2ePeople(run);
  /** the SMTP sink `npm run dev` starts beside the platform (externals.yaml) */
  const SINK = process.env.EMPORIUM_MAIL_SINK_URL ?? 'http://127.0.0.1:3191';
  const mails = async (to: string) => ((await (await fetch(`${SINK}/messages?to=${encodeURIComponent(to)}`)).json()) as { items: { subject: string; text: string }[] }).items;

  it('when a two-shop order is paid and shipped, then the buyer hears each step once and each shop its part', async () => {
    const admin = await platformAdmin();
    const [a, b] = await Promise.all([shopSelling('ntfx', admin, 3_900, 10), shopSelling('ntfy', admin, 12_800, 10)]);
    const buyer = (await register('ntf-two-shops')).tokens;
    const placed = await call<Order>('POST', '/checkout', { token: buyer, idempotent: true, body: { paymentMethod: 'card', lines: [{ skuId: a.skuId, quantity: 1 }, { skuId: b.skuId, quantity: 1 }] } });
    expect(placed.status).toBe(202);
    const pending = await eventually('payable', async () => (await call<Order>('GET', `/orders/${placed.body.id}`, { token: buyer })).body, (o) => Boolean(o.payment?.hostedUrl));
    await submitCard(pending.payment!.hostedUrl!);
    const paid = await eventually('paid', async () => (await call<Order>('GET', `/orders/${placed.body.id}`, { token: buyer })).body, (o) => o.status === 'paid');

    const mine = (locale: string) => call<InboxPage>('GET', `/me/notifications?locale=${locale}`, { token: buyer });
    const zh = await eventually('the buyer told', async () => (await mine('zh-CN')).body, (p) => p.items.length >= 1, 15_000);
    expect(zh.items.map((m) => m.title)).toEqual(['订单已支付']);
    expect(zh.items[0]!.link).toBe(`/orders/${placed.body.id}`);
    for (const s of [a, b]) {
      const shopInbox = await eventually('the shop told', async () => (await call<InboxPage>('GET', `/shops/${s.shopId}/notifications?locale=en`, { token: s.tokens })).body, (p) => p.items.some((m) => m.title === 'New order to ship'), 15_000);
      expect(shopInbox.items.filter((m) => m.title === 'New order to ship')).toHaveLength(1);
    }
    // one shop's staff cannot read the other's inbox, nor the buyer's messages be read by id through it
    expect((await call('GET', `/shops/${b.shopId}/notifications`, { token: a.tokens })).status).toBe(404);
    expect((await call('POST', `/shops/${a.shopId}/notifications/${zh.items[0]!.id}/read`, { token: a.tokens })).status).toBe(404);

    const sub = paid.subOrders.find((s) => s.shopId === a.shopId)!;
    expect((await call('POST', `/shops/${a.shopId}/orders/${sub.id}/ship`, { token: a.tokens, idempotent: true, body: { carrier: 'SF', trackingNumber: 'SF1234567890' } })).status).toBe(200);
    const en = await eventually('shipping told', async () => (await mine('en')).body, (p) => p.items.length >= 2, 15_000);
    expect(en.items.map((m) => m.title)).toEqual(['Your parcel is on its way', 'Order paid']);
    expect(en.items[0]!.body).toContain('SF1234567890');
    expect(en.unread).toBe(2);
    // a refund asked of the other shop: that shop hears it, then the buyer hears its refusal, in their language
    const other = paid.subOrders.find((s) => s.shopId === b.shopId)!;
    const asked = await call<{ id: string }>('POST', `/orders/${placed.body.id}/sub-orders/${other.id}/refunds`, { token: buyer, idempotent: true, body: { reason: 'changed my mind' } });
    expect(asked.status).toBe(201);
    await eventually('the shop asked', async () => (await call<InboxPage>('GET', `/shops/${b.shopId}/notifications?locale=en`, { token: b.tokens })).body, (p) => p.items.some((m) => m.title === 'Refund requested' && m.body.includes('changed my mind')), 15_000);
    const decided = await call('POST', `/shops/${b.shopId}/orders/${other.id}/refunds/${asked.body.id}/decision`, { token: b.tokens, idempotent: true, body: { decision: 'reject', reason: 'made to order' } });
    expect(decided.status).toBe(200);
    const told = await eventually('the buyer told of the refusal', async () => (await mine('en')).body, (p) => p.items.length >= 3, 15_000);
    expect(told.items[0]).toMatchObject({ title: 'Refund declined', category: 'refunds' });
    expect(told.items[0]!.body).toContain('made to order');

    const all = await call<{ marked: number }>('POST', '/me/notifications/read-all', { token: buyer });
    expect(all.body.marked).toBe(3);

    // and one e-mail per step, in the buyer's language (these people sign up in English), through Dapr's SMTP binding
    const inbox = email('ntf-two-shops');
    const sent = await eventually('the e-mails', () => mails(inbox), (m) => m.length >= 3, 20_000);
    expect(sent.map((m) => m.subject)).toEqual(['Refund declined', 'Your parcel is on its way', 'Order paid']);
    expect(sent[0]!.text).toContain('made to order');
    expect((await call<{ unread: number }>('GET', '/me/notifications/unread-count', { token: buyer })).body.unread).toBe(0);
  });
});
