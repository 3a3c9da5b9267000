import type { CarrierList, InboxPage, Order, Shipment, TokenPair } from '@emporium/contracts';
import { call, e2ePeople, eventually, shipThroughApi, submitCard, testTrackingNumber } from '@emporium/devkit/client';

/**
 * Issue 16's logistics through /api/v1, with the carrier simulator pushing
 * signed checkpoints to the gateway (e2e runs it at one checkpoint every
 * 300 ms; a parcel quiet for 6 s is stale; a delivered sub-order completes
 * 8 s after delivery): a shop ships in two parcels, one with a failed
 * attempt and one whose delivery scan arrives before its out-for-delivery
 * scan; the sub-order is DELIVERED only when both are, then completes on its
 * own; the buyer and the shop see the same timeline and hear what matters;
 * a returned parcel and a silent one reach the shop; duplicates are kept
 * once; nobody else sees any of it.
 */
describe('logistics through /api/v1', () => {
  const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`;
  const { register, admin: platformAdmin, shopSelling, email } = e2ePeople(run);
  let admin: TokenPair;
  let shop: Awaited<ReturnType<ReturnType<typeof e2ePeople>['shopSelling']>>;
  let other: Awaited<ReturnType<ReturnType<typeof e2ePeople>['shopSelling']>>;

  beforeAll(async () => {
    admin = await platformAdmin();
    [shop, other] = await Promise.all([shopSelling('shipper', admin, 4000, 100), shopSelling('bystander', admin, 4000, 10)]);
  });

  const order = async (token: TokenPair, id: string) => (await call<Order>('GET', `/orders/${id}`, { token })).body;
  async function buy(token: TokenPair): Promise<Order> {
    const started = await call<Order>('POST', '/checkout', { token, idempotent: true, body: { paymentMethod: 'card', lines: [{ skuId: shop.skuId, quantity: 1 }] } });
    expect(started.status).toBe(202);
    expect((await submitCard(started.body.payment!.hostedUrl!)).status).toBe(303);
    return eventually('paid', () => order(token, started.body.id), (o) => o.status === 'paid');
  }
  const shipments = async (token: TokenPair, orderId: string) => (await call<{ items: Shipment[] }>('GET', `/orders/${orderId}/shipments`, { token })).body.items;
  const shopInbox = async () => (await call<InboxPage>('GET', `/shops/${shop.shopId}/notifications?locale=en&limit=100`, { token: shop.tokens })).body.items;
  const codes = (s: Shipment, i: number) => s.parcels[i]!.events.map((e) => e.code);

  it('when the carriers are asked for, then anyone gets the list with each pattern', async () => {
    const list = await call<CarrierList>('GET', '/carriers');
    expect(list.status).toBe(200);
    expect(list.body.items.find((c) => c.code === 'SF')).toMatchObject({ name: { 'zh-CN': '顺丰速运', en: 'SF Express' } });
  });

  it('when a shop ships in two parcels, then the sub-order is delivered with the last of them, whatever order the scans came in, and completes on its own', async () => {
    const buyer = (await register('tracked')).tokens;
    const o = await buy(buyer);
    const sub = o.subOrders[0]!;
    // numbers that are not their carrier's, and a carrier nobody has, are refused, each by the field that is wrong
    const wrong = await call<{ errors: { field: string }[] }>('POST', `/shops/${shop.shopId}/shipments`, { token: shop.tokens, idempotent: true, body: { subOrderId: sub.id, parcels: [{ carrier: 'SF', trackingNumber: 'SF123' }, { carrier: 'JD', trackingNumber: 'SF1234567890123' }] } });
    expect([wrong.status, wrong.body.errors.map((e) => e.field)]).toEqual([400, ['parcels.0.trackingNumber', 'parcels.1.trackingNumber']]);
    const unknown = await call<{ errors: { field: string }[] }>('POST', `/shops/${shop.shopId}/shipments`, { token: shop.tokens, idempotent: true, body: { subOrderId: sub.id, parcels: [{ carrier: 'ACME', trackingNumber: 'SF1234567890123' }] } });
    expect([unknown.status, unknown.body.errors[0]!.field]).toEqual([400, 'parcels.0.carrier']);
    // another shop's staff cannot ship it
    expect((await shipThroughApi(other, sub.id)).status).toBe(404);

    const [attempted, outOfOrder] = [testTrackingNumber('failedAttempt'), testTrackingNumber('outOfOrder')];
    // written as a shop clerk might: spaces, lower case
    const made = await call<Shipment>('POST', `/shops/${shop.shopId}/shipments`, {
      token: shop.tokens,
      idempotent: true,
      body: { subOrderId: sub.id, parcels: [{ carrier: 'SF', trackingNumber: attempted.toLowerCase().replace(/(\d{4})/, '$1 ') }, { carrier: 'SF', trackingNumber: outOfOrder }] },
    });
    expect(made.status).toBe(201);
    // each parcel is new, or already told of by the carrier (its first push, 300 ms apart here, may beat this answer on a busy machine)
    expect(made.body.parcels.map((p) => [p.trackingNumber, ['pending', 'info_received'].includes(p.status)])).toEqual([
      [attempted, true],
      [outOfOrder, true],
    ]);
    // the same tracking number cannot follow another parcel while this one is on its way
    const second = await buy(buyer);
    const reused = await shipThroughApi(shop, second.subOrders[0]!.id, [attempted]);
    expect([reused.status, (reused.body as unknown as { code: string }).code]).toEqual([409, 'tracking_number_in_use']);

    const shipped = await eventually('shipped', () => order(buyer, o.id), (x) => x.subOrders[0]!.status === 'SHIPPED');
    expect(shipped.subOrders[0]!.shipment).toEqual({ carrier: 'SF', trackingNumber: attempted });
    // the out-of-order parcel is delivered first; the sub-order waits for the other
    await eventually('one parcel delivered', () => shipments(buyer, o.id), (s) => s[0]!.parcels[1]!.status === 'delivered', 20_000);
    expect((await order(buyer, o.id)).subOrders[0]!.status).toBe('SHIPPED');
    // its out-for-delivery scan, older, arrives after the delivery: kept as history, the parcel stays delivered
    const late = await eventually('the late scan', () => shipments(buyer, o.id), (s) => s[0]!.parcels[1]!.events.some((e) => e.code === 'OUT_FOR_DELIVERY'), 20_000);
    expect(late[0]!.parcels[1]!.events.find((e) => e.code === 'OUT_FOR_DELIVERY')).toMatchObject({ applied: false, status: 'out_for_delivery' });
    expect(late[0]!.parcels[1]!.status).toBe('delivered');
    const done = await eventually('both delivered', () => shipments(buyer, o.id), (s) => s[0]!.deliveredAt !== null, 20_000);
    // the failed attempt was read by its code, not by its words ("could not deliver")
    const attemptEvent = done[0]!.parcels[0]!.events.find((e) => e.code === 'DELIVERY_ATTEMPTED')!;
    expect(attemptEvent).toMatchObject({ status: 'failed_attempt', applied: true });
    expect(attemptEvent.description).toMatch(/Could not deliver/);
    expect(codes(done[0]!, 0)).toEqual(['ORDER_RECEIVED', 'PICKED_UP', 'DEPARTED', 'ARRIVED', 'OUT_FOR_DELIVERY', 'DELIVERY_ATTEMPTED', 'OUT_FOR_DELIVERY', 'DELIVERED']);
    const delivered = await eventually('delivered', () => order(buyer, o.id), (x) => x.subOrders[0]!.status === 'DELIVERED');
    expect(delivered.subOrders[0]!.autoCompleteAt).not.toBeNull();
    // the shop sees the same timeline
    const forShop = (await call<{ items: Shipment[] }>('GET', `/shops/${shop.shopId}/shipments?subOrderId=${sub.id}`, { token: shop.tokens })).body.items;
    expect(forShop.map((s) => s.id)).toEqual([made.body.id]);
    expect(codes(forShop[0]!, 1)).toEqual(codes(done[0]!, 1));
    // nobody else sees it
    const stranger = (await register('stranger')).tokens;
    expect((await call('GET', `/orders/${o.id}/shipments`, { token: stranger })).status).toBe(404);
    expect((await call('GET', `/shops/${other.shopId}/shipments/${made.body.id}`, { token: other.tokens })).status).toBe(404);
    expect((await call('GET', `/shops/${shop.shopId}/shipments/${made.body.id}`, { token: other.tokens })).status).toBe(404);

    // the buyer heard: shipped, out for delivery once, the failed attempt, delivered
    const mine = await eventually('the buyer told', async () => (await call<InboxPage>(`GET`, '/me/notifications?locale=en', { token: buyer })).body.items.filter((m) => m.kind === 'message'), (ms) => ms.some((m) => m.title === 'Delivered'));
    // out for delivery once (the redelivery after the attempt and the late scan of the other parcel say nothing), the attempt, the delivery
    const count = (title: string) => mine.filter((m) => m.title === title).length;
    expect([count('Your parcel is on its way'), count('Out for delivery'), count('Delivery attempt failed'), count('Delivered')]).toEqual([1, 1, 1, 1]);
    expect(mine.find((m) => m.title === 'Delivery attempt failed')!.body).toContain('attempt 1');

    // nobody confirms: 8 s after delivery it completes, and the shop's money is released
    const completed = await eventually('completed on its own', () => order(buyer, o.id), (x) => x.subOrders[0]!.status === 'COMPLETED', 30_000);
    expect(completed.subOrders[0]!.timeline.map((e) => e.status)).toEqual(['PENDING_PAYMENT', 'PAID', 'SHIPPED', 'DELIVERED', 'COMPLETED']);
    expect(completed.subOrders[0]!.timeline.at(-1)!.note).toBe('confirmed automatically');
  });

  it('when both shops of a paid two-shop order ship, then the carrier takes each sub-order to DELIVERED and COMPLETED, releases each shop its money, and the buyer hears each step once, in the inbox and by e-mail, in their language', async () => {
    // dear enough to ship free (from 99.00): each sub-order's total is its price
    const [north, south] = await Promise.all([shopSelling('north', admin, 12_000, 5), shopSelling('south', admin, 15_000, 5)]);
    const buyer = (await register('two-shops')).tokens;
    // this buyer reads Chinese: every message and e-mail is rendered in it
    expect((await call('PATCH', '/me', { token: buyer, body: { locale: 'zh-CN' } })).status).toBe(200);
    const ledger = async () => (await call<{ ok: boolean; balances: { account: string; balance: { amount: number } }[] }>('GET', '/admin/ledger', { token: admin })).body;
    const balance = (l: Awaited<ReturnType<typeof ledger>>, account: string) => l.balances.find((b) => b.account === account)?.balance.amount ?? 0;
    const before = await ledger();

    const started = await call<Order>('POST', '/checkout', { token: buyer, idempotent: true, body: { paymentMethod: 'card', lines: [{ skuId: north.skuId, quantity: 1 }, { skuId: south.skuId, quantity: 1 }] } });
    expect(started.status).toBe(202);
    const payable = await eventually('payable', () => order(buyer, started.body.id), (o) => Boolean(o.payment?.hostedUrl));
    expect((await submitCard(payable.payment!.hostedUrl!)).status).toBe(303);
    const paid = await eventually('paid', () => order(buyer, started.body.id), (o) => o.status === 'paid');
    const subOf = (s: { shopId: string }) => paid.subOrders.find((x) => x.shopId === s.shopId)!;
    // north's one parcel fails its first attempt; south's two parcels: one whose checkpoints all come twice, one whose out-for-delivery scan comes after its delivery
    const [attempted, doubled, late] = [testTrackingNumber('failedAttempt'), testTrackingNumber('duplicates'), testTrackingNumber('outOfOrder')];
    expect((await shipThroughApi(north, subOf(north).id, [attempted])).status).toBe(201);
    expect((await shipThroughApi(south, subOf(south).id, [doubled, late])).status).toBe(201);

    // each sub-order is delivered by the carrier's callbacks, then completes on its own (8 s after delivery here)
    const done = await eventually('both completed', () => order(buyer, paid.id), (o) => o.subOrders.every((s) => s.status === 'COMPLETED'), 60_000);
    for (const s of done.subOrders) expect(s.timeline.map((e) => e.status)).toEqual(['PENDING_PAYMENT', 'PAID', 'SHIPPED', 'DELIVERED', 'COMPLETED']);
    // the duplicates were kept once, and the late scan is history that moved nothing back
    const southParcels = (await shipments(buyer, paid.id)).find((x) => x.subOrderId === subOf(south).id)!;
    const [twice, behind] = [southParcels.parcels.find((p) => p.trackingNumber === doubled)!, southParcels.parcels.find((p) => p.trackingNumber === late)!];
    expect(twice.events.map((e) => e.code)).toEqual(['ORDER_RECEIVED', 'PICKED_UP', 'DEPARTED', 'ARRIVED', 'OUT_FOR_DELIVERY', 'DELIVERED']);
    expect(behind.events.find((e) => e.code === 'OUT_FOR_DELIVERY')).toMatchObject({ applied: false });
    expect([twice.status, behind.status]).toEqual(['delivered', 'delivered']);

    // each shop's part, less the 6 % commission, left escrow for its receivable
    const expected = { [north.shopId]: 12_000 - 720, [south.shopId]: 15_000 - 900 };
    const end = await eventually('escrow released', ledger, (l) => Object.entries(expected).every(([shopId, net]) => balance(l, `receivable:${shopId}`) - balance(before, `receivable:${shopId}`) === net));
    expect(end.ok).toBe(true);
    for (const shopId of Object.keys(expected)) expect(balance(end, `escrow:${shopId}`) - balance(before, `escrow:${shopId}`)).toBe(0);

    // the buyer: one message per step, in Chinese (out for delivery once a parcel: the retry after the attempt and the late scan say nothing)
    const steps = { 订单已支付: 1, 包裹已发出: 2, 包裹派送中: 2, 派送未成功: 1, 包裹已送达: 2, 订单已完成: 2 };
    const total = Object.values(steps).reduce((a, b) => a + b, 0);
    const tally = (titles: string[]) => Object.fromEntries(Object.keys(steps).map((t) => [t, titles.filter((x) => x === t).length]));
    const inbox = async () => (await call<InboxPage>('GET', '/me/notifications?locale=zh-CN&limit=100', { token: buyer })).body.items.filter((m) => m.kind === 'message');
    const heard = await eventually('the buyer told', inbox, (ms) => ms.length >= total, 20_000);
    expect(tally(heard.map((m) => m.title))).toEqual(steps);
    expect(heard).toHaveLength(total);
    expect(heard.find((m) => m.title === '派送未成功')!.body).toContain(attempted);
    // and one e-mail per step, in Chinese
    const SINK = process.env.EMPORIUM_MAIL_SINK_URL ?? 'http://127.0.0.1:3191';
    const mails = async () => ((await (await fetch(`${SINK}/messages?to=${encodeURIComponent(email('two-shops'))}`)).json()) as { items: { subject: string }[] }).items;
    const sent = await eventually('the e-mails', mails, (m) => m.length >= total, 30_000);
    expect(tally(sent.map((m) => m.subject))).toEqual(steps);
    expect(sent).toHaveLength(total);
    // the failed attempt reached north's staff too, and nobody at south
    const inboxOf = async (s: typeof north) => (await call<InboxPage>('GET', `/shops/${s.shopId}/notifications?locale=en&limit=100`, { token: s.tokens })).body.items;
    const northHeard = await eventually('north told of the attempt', () => inboxOf(north), (ms) => ms.some((m) => m.title === 'Delivery attempt failed'));
    expect(northHeard.filter((m) => m.title === 'Delivery attempt failed').map((m) => m.body.includes(attempted))).toEqual([true]);
    expect((await inboxOf(south)).some((m) => m.title === 'Delivery attempt failed')).toBe(false);
    for (const s of [north, south]) expect((await eventually('the shop told of its money', () => inboxOf(s), (ms) => ms.some((m) => m.title === 'Order complete, money released'))).filter((m) => m.title === 'Order complete, money released')).toHaveLength(1);

    // nothing more comes late: a second look a little later finds the same
    await new Promise((r) => setTimeout(r, 1_500));
    expect(await inbox()).toHaveLength(total);
  });

  it('when the carrier sends every checkpoint twice and the delivery again, then each is kept and applied once', async () => {
    const buyer = (await register('doubled')).tokens;
    const o = await buy(buyer);
    expect((await shipThroughApi(shop, o.subOrders[0]!.id, [testTrackingNumber('duplicates')])).status).toBe(201);
    const done = await eventually('delivered', () => shipments(buyer, o.id), (s) => s[0]?.deliveredAt != null, 20_000);
    // let the copies and the re-push land
    await new Promise((r) => setTimeout(r, 1500));
    const again = await shipments(buyer, o.id);
    expect(codes(again[0]!, 0)).toEqual(['ORDER_RECEIVED', 'PICKED_UP', 'DEPARTED', 'ARRIVED', 'OUT_FOR_DELIVERY', 'DELIVERED']);
    expect(again[0]!.deliveredAt).toBe(done[0]!.deliveredAt);
  });

  it('when a parcel is refused and returned, or goes silent, then the shop is told, and a silent one is listed as stale', async () => {
    const buyer = (await register('returned')).tokens;
    const [a, b] = [await buy(buyer), await buy(buyer)];
    const [refusedNo, silentNo] = [testTrackingNumber('returned'), testTrackingNumber('silent')];
    expect((await shipThroughApi(shop, a.subOrders[0]!.id, [refusedNo])).status).toBe(201);
    expect((await shipThroughApi(shop, b.subOrders[0]!.id, [silentNo])).status).toBe(201);
    const back = await eventually('returned', () => shipments(buyer, a.id), (s) => s[0]?.parcels[0]?.exceptionKind === 'returned_to_sender', 20_000);
    expect(back[0]!.parcels[0]!.status).toBe('exception');
    expect(back[0]!.deliveredAt).toBeNull();
    const told = await eventually('the shop told', shopInbox, (ms) => ms.some((m) => m.title === 'A parcel has a problem' && m.body.includes(refusedNo) && m.body.includes('returned to the sender')));
    expect(told.filter((m) => m.body.includes(refusedNo)).length).toBeGreaterThanOrEqual(2); // refused, returning, returned
    expect((await order(buyer, a.id)).subOrders[0]!.status).toBe('SHIPPED');
    // the silent parcel: stale after 6 s without news
    await eventually('the shop told of silence', shopInbox, (ms) => ms.some((m) => m.title === 'No tracking news' && m.body.includes(silentNo)), 30_000);
    const stale = (await call<{ items: Shipment[] }>('GET', `/shops/${shop.shopId}/shipments?stale=true`, { token: shop.tokens })).body.items;
    expect(stale.some((s) => s.parcels.some((p) => p.trackingNumber === silentNo && p.staleSince !== null))).toBe(true);
    expect(stale.some((s) => s.parcels.some((p) => p.trackingNumber === refusedNo))).toBe(false);
  });

  it('when a callback reaches the gateway unsigned, then it is refused with 401', async () => {
    const res = await call('POST', '/webhooks/tracking/sim', { body: { id: 'evt_forged', type: 'tracking.checkpoint', reference: '5b0f1f0e-7a53-4f59-9a35-3d2b2f0a9c11', carrier: 'SF', trackingNumber: 'SF123456789012', checkpoint: { code: 'DELIVERED', description: 'x', location: null, occurredAt: new Date().toISOString() } } });
    expect(res.status).toBe(401);
  });
});
