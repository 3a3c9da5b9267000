import type { Order, SubOrder, SubOrderRefund, TokenPair, Wallet } from '@emporium/contracts';
import { call, e2ePeople, eventually, shipThroughApi, submitCard } from '@emporium/devkit/client';

/**
 * Issue 4's refunds through /api/v1: a buyer asks for part of a paid
 * sub-order back, the shop approves, the money goes back through the card
 * provider and the sub-order carries on; more than is left is refused; a
 * refusal puts the sub-order back; the rest makes it REFUNDED. A wallet
 * payment is refunded into the wallet, and a shipped sub-order refunded in
 * part still completes, releasing only what is left of its escrow. The
 * ledger adds up after each.
 */
describe('refunds through /api/v1', () => {
  const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`;
  const { register, admin: platformAdmin, shopSelling } = e2ePeople(run);
  let admin: TokenPair;
  let shop: Awaited<ReturnType<ReturnType<typeof e2ePeople>['shopSelling']>>;

  beforeAll(async () => {
    admin = await platformAdmin();
    // 40.00 a teapot; commission 6 %
    shop = await shopSelling('refunder', admin, 4000, 100);
  });

  type Ledger = { ok: boolean; refundsOverCapture: string[]; balances: { account: string; balance: { amount: number } }[] };
  const ledger = async () => (await call<Ledger>('GET', '/admin/ledger', { token: admin })).body;
  const balance = (l: Ledger, account: string) => l.balances.find((b) => b.account === account)?.balance.amount ?? 0;
  const order = async (token: TokenPair, id: string) => (await call<Order>('GET', `/orders/${id}`, { token })).body;
  async function buy(token: TokenPair, method: 'card' | 'wallet', quantity: number): Promise<Order> {
    const started = await call<Order>('POST', '/checkout', { token, idempotent: true, body: { paymentMethod: method, lines: [{ skuId: shop.skuId, quantity }] } });
    expect(started.status).toBe(202);
    if (method === 'card') {
      const page = await submitCard(started.body.payment!.hostedUrl!);
      expect(page.status).toBe(303);
    }
    return eventually('paid', () => order(token, started.body.id), (o) => o.status === 'paid');
  }
  const ask = (token: TokenPair, o: Order, body: Record<string, unknown>) =>
    call<SubOrderRefund & { code?: string }>('POST', `/orders/${o.id}/sub-orders/${o.subOrders[0]!.id}/refunds`, { token, idempotent: true, body });
  const decide = (o: Order, refundId: string, body: Record<string, unknown>) =>
    call<SubOrderRefund>('POST', `/shops/${shop.shopId}/orders/${o.subOrders[0]!.id}/refunds/${refundId}/decision`, { token: shop.tokens, idempotent: true, body });
  const sub = async (token: TokenPair, o: Order) => (await order(token, o.id)).subOrders[0]!;
  const settled = (token: TokenPair, o: Order, refundId: string) =>
    eventually(`refund ${refundId} ended`, () => sub(token, o), (s) => s.refunds.some((r) => r.id === refundId && (r.status === 'refunded' || r.status === 'failed')));

  it('when a buyer asks for money back by card, then part, refusal and the rest each end right, and the ledger adds up', async () => {
    const buyer = (await register('unhappy')).tokens;
    const before = await ledger();
    const o = await buy(buyer, 'card', 3); // 120.00, free shipping

    const part = await ask(buyer, o, { reason: 'one arrived chipped', amount: { amount: 3_000, currency: 'CNY' } });
    expect([part.status, part.body.status]).toEqual([201, 'requested']);
    expect((await sub(buyer, o)).status).toBe('REFUND_REQUESTED');
    // while it waits: no shipping, no second request
    expect((await shipThroughApi(shop, o.subOrders[0]!.id)).status).toBe(409);
    expect((await ask(buyer, o, { reason: 'and another one' })).status).toBe(409);
    // the shop approves: the money goes back through the provider
    expect((await decide(o, part.body.id, { decision: 'approve' })).status).toBe(200);
    const afterPart = await settled(buyer, o, part.body.id);
    expect([afterPart.status, afterPart.refunded.amount, afterPart.refunds[0]!.status]).toEqual(['PAID', 3_000, 'refunded']);

    // more than is left, then a refusal: back to PAID
    const tooMuch = await ask(buyer, o, { reason: 'all of it twice', amount: { amount: 9_001, currency: 'CNY' } });
    expect([tooMuch.status]).toEqual([409]);
    const rest = await ask(buyer, o, { reason: 'changed my mind' });
    expect(rest.body.amount.amount).toBe(9_000);
    const refused = await decide(o, rest.body.id, { decision: 'reject', reason: 'already packed' });
    expect(refused.body).toMatchObject({ status: 'rejected', note: 'already packed' });
    expect((await sub(buyer, o)).status).toBe('PAID');

    // the rest, approved: REFUNDED
    const last = await ask(buyer, o, { reason: 'they never shipped' });
    await decide(o, last.body.id, { decision: 'approve' });
    const done = await settled(buyer, o, last.body.id);
    expect([done.status, done.refunded.amount]).toEqual(['REFUNDED', 12_000]);

    const after = await eventually('ledger settled', ledger, (l) => balance(l, `escrow:${shop.shopId}`) === balance(before, `escrow:${shop.shopId}`));
    expect([after.ok, after.refundsOverCapture]).toEqual([true, []]);
    // all of the commission went back with the last refund: the platform keeps nothing of a refunded order.
    // The commission account is shared with the suites running beside this one, so this is read from
    // the order's own accounts: all 12,000 went back, the shop's escrow is where it was, and every
    // posting balances, so the commission taken at capture was reversed to the last fen
    expect(balance(after, `escrow:${shop.shopId}`) - balance(before, `escrow:${shop.shopId}`)).toBe(0);
    expect(balance(after, `buyer:${o.buyerUserId}`)).toBe(0);
  });

  it('when a wallet order is refunded, then the money is back in the wallet at once; a shipped sub-order refunded in part still completes', async () => {
    const saver = (await register('saver')).tokens;
    const topUp = await call<{ hostedUrl: string }>('POST', '/wallet/top-ups', { token: saver, idempotent: true, body: { amount: { amount: 10_000, currency: 'CNY' } } });
    await submitCard(topUp.body.hostedUrl);
    await eventually('funded', async () => (await call<Wallet>('GET', '/wallet', { token: saver })).body, (w) => w.balance.amount === 10_000);
    const o = await buy(saver, 'wallet', 1); // 40.00 + 10.00 shipping
    const r = await ask(saver, o, { reason: 'wrong colour' });
    await decide(o, r.body.id, { decision: 'approve' });
    expect((await settled(saver, o, r.body.id)).status).toBe('REFUNDED');
    expect((await call<Wallet>('GET', '/wallet', { token: saver })).body.balance.amount).toBe(10_000);

    // shipped, 10.00 back, then received: the shop is owed the rest of its split only
    const before = await ledger();
    const shipped = await buy(saver, 'wallet', 1);
    expect((await shipThroughApi(shop, shipped.subOrders[0]!.id)).status).toBe(201);
    await eventually('shipped', async () => sub(saver, shipped), (x) => x.status === 'SHIPPED');
    const part = await ask(saver, shipped, { reason: 'box dented', amount: { amount: 1_000, currency: 'CNY' } });
    await decide(shipped, part.body.id, { decision: 'approve' });
    expect((await settled(saver, shipped, part.body.id)).status).toBe('SHIPPED');
    const completed = await call<SubOrder>('POST', `/orders/${shipped.id}/sub-orders/${shipped.subOrders[0]!.id}/confirm-receipt`, { token: saver, idempotent: true });
    expect(completed.body.status).toBe('COMPLETED');
    // 50.00 at 6 %: net 47.00; 10.00 back of which 0.60 commission: 37.60 owed to the shop
    const owed = await eventually('released', ledger, (l) => balance(l, `receivable:${shop.shopId}`) - balance(before, `receivable:${shop.shopId}`) === 3_760);
    expect([owed.ok, balance(owed, `escrow:${shop.shopId}`) - balance(before, `escrow:${shop.shopId}`)]).toEqual([true, 0]);
  });
});
