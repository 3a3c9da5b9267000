import type { InboxPage, Order, Shipment, Stock, SubOrderRefund, SubOrderReturn, TokenPair } from '@emporium/contracts';
import { call, e2ePeople, eventually, paymentPage, shipThroughApi, submitCard, testTrackingNumber } from '@emporium/devkit/client';

/**
 * Issue 16's after-sales through /api/v1 (e2e completes a delivered
 * sub-order 8 s after delivery): a return after completion is asked,
 * approved with an address, sent back and tracked by logistics, received
 * with its units back in stock, and refunded through the refund workflow,
 * the shop's released money clawed back and the ledger balanced; each step
 * reaches the other party. A refund before shipping puts its units back in
 * stock at once.
 */
describe('after-sales through /api/v1', () => {
  const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`;
  const { register, admin: platformAdmin, shopSelling } = e2ePeople(run);
  let admin: TokenPair;
  let shop: Awaited<ReturnType<ReturnType<typeof e2ePeople>['shopSelling']>>;

  beforeAll(async () => {
    admin = await platformAdmin();
    // 40.00 a teapot; commission 6 %
    shop = await shopSelling('returns', admin, 4000, 100);
  });

  type Ledger = { ok: boolean; balances: { account: string; balance: { amount: number } }[] };
  const ledger = async () => (await call<Ledger>('GET', '/admin/ledger', { token: admin })).body;
  const balance = (l: Ledger, account: string) => l.balances.find((b) => b.account === account)?.balance.amount ?? 0;
  /** What the shop was given, paid out or not, less what it owes back: the same whenever a payout runs. */
  const shopsDue = (l: Ledger) => balance(l, `receivable:${shop.shopId}`) + balance(l, `payout:${shop.shopId}`) + balance(l, `clawback:${shop.shopId}`);
  const order = async (token: TokenPair, id: string) => (await call<Order>('GET', `/orders/${id}`, { token })).body;
  const available = async () => (await call<Stock>('GET', `/shops/${shop.shopId}/stock/${shop.skuId}`, { token: shop.tokens })).body.available;
  async function buy(token: TokenPair, quantity: number): Promise<Order> {
    const started = await call<Order>('POST', '/checkout', { token, idempotent: true, body: { paymentMethod: 'card', lines: [{ skuId: shop.skuId, quantity }] } });
    expect(started.status).toBe(202);
    expect((await submitCard(await paymentPage(started.body, token))).status).toBe(303);
    return eventually('paid', () => order(token, started.body.id), (o) => o.status === 'paid');
  }
  const theReturn = async (token: TokenPair, o: Order) => (await order(token, o.id)).subOrders[0]!.returns[0]!;
  const shopTitles = async () => (await call<InboxPage>('GET', `/shops/${shop.shopId}/notifications?locale=en&limit=100`, { token: shop.tokens })).body.items.map((m) => m.title);
  const buyerTitles = async (token: TokenPair) => (await call<InboxPage>('GET', '/me/notifications?locale=en&limit=100', { token })).body.items.map((m) => m.title);

  it('when goods of a completed order come back, then they are back in stock, the buyer is refunded, the shop’s released money is clawed back and the ledger balances', async () => {
    const buyer = (await register('returner')).tokens;
    const o = await buy(buyer, 3); // 120.00, free shipping (from 99)
    const sub = o.subOrders[0]!;
    // not delivered yet: nothing to return
    const early = await call<{ code: string }>('POST', `/orders/${o.id}/sub-orders/${sub.id}/returns`, { token: buyer, idempotent: true, body: { reason: 'changed my mind', lines: [{ skuId: shop.skuId, quantity: 1 }] } });
    expect([early.status, early.body.code]).toEqual([409, 'not_delivered']);

    const before = await ledger();
    expect((await shipThroughApi(shop, sub.id, [testTrackingNumber('delivered')])).status).toBe(201);
    const completed = await eventually('completed on its own after delivery', () => order(buyer, o.id), (x) => x.subOrders[0]!.status === 'COMPLETED', 40_000);
    expect(completed.subOrders[0]!.returnableUntil).not.toBeNull();
    // 120.00 less 6 %: 112.80 released to the shop
    const released = await eventually('released', ledger, (l) => shopsDue(l) - shopsDue(before) === 11_280);
    // completing earned the buyer points for the 120.00 kept
    const points = async () => (await call<{ points: number; growth: number }>('GET', '/me/points', { token: buyer })).body;
    const earned = await eventually('points earned', points, (p) => p.points > 0);

    // the buyer asks to return one teapot; one return at a time
    const asked = await call<SubOrderReturn>('POST', `/orders/${o.id}/sub-orders/${sub.id}/returns`, { token: buyer, idempotent: true, body: { reason: 'the glaze is cracked', lines: [{ skuId: shop.skuId, quantity: 1 }] } });
    expect([asked.status, asked.body.status, asked.body.amount.amount]).toEqual([201, 'requested', 4_000]);
    const again = await call<{ code: string }>('POST', `/orders/${o.id}/sub-orders/${sub.id}/returns`, { token: buyer, idempotent: true, body: { reason: 'the other one too', lines: [{ skuId: shop.skuId, quantity: 1 }] } });
    expect([again.status, again.body.code]).toEqual([409, 'return_open']);
    // its refund is not the shop's to approve on its own: it goes out with the goods' receipt
    const early2 = await call<{ code: string }>('POST', `/shops/${shop.shopId}/orders/${sub.id}/refunds/${asked.body.refundId}/decision`, { token: shop.tokens, idempotent: true, body: { decision: 'approve' } });
    expect([early2.status, early2.body.code]).toEqual([409, 'decided_by_return']);
    // nobody else sees or decides it
    const stranger = await shopSelling('not-the-shop', admin, 1000, 1);
    expect((await call('POST', `/shops/${stranger.shopId}/returns/${asked.body.id}/decision`, { token: stranger.tokens, idempotent: true, body: { decision: 'reject', reason: 'not mine' } })).status).toBe(404);
    expect((await call('POST', `/shops/${shop.shopId}/returns/${asked.body.id}/decision`, { token: stranger.tokens, idempotent: true, body: { decision: 'reject', reason: 'not mine' } })).status).toBe(404);
    await eventually('the shop told', shopTitles, (ts) => ts.includes('Return requested'));

    // the shop approves, naming where the goods go
    const address = { recipient: 'Returns desk', phone: '+8613800138000', province: '浙江省', city: '丽水市', district: '龙泉市', street: '剑川大道 1 号' };
    const approved = await call<SubOrderReturn>('POST', `/shops/${shop.shopId}/returns/${asked.body.id}/decision`, { token: shop.tokens, idempotent: true, body: { decision: 'approve', returnAddress: address } });
    expect([approved.status, approved.body.status, approved.body.returnAddress?.recipient]).toEqual([200, 'approved', 'Returns desk']);
    await eventually('the buyer told', () => buyerTitles(buyer), (ts) => ts.includes('Return approved'));

    // the buyer sends them back; logistics follows the parcel to the shop
    const back = testTrackingNumber('delivered');
    expect((await call('POST', `/orders/${o.id}/returns/${asked.body.id}/shipments`, { token: stranger.tokens, idempotent: true, body: { carrier: 'SF', trackingNumber: back } })).status).toBe(404);
    const sent = await call<Shipment>('POST', `/orders/${o.id}/returns/${asked.body.id}/shipments`, { token: buyer, idempotent: true, body: { carrier: 'SF', trackingNumber: back } });
    expect([sent.status, sent.body.purpose, sent.body.returnId]).toEqual([201, 'return', asked.body.id]);
    const arrived = await eventually('delivered to the shop', () => theReturn(buyer, o), (r) => r.status === 'delivered_to_shop', 30_000);
    expect(arrived.shipment?.trackingNumber).toBe(back);
    expect(arrived.timeline.map((e) => [e.status, e.by])).toEqual([
      ['requested', 'buyer'],
      ['approved', 'shop'],
      ['shipped_back', 'buyer'],
      ['delivered_to_shop', 'carrier'],
    ]);
    await eventually('the shop told of the parcel', shopTitles, (ts) => ts.includes('Goods sent back') && ts.includes('Returned goods delivered'));

    // received: the teapot goes back in stock (audited) and the refund goes out
    const stockBefore = await available();
    const received = await call<SubOrderReturn>('POST', `/shops/${shop.shopId}/returns/${asked.body.id}/receipt`, { token: shop.tokens, idempotent: true, body: { decision: 'received' } });
    expect([received.status, received.body.status, received.body.restocked]).toEqual([200, 'received', [{ skuId: shop.skuId, quantity: 1 }]]);
    expect(await available()).toBe(stockBefore + 1);
    const movements = (await call<{ movements: { kind: string; reason: string | null; orderId: string | null }[] }>('GET', `/shops/${shop.shopId}/stock/${shop.skuId}`, { token: shop.tokens })).body.movements;
    expect(movements.find((m) => m.kind === 'restock')).toMatchObject({ orderId: o.id, reason: expect.stringContaining('returned goods') });
    const refunded = await eventually('refunded', () => theReturn(buyer, o), (r) => r.status === 'refunded', 30_000);
    expect(refunded.timeline.at(-1)).toMatchObject({ status: 'refunded', by: 'platform' });
    const after = await order(buyer, o.id);
    expect([after.subOrders[0]!.status, after.subOrders[0]!.refunded.amount]).toEqual(['COMPLETED', 4_000]);
    expect(after.subOrders[0]!.refunds.find((r: SubOrderRefund) => r.returnId === asked.body.id)?.status).toBe('refunded');
    await eventually('the buyer told of the receipt', () => buyerTitles(buyer), (ts) => ts.includes('Your return arrived'));

    // the points earned for the teapot that came back are taken back (a third of them), once
    const after3 = await eventually('points taken back', points, (p) => p.points === earned.points - Math.floor(earned.points / 3));
    expect(after3.growth).toBe(earned.growth - Math.floor(earned.growth / 3));
    const entries = (await call<{ items: { kind: string; points: number }[] }>('GET', '/me/points/entries', { token: buyer })).body.items;
    expect(entries.filter((x) => x.kind === 'revoke').map((x) => x.points)).toEqual([-Math.floor(earned.points / 3)]);
    // the shop's part (40.00 less its 2.40 commission) came back out of what it was owed; the ledger balances
    const end = await eventually('clawed back', ledger, (l) => shopsDue(l) - shopsDue(before) === 11_280 - 3_760);
    expect(end.ok).toBe(true);
    // nothing of it came out of escrow: that money had left for the shop already
    expect(balance(end, `escrow:${shop.shopId}`)).toBe(balance(released, `escrow:${shop.shopId}`));
  });

  it('when the shop refuses a return, or the buyer withdraws one, then no money moves and another may be asked', async () => {
    const buyer = (await register('undecided')).tokens;
    const o = await buy(buyer, 1);
    const sub = o.subOrders[0]!;
    expect((await shipThroughApi(shop, sub.id, [testTrackingNumber('delivered')])).status).toBe(201);
    await eventually('delivered', () => order(buyer, o.id), (x) => x.subOrders[0]!.status === 'DELIVERED' || x.subOrders[0]!.status === 'COMPLETED', 30_000);
    const ask = () => call<SubOrderReturn>('POST', `/orders/${o.id}/sub-orders/${sub.id}/returns`, { token: buyer, idempotent: true, body: { reason: 'not as pictured', lines: [{ skuId: shop.skuId, quantity: 1 }] } });
    const first = await ask();
    const refused = await call<SubOrderReturn>('POST', `/shops/${shop.shopId}/returns/${first.body.id}/decision`, { token: shop.tokens, idempotent: true, body: { decision: 'reject', reason: 'made to order' } });
    expect([refused.body.status, refused.body.note]).toEqual(['rejected', 'made to order']);
    await eventually('the buyer told', () => buyerTitles(buyer), (ts) => ts.includes('Return declined'));
    const second = await ask();
    expect(second.status).toBe(201);
    const withdrawn = await call<SubOrderReturn>('POST', `/orders/${o.id}/returns/${second.body.id}/cancel`, { token: buyer, idempotent: true });
    expect(withdrawn.body.status).toBe('cancelled');
    // nothing was sent back: a receipt is refused
    expect((await call('POST', `/shops/${shop.shopId}/returns/${second.body.id}/receipt`, { token: shop.tokens, idempotent: true, body: { decision: 'received' } })).status).toBe(409);
    expect((await order(buyer, o.id)).subOrders[0]!.refunded.amount).toBe(0);
  });

  it('when the shop disputes what came back, then no refund goes out, nothing is restocked, and the buyer and the platform are told', async () => {
    const buyer = (await register('disputer')).tokens;
    const o = await buy(buyer, 1);
    const sub = o.subOrders[0]!;
    expect((await shipThroughApi(shop, sub.id, [testTrackingNumber('delivered')])).status).toBe(201);
    await eventually('delivered', () => order(buyer, o.id), (x) => ['DELIVERED', 'COMPLETED'].includes(x.subOrders[0]!.status), 30_000);
    const asked = await call<SubOrderReturn>('POST', `/orders/${o.id}/sub-orders/${sub.id}/returns`, { token: buyer, idempotent: true, body: { reason: 'arrived broken', lines: [{ skuId: shop.skuId, quantity: 1 }] } });
    expect(asked.status).toBe(201);
    const address = { recipient: 'Returns desk', phone: '+8613800138000', province: '浙江省', city: '丽水市', district: '龙泉市', street: '剑川大道 1 号' };
    expect((await call('POST', `/shops/${shop.shopId}/returns/${asked.body.id}/decision`, { token: shop.tokens, idempotent: true, body: { decision: 'approve', returnAddress: address } })).status).toBe(200);
    expect((await call('POST', `/orders/${o.id}/returns/${asked.body.id}/shipments`, { token: buyer, idempotent: true, body: { carrier: 'SF', trackingNumber: testTrackingNumber('delivered') } })).status).toBe(201);
    await eventually('delivered to the shop', () => theReturn(buyer, o), (r) => r.status === 'delivered_to_shop', 30_000);
    const stockBefore = await available();
    // a dispute needs its reason, named by the field
    const bare = await call<{ errors: { field: string }[] }>('POST', `/shops/${shop.shopId}/returns/${asked.body.id}/receipt`, { token: shop.tokens, idempotent: true, body: { decision: 'dispute' } });
    expect([bare.status, bare.body.errors.map((e) => e.field)]).toEqual([400, ['reason']]);
    const disputed = await call<SubOrderReturn>('POST', `/shops/${shop.shopId}/returns/${asked.body.id}/receipt`, { token: shop.tokens, idempotent: true, body: { decision: 'dispute', reason: 'a different teapot came back' } });
    expect([disputed.status, disputed.body.status, disputed.body.note]).toEqual([200, 'disputed', 'a different teapot came back']);
    // ended: it can be neither received nor disputed again
    expect((await call('POST', `/shops/${shop.shopId}/returns/${asked.body.id}/receipt`, { token: shop.tokens, idempotent: true, body: { decision: 'received' } })).status).toBe(409);
    await eventually('the buyer told', () => buyerTitles(buyer), (ts) => ts.includes('Return disputed'));
    const platform = await eventually('the platform told', async () => (await call<InboxPage>('GET', '/admin/notifications?locale=en&limit=100', { token: admin })).body.items, (ms) => ms.some((m) => m.title === 'A return is disputed' && m.body.includes('a different teapot came back')));
    expect(platform.filter((m) => m.title === 'A return is disputed' && m.body.includes('a different teapot came back'))).toHaveLength(1);
    // no money moves: the return's refund is refused with the dispute's reason (the buyer and the platform were told after it was)
    const after = await order(buyer, o.id);
    expect(after.subOrders[0]!.refunds.filter((r: SubOrderRefund) => r.returnId === asked.body.id).map((r) => [r.status, r.id])).toEqual([['rejected', asked.body.refundId]]);
    expect(after.subOrders[0]!.refunded.amount).toBe(0);
    // and nothing went back in stock: no restock movement for this order, the count unchanged
    const movements = (await call<{ movements: { kind: string; orderId: string | null }[] }>('GET', `/shops/${shop.shopId}/stock/${shop.skuId}`, { token: shop.tokens })).body.movements;
    expect(movements.filter((m) => m.kind === 'restock' && m.orderId === o.id)).toEqual([]);
    expect(await available()).toBe(stockBefore);
  });

  it('when a shop takes no returns, then its policy says so to anyone, only its staff may change it, and a delivered sub-order cannot be returned', async () => {
    const strict = await shopSelling('no-returns', admin, 1_000, 5);
    const policy = async () => call<{ shopId: string; returnWindowDays: number }>('GET', `/shops/${strict.shopId}/after-sales-policy`);
    expect((await policy()).body).toEqual({ shopId: strict.shopId, returnWindowDays: 7 });
    expect((await call('PUT', `/shops/${strict.shopId}/after-sales-policy`, { token: shop.tokens, body: { returnWindowDays: 0 } })).status).toBe(404);
    const tooLong = await call<{ errors: { field: string }[] }>('PUT', `/shops/${strict.shopId}/after-sales-policy`, { token: strict.tokens, body: { returnWindowDays: 91 } });
    expect([tooLong.status, tooLong.body.errors.map((e) => e.field)]).toEqual([400, ['returnWindowDays']]);
    expect((await call('PUT', `/shops/${strict.shopId}/after-sales-policy`, { token: strict.tokens, body: { returnWindowDays: 0 } })).status).toBe(200);
    expect((await policy()).body.returnWindowDays).toBe(0);

    const buyer = (await register('late-returner')).tokens;
    const started = await call<Order>('POST', '/checkout', { token: buyer, idempotent: true, body: { paymentMethod: 'card', lines: [{ skuId: strict.skuId, quantity: 1 }] } });
    expect((await submitCard(await paymentPage(started.body, buyer))).status).toBe(303);
    const o = await eventually('paid', () => order(buyer, started.body.id), (x) => x.status === 'paid');
    expect((await shipThroughApi(strict, o.subOrders[0]!.id, [testTrackingNumber('delivered')])).status).toBe(201);
    const delivered = await eventually('delivered', () => order(buyer, o.id), (x) => ['DELIVERED', 'COMPLETED'].includes(x.subOrders[0]!.status), 30_000);
    const refused = await call<{ code: string; errors?: { field: string }[] }>('POST', `/orders/${o.id}/sub-orders/${o.subOrders[0]!.id}/returns`, { token: buyer, idempotent: true, body: { reason: 'changed my mind', lines: [{ skuId: strict.skuId, quantity: 1 }] } });
    expect([refused.status, refused.body.code]).toEqual([409, 'return_window_closed']);
    expect(delivered.subOrders[0]!.refunded.amount).toBe(0);
  });

  it('when a paid sub-order is refunded before it is shipped, then its units are back in stock', async () => {
    const buyer = (await register('early-refund')).tokens;
    const o = await buy(buyer, 3);
    const sub = o.subOrders[0]!;
    const stockBefore = await available();
    const asked = await call<SubOrderRefund>('POST', `/orders/${o.id}/sub-orders/${sub.id}/refunds`, { token: buyer, idempotent: true, body: { reason: 'ordered one too many', lines: [{ skuId: shop.skuId, quantity: 1 }] } });
    expect(asked.status).toBe(201);
    expect((await call('POST', `/shops/${shop.shopId}/orders/${sub.id}/refunds/${asked.body.id}/decision`, { token: shop.tokens, idempotent: true, body: { decision: 'approve' } })).status).toBe(200);
    await eventually('back in stock', available, (n) => n === stockBefore + 1, 30_000);
    const movements = (await call<{ movements: { kind: string; orderId: string | null; quantity: number }[] }>('GET', `/shops/${shop.shopId}/stock/${shop.skuId}`, { token: shop.tokens })).body.movements;
    expect(movements.filter((m) => m.kind === 'restock' && m.orderId === o.id).map((m) => m.quantity)).toEqual([1]);
  });
});
