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
  const { register, admin: platformAdmin, shopSelling } = e2ePeople(run);
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
