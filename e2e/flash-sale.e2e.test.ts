import type { FlashHold, FlashSale, FlashSaleAvailability, Order, Stock, TokenPair } from '@emporium/contracts';
import { call, e2ePeople, eventually, paymentPage, submitCard } from '@emporium/devkit/client';

/**
 * Issue 4's flash sale, end to end through /api/v1: a merchant starts a sale
 * of 100 units at most 2 per shopper; 500 shoppers make 2,000 attempts at
 * once; exactly 100 units are held, nobody holds more than 2, the holders
 * check out and pay by card, and exactly 100 units are sold.
 * `E2E_FLASH_UNITS` scales it (shoppers 5×, attempts 20× the units): CI's
 * runs on the other profiles use 20, the same race at a fifth of the cost.
 */
const UNITS = Number(process.env.E2E_FLASH_UNITS ?? 100);
const SHOPPERS = UNITS * 5;
const ATTEMPTS = SHOPPERS * 4;
const RECEIVED = UNITS + 30;
describe(`flash sale through /api/v1 (${UNITS} units)`, () => {
  const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`;
  const { text, register, admin: platformAdmin, shopSelling } = e2ePeople(run);
  let merchant: { tokens: TokenPair; shopId: string };
  let skuId: string;

  beforeAll(async () => {
    const sells = await shopSelling('flash', await platformAdmin(), 5000, RECEIVED);
    merchant = { tokens: sells.tokens, shopId: sells.shopId };
    skuId = sells.skuId;
  });

  const stock = async () => (await call<Stock>('GET', `/shops/${merchant.shopId}/stock/${skuId}`, { token: merchant.tokens })).body;

  /** Runs `fn` over `items` with at most `n` at a time. */
  async function pool<T, R>(items: T[], n: number, fn: (item: T) => Promise<R>): Promise<R[]> {
    const out: R[] = new Array<R>(items.length);
    let next = 0;
    await Promise.all(
      Array.from({ length: n }, async () => {
        while (next < items.length) {
          const i = next++;
          out[i] = await fn(items[i]!);
        }
      }),
    );
    return out;
  }

  it(`when ${SHOPPERS} shoppers make ${ATTEMPTS} attempts at ${UNITS} units with a limit of 2, then exactly ${UNITS} are sold and nobody passes the limit`, async () => {
    const sale = await call<FlashSale>('POST', `/shops/${merchant.shopId}/flash-sales`, {
      token: merchant.tokens,
      idempotent: true,
      body: {
        skuId,
        title: text('Teapot hour'),
        price: { amount: 990, currency: 'CNY' },
        quantity: UNITS,
        perUserLimit: 2,
        startsAt: new Date(Date.now() - 1000).toISOString(),
        endsAt: new Date(Date.now() + 30 * 60_000).toISOString(),
      },
    });
    expect(sale.status).toBe(201);
    const campaignId = sale.body.id;
    expect(await stock()).toMatchObject({ received: RECEIVED, available: 30, reserved: UNITS, sold: 0 });
    expect((await call<{ items: FlashSale[] }>('GET', '/flash-sales', { query: { status: 'running' } })).body.items.map((s) => s.id)).toContain(campaignId);

    const shoppers = await pool(
      Array.from({ length: SHOPPERS }, (_, i) => i),
      16,
      async (i) => (await register(`fan${i}`)).tokens,
    );
    // four attempts each, one in three for two units, all in a shuffled order
    const attempts = shoppers.flatMap((tokens, u) => [0, 1, 2, 3].map((a) => ({ u, tokens, quantity: (u + a) % 3 === 0 ? 2 : 1 })));
    for (let i = attempts.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [attempts[i], attempts[j]] = [attempts[j]!, attempts[i]!];
    }
    expect(attempts.length).toBe(ATTEMPTS);
    const answers = await pool(attempts, 64, async (a) => ({
      ...a,
      res: await call<FlashHold & { code?: string }>('POST', `/flash-sales/${campaignId}/holds`, { token: a.tokens, idempotent: true, body: { quantity: a.quantity } }),
    }));

    const held = new Map<number, number>();
    const refusals = new Map<string, number>();
    for (const a of answers) {
      if (a.res.status === 201) held.set(a.u, (held.get(a.u) ?? 0) + a.res.body.quantity);
      else {
        expect(a.res.status).toBe(409);
        refusals.set(a.res.body.code!, (refusals.get(a.res.body.code!) ?? 0) + 1);
      }
    }
    expect([...held.values()].reduce((s, q) => s + q, 0)).toBe(UNITS);
    expect(Math.max(...held.values())).toBeLessThanOrEqual(2);
    expect([...refusals.keys()].sort()).toEqual(expect.arrayContaining(['sold_out']));
    expect([...refusals.keys()].every((c) => c === 'sold_out' || c === 'limit_reached')).toBe(true);
    expect((await call<FlashSaleAvailability>('GET', `/flash-sales/${campaignId}/availability`)).body).toMatchObject({ remaining: 0, held: UNITS, sold: 0, soldOut: true });

    // every holder checks out what it holds and pays by card
    const orders = await pool([...held.entries()], 8, async ([u, quantity]) => {
      const started = await call<Order>('POST', '/checkout', {
        token: shoppers[u]!,
        idempotent: true,
        body: { paymentMethod: 'card', lines: [{ skuId, quantity, flashSaleId: campaignId }], returnUrl: 'http://127.0.0.1:3000/orders/return' },
      });
      expect(started.status).toBe(202);
      expect(started.body.subOrders[0]!.lines[0]).toMatchObject({ priceSource: 'flash-sale', unitPrice: { amount: 990, currency: 'CNY' } });
      const page = await paymentPage(started.body, shoppers[u]!);
      const paid = await submitCard(page);
      expect(paid.status).toBe(303);
      return { u, id: started.body.id };
    });
    for (const o of orders) {
      await eventually(`order ${o.id} paid`, async () => (await call<Order>('GET', `/orders/${o.id}`, { token: shoppers[o.u]! })).body, (x) => x.status === 'paid', 30_000);
    }
    expect(await stock()).toMatchObject({ received: RECEIVED, available: 30, reserved: 0, sold: UNITS });
    expect((await call<FlashSaleAvailability>('GET', `/flash-sales/${campaignId}/availability`)).body).toMatchObject({ remaining: 0, held: 0, sold: UNITS });

    // a shopper who bought hits the limit; one who holds nothing cannot buy at the sale price
    const [buyer] = [...held.keys()];
    expect((await call('POST', `/flash-sales/${campaignId}/holds`, { token: shoppers[buyer!]!, idempotent: true, body: { quantity: 1 } })).body).toMatchObject({ code: expect.stringMatching(/limit_reached|sold_out/) });
    const outsider = (await register('outsider')).tokens;
    const sneaky = await call<Order>('POST', '/checkout', { token: outsider, idempotent: true, body: { paymentMethod: 'card', lines: [{ skuId, quantity: 1, flashSaleId: campaignId }] } });
    expect(sneaky.status).toBe(202);
    const refused = await eventually('order without a hold cancelled', async () => (await call<Order>('GET', `/orders/${sneaky.body.id}`, { token: outsider })).body, (o) => o.status === 'cancelled');
    expect(refused.cancelReason).toMatch(/flash-sale/);
    expect(await stock()).toMatchObject({ available: 30, reserved: 0, sold: UNITS });
  }, 300_000);
});
