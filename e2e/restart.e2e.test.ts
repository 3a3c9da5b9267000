import type { Order, Stock, TokenPair } from '@emporium/contracts';
import { call, e2ePeople, eventually, submitCard } from '@emporium/devkit/client';
import { control, leaveRunning } from './control';

/**
 * Issue 4: the order app and its sidecar are killed in the middle of a
 * checkout (its workflow waiting for the payment) and started again, with
 * the rest of the platform running. The shopper pays while order is down;
 * payment's event waits in the broker, the workflow resumes from its history,
 * and the order ends PAID with stock and ledger adding up. The runner's
 * control port does the killing, as `npm run platform -- kill order` would.
 * Issue 17: payment down as a checkout reaches its payment step is a delay,
 * not a cancelled order: the step is tried again until payment is back.
 */

describe('a checkout survives the services it needs crashing', () => {
  const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`;
  const { register, admin: platformAdmin, shopSelling } = e2ePeople(run);
  let admin: TokenPair;
  let shop: Awaited<ReturnType<ReturnType<typeof e2ePeople>['shopSelling']>>;

  beforeAll(async () => {
    admin = await platformAdmin();
    shop = await shopSelling('phoenix', admin, 4000, 10);
  });
  afterAll(async () => {
    // whatever happened, leave order and payment running for the suites after this one
    await leaveRunning('order', 'payment');
  });

  const stock = async () => (await call<Stock>('GET', `/shops/${shop.shopId}/stock/${shop.skuId}`, { token: shop.tokens })).body;

  it('when order and its sidecar die while a checkout waits for payment, then after the restart it resumes and ends paid, invariants intact', async () => {
    const shopper = (await register('patient')).tokens;
    const started = await call<Order>('POST', '/checkout', { token: shopper, idempotent: true, body: { paymentMethod: 'card', lines: [{ skuId: shop.skuId, quantity: 2 }] } });
    expect(started.status).toBe(202);
    expect(await stock()).toMatchObject({ available: 8, reserved: 2, sold: 0 });

    await control('order', 'kill');
    // while order is down the gateway says so, with when to try again: never a bare 500 (issue #17)
    const down = await call<{ code: string }>('GET', `/orders/${started.body.id}`, { token: shopper, serverErrorExpected: true });
    expect([down.status, down.body.code, Number(down.headers.get('retry-after')) >= 1]).toEqual([503, 'upstream_unavailable', true]);
    // the shopper pays meanwhile: payment captures, its event waits for order
    const paid = await submitCard(started.body.payment!.hostedUrl!);
    expect(paid.status).toBe(303);
    await new Promise((r) => setTimeout(r, 1000));
    await control('order', 'start');

    // order may still be coming up: its 503s are expected until it answers
    const done = await eventually('order paid after the restart', async () => (await call<Order>('GET', `/orders/${started.body.id}`, { token: shopper, serverErrorExpected: true })).body, (o) => o?.status === 'paid', 60_000);
    expect(done.subOrders.map((s) => s.status)).toEqual(['PAID']);
    expect(await stock()).toMatchObject({ received: 10, available: 8, reserved: 0, sold: 2 });
    const ledger = (await call<{ ok: boolean }>('GET', '/admin/ledger', { token: admin })).body;
    expect(ledger.ok).toBe(true);
    // and the restarted order takes new checkouts
    const next = await call<Order>('POST', '/checkout', { token: shopper, idempotent: true, body: { paymentMethod: 'card', lines: [{ skuId: shop.skuId, quantity: 1 }] } });
    expect(next.status).toBe(202);
  }, 180_000);

  it('when payment and its sidecar are down as a checkout reaches its payment step, then the checkout waits instead of cancelling, and once payment is back the shopper pays and the order ends paid', async () => {
    const shopper = (await register('unhurried')).tokens;
    await control('payment', 'kill');
    try {
      const started = await call<Order>('POST', '/checkout', { token: shopper, idempotent: true, body: { paymentMethod: 'card', lines: [{ skuId: shop.skuId, quantity: 1 }] } });
      expect(started.status).toBe(202);
      // the stock is held and the order waits for its payment page: still processing, not cancelled
      expect([started.body.status, started.body.payment]).toEqual(['pending_payment', null]);
      await new Promise((r) => setTimeout(r, 6000));
      const waiting = (await call<Order>('GET', `/orders/${started.body.id}`, { token: shopper })).body;
      expect([waiting.status, waiting.payment, waiting.cancelReason ?? null]).toEqual(['pending_payment', null, null]);
    } finally {
      await control('payment', 'start');
    }
    const mine = async () => (await call<{ items: Order[] }>('GET', '/orders', { token: shopper })).body.items;
    const ready = await eventually('the payment page after payment is back', mine, (items) => items.length === 1 && !!items[0]!.payment?.hostedUrl, 60_000);
    expect((await submitCard(ready[0]!.payment!.hostedUrl!)).status).toBe(303);
    const done = await eventually('the order paid', async () => (await call<Order>('GET', `/orders/${ready[0]!.id}`, { token: shopper })).body, (o) => o.status === 'paid', 30_000);
    expect(done.subOrders.map((s) => s.status)).toEqual(['PAID']);
    const ledger = (await call<{ ok: boolean }>('GET', '/admin/ledger', { token: admin })).body;
    expect(ledger.ok).toBe(true);
  }, 180_000);
});
