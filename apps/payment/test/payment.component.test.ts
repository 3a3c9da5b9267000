import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import request from 'supertest';
import type { PaymentIntent, PaymentRefund, PlatformEvents, TokenPair } from '@emporium/contracts';
import { InvocationError, type EventBus } from '@emporium/kit';
import { freePort, readSecrets } from '@emporium/devkit/platform';
import { bearer, callerService, identityClient, startTestPlatform, type TestApp, type TestExternal, type TestPeer, type TestPlatform, uniqueSuffix } from '@emporium/devkit/testing';
import { paymentService } from '../src/app';


const shopA = '0a000000-0000-4000-8000-00000000000a';
const shopB = '0b000000-0000-4000-8000-00000000000b';

describe('payment, with the provider simulator', () => {
  let platform: TestPlatform;
  let identity: TestPeer;
  let payment: TestApp;
  let order: TestApp;
  let providerUrl: string;
  let sim: TestExternal;
  const run = uniqueSuffix();
  let admin: TokenPair;
  let buyer: { tokens: TokenPair; userId: string };

  beforeAll(async () => {
    platform = await startTestPlatform({ profile: 'services' });
    const paymentPort = await freePort();
    [identity, order] = await Promise.all([
      platform.startPeer('identity', { env: { SCRYPT_COST: '1024', LOGIN_MAX_FAILURES_PER_ADDRESS: '100000' } }),
      platform.startApp(callerService('payment_test_order'), { appId: 'order' }),
    ]);
    sim = await platform.startExternal('provider-sim', { env: { PROVIDER_DELAY_MS: '300', PROVIDER_RETRY_MS: '100' } });
    providerUrl = sim.url;
    // the provider calls payment's webhook directly here; through the gateway in the e2e suite
    payment = await platform.startApp(paymentService, {
      appId: 'payment',
      appPort: paymentPort,
      env: { PROVIDER_URL: providerUrl, WEBHOOK_URL: `http://127.0.0.1:${paymentPort}/webhooks/provider` },
    });
    const accounts = identityClient(identity, { run, password: 'a long enough password', databaseUrl: platform.endpoints.postgres });
    admin = await accounts.platformAdmin();
    const session = await accounts.register('buyer');
    buyer = { tokens: session.tokens, userId: session.user.id };
  });
  const apiKey = () => readSecrets(join(__dirname, '..', '..', '..')).payment!['provider-api-key']!;
  /** The simulator's test mode: every webhook in flight delivered. */
  const simIdle = () => request(providerUrl).post('/v1/test/idle').set('Authorization', `Bearer ${apiKey()}`).expect(204);
  afterAll(async () => {
    if (sim) await simIdle();
    await platform?.stop();
  });

  let orders = 0;
  const intent = (over: Record<string, unknown> = {}) => ({
    orderId: `order-${run}-${orders++}`,
    buyerUserId: buyer.userId,
    amount: { amount: 10_000, currency: 'CNY' },
    method: 'card',
    splits: [
      { subOrderId: 's1', shopId: shopA, amount: { amount: 6_000, currency: 'CNY' }, commissionBps: 500 },
      { subOrderId: 's2', shopId: shopB, amount: { amount: 4_000, currency: 'CNY' }, commissionBps: 800 },
    ],
    ...over,
  });
  const create = (body: object) => order.dapr.invoke<PaymentIntent>('payment', 'POST', '/internal/payments', body);
  const pay = async (p: PaymentIntent, cardNumber: string) => {
    const providerId = p.hostedUrl!.split('/').pop()!;
    return request(providerUrl).post(`/v1/payments/${providerId}/confirm`).set('Authorization', `Bearer ${apiKey()}`).send({ cardNumber });
  };
  const status = async (p: PaymentIntent) => ((await request(payment.url).get(`/payments/${p.id}`).set('Authorization', bearer(buyer.tokens)).expect(200)).body as PaymentIntent).status;
  async function until(p: PaymentIntent, want: string): Promise<void> {
    for (let i = 0; i < 100; i++) {
      if ((await status(p)) === want) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`payment ${p.id} never became ${want} (is ${await status(p)})`);
  }
  const sql = <T extends object>(q: string, replacements: Record<string, unknown> = {}) => payment.service.deps.db.query<T>(q, replacements);
  const outbox = (topic: string, paymentId: string) => sql<{ id: string }>('SELECT id FROM outbox WHERE topic = :topic AND body::text LIKE :match', { topic, match: `%${paymentId}%` });
  const ledger = async () => (await request(payment.url).get('/admin/ledger').set('Authorization', bearer(admin)).expect(200)).body as { ok: boolean; balances: { account: string; balance: { amount: number } }[] };
  const balance = (l: Awaited<ReturnType<typeof ledger>>, account: string) => l.balances.find((b) => b.account === account)?.balance.amount ?? 0;

  it('when an order is paid by card, then the capture is split between the shops in escrow and the commission, once', async () => {
    const body = intent();
    const p = await create(body);
    expect([p.status, p.hostedUrl?.startsWith(`${providerUrl}/pay/`)]).toEqual(['requires_payment', true]);
    expect((await create(body)).id).toBe(p.id); // the same order again
    const other = await create({ ...body, amount: { amount: 9_999, currency: 'CNY' }, splits: [{ ...body.splits[0], amount: { amount: 9_999, currency: 'CNY' } }] }).catch((e: unknown) => e);
    expect(other instanceof InvocationError && other.status).toBe(409);
    const bad = await create({ ...intent(), splits: [body.splits[0]] }).catch((e: unknown) => e);
    expect(bad instanceof InvocationError && [bad.status, (bad.body as { errors: { field: string }[] }).errors[0]?.field]).toEqual([400, 'splits']);

    const before = await ledger();
    expect((await pay(p, '4242 4242 4242 4242')).status).toBe(200);
    await until(p, 'succeeded');
    const after = await ledger();
    expect(after.ok).toBe(true);
    // 6000 less 5 %, 4000 less 8 %, the 620 in between is commission
    expect(balance(after, `escrow:${shopA}`) - balance(before, `escrow:${shopA}`)).toBe(5_700);
    expect(balance(after, `escrow:${shopB}`) - balance(before, `escrow:${shopB}`)).toBe(3_680);
    expect(balance(after, 'commission') - balance(before, 'commission')).toBe(620);
    expect(balance(after, `buyer:${buyer.userId}`) - balance(before, `buyer:${buyer.userId}`)).toBe(-10_000);
    expect(await outbox('payment.succeeded', p.id)).toHaveLength(1);
    // someone else's payment does not exist for them
    expect((await request(payment.url).get(`/payments/${p.id}`).set('Authorization', bearer(admin))).status).toBe(404);
  });

  it('when an order is cancelled after its payment was captured, then all of it goes back once, split by split, and never more', async () => {
    const p = await create(intent());
    await pay(p, '4242 4242 4242 4242');
    await until(p, 'succeeded');
    const before = await ledger();
    const refundAll = () => order.dapr.invoke<{ items: { id: string; status: string; amount: { amount: number } }[] }>('payment', 'POST', `/internal/payments/${p.id}/refund`, { reason: 'cancelled after capture' });
    const first = await refundAll();
    expect(first.items.map((r) => [r.amount.amount, r.status])).toEqual([
      [6_000, 'pending'],
      [4_000, 'pending'],
    ]);
    // the provider's webhooks finish them (its refund ids, our references)
    for (let i = 0; i < 100 && (await outbox('payment.refunded', p.id)).length < 2; i++) await new Promise((r) => setTimeout(r, 50));
    expect(await outbox('payment.refunded', p.id)).toHaveLength(2);
    // again: nothing is left, nothing more goes back
    expect((await refundAll()).items).toEqual([]);
    const over = await order.dapr
      .invoke('payment', 'POST', '/internal/refunds', { refundId: `more-${run}`, orderId: p.orderId, subOrderId: 's1', amount: { amount: 1, currency: 'CNY' }, reason: 'one more' })
      .catch((e: unknown) => e);
    expect(over instanceof InvocationError && over.status).toBe(409);
    const after = (await request(payment.url).get('/admin/ledger').set('Authorization', bearer(admin)).expect(200)).body as Awaited<ReturnType<typeof ledger>> & { refundsOverCapture: string[] };
    expect([after.ok, after.refundsOverCapture]).toEqual([true, []]);
    for (const account of [`escrow:${shopA}`, `escrow:${shopB}`, 'commission']) expect(balance(after, account) - balance(before, account)).toBe(-{ [`escrow:${shopA}`]: 5_700, [`escrow:${shopB}`]: 3_680, commission: 620 }[account]!);
    expect(balance(after, `buyer:${buyer.userId}`) - balance(before, `buyer:${buyer.userId}`)).toBe(10_000);
  });

  it('when the card is declined, then the payment fails and nothing is posted', async () => {
    const p = await create(intent());
    await pay(p, '4000000000000002');
    await until(p, 'failed');
    expect(await sql('SELECT 1 FROM ledger_postings WHERE reference = :id', { id: p.id })).toHaveLength(0);
    expect(await outbox('payment.failed', p.id)).toHaveLength(1);
  });

  it('when a webhook comes twice or an older one comes last, then nothing happens twice or backwards', async () => {
    const twice = await create(intent());
    await pay(twice, '4000000000000077');
    const late = await create(intent());
    await pay(late, '4000000000000341');
    await simIdle();
    expect([await status(twice), await status(late)]).toEqual(['succeeded', 'succeeded']);
    const outcomes = await sql<{ payment_id: string; type: string; outcome: string }>('SELECT payment_id, type, outcome FROM provider_events WHERE payment_id IN (:ids) ORDER BY received_at', { ids: [twice.id, late.id] });
    expect(outcomes.filter((o) => o.payment_id === twice.id).map((o) => o.outcome)).toEqual(['applied']); // the second delivery was a duplicate
    expect(outcomes.filter((o) => o.payment_id === late.id).map((o) => [o.type, o.outcome])).toEqual([
      ['payment.succeeded', 'applied'],
      ['payment.processing', 'stale'],
    ]);
    expect(await sql('SELECT 1 FROM ledger_postings WHERE reference IN (:ids)', { ids: [twice.id, late.id] })).toHaveLength(4); // capture and split, each once
    expect((await ledger()).ok).toBe(true);
  });

  it('when a result takes a while, then the payment is processing until it comes', async () => {
    const p = await create(intent());
    await pay(p, '4000000000003220');
    await until(p, 'processing');
    await until(p, 'succeeded');
  });

  it('when order gives up on an unpaid payment, then it is cancelled at the provider and can no longer be paid', async () => {
    const p = await create(intent());
    const cancelled = await order.dapr.invoke<PaymentIntent>('payment', 'POST', `/internal/payments/${p.id}/cancel`, { reason: 'payment timed out' });
    expect(cancelled.status).toBe('cancelled');
    expect((await order.dapr.invoke<PaymentIntent>('payment', 'POST', `/internal/payments/${p.id}/cancel`, { reason: 'again' })).status).toBe('cancelled');
    expect((await pay(p, '4242424242424242')).status).toBe(409);
    expect(await outbox('payment.failed', p.id)).toHaveLength(1);
    const captured = await create(intent());
    await pay(captured, '4242424242424242');
    await until(captured, 'succeeded');
    const refused = await order.dapr.invoke('payment', 'POST', `/internal/payments/${captured.id}/cancel`, { reason: 'too late' }).catch((e: unknown) => e);
    expect(refused instanceof InvocationError && refused.status).toBe(409);
  });

  it('when the provider has lost an unpaid payment, then cancelling it still succeeds', async () => {
    const p = await create(intent());
    await request(providerUrl).delete(`/v1/test/payments/${p.hostedUrl!.split('/').pop()!}`).set('Authorization', `Bearer ${apiKey()}`).expect(204);
    expect((await order.dapr.invoke<PaymentIntent>('payment', 'POST', `/internal/payments/${p.id}/cancel`, { reason: 'payment timed out' })).status).toBe('cancelled');
  });

  it('when sub-orders complete, then their splits move to the shops and a payout batch pays them out once', async () => {
    // shops of this test alone: other tests' receivables may be in the same ledger
    const [orderId, s1, s2, shopC, shopD] = [randomUUID(), randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    const splits = [
      { subOrderId: s1, shopId: shopC, amount: { amount: 6_000, currency: 'CNY' }, commissionBps: 500 },
      { subOrderId: s2, shopId: shopD, amount: { amount: 4_000, currency: 'CNY' }, commissionBps: 800 },
    ];
    const p = await create(intent({ orderId, splits }));
    await pay(p, '4242424242424242');
    await until(p, 'succeeded');
    const events = order.service.deps.events as unknown as EventBus<PlatformEvents>;
    for (const s of splits) await events.publish('sub-order.completed', { orderId, subOrderId: s.subOrderId, shopId: s.shopId, total: s.amount });
    const owed = async () => { const l = await ledger(); return [balance(l, `receivable:${shopC}`), balance(l, `receivable:${shopD}`)]; };
    // the two events are delivered side by side, in either order: wait for both (CI once saw D's before C's)
    for (let i = 0; i < 150 && (await owed()).includes(0); i++) await new Promise((r) => setTimeout(r, 100));
    expect(await owed()).toEqual([5_700, 3_680]);

    const key = `payout-${run}`;
    const batch = await request(payment.url).post('/admin/payouts').set('Authorization', bearer(admin)).set('Idempotency-Key', key).send({}).expect(201);
    const paidOut = Object.fromEntries((batch.body as { payouts: { shopId: string; amount: { amount: number } }[] }).payouts.map((x) => [x.shopId, x.amount.amount]));
    expect([paidOut[shopC], paidOut[shopD]]).toEqual([5_700, 3_680]);
    const again = await request(payment.url).post('/admin/payouts').set('Authorization', bearer(admin)).set('Idempotency-Key', key).send({}).expect(201);
    expect(again.body.id).toBe(batch.body.id); // a retried request, the same batch
    const next = await request(payment.url).post('/admin/payouts').set('Authorization', bearer(admin)).set('Idempotency-Key', `${key}-2`).send({}).expect(201);
    expect(next.body.payouts).toEqual([]); // nothing is owed any more
    const l = await ledger();
    expect([l.ok, ...(await owed()), balance(l, `payout:${shopC}`), balance(l, `payout:${shopD}`)]).toEqual([true, 0, 0, 5_700, 3_680]);
    expect(l.balances.filter((b) => b.account.startsWith('receivable:') && b.balance.amount !== 0)).toEqual([]);
    expect((await request(payment.url).post('/admin/payouts').set('Authorization', bearer(buyer.tokens)).set('Idempotency-Key', `${key}-3`).send({})).status).toBe(403);
  });

  it('when a sub-order is refunded after its money was released and paid out, then the shop owes it back and the next payout nets the debt', async () => {
    const [orderId, sub, shopE] = [randomUUID(), randomUUID(), randomUUID()];
    const splits = [{ subOrderId: sub, shopId: shopE, amount: { amount: 10_000, currency: 'CNY' }, commissionBps: 500 }];
    const p = await create(intent({ orderId, splits }));
    await pay(p, '4242424242424242');
    await until(p, 'succeeded');
    const events = order.service.deps.events as unknown as EventBus<PlatformEvents>;
    await events.publish('sub-order.completed', { orderId, subOrderId: sub, shopId: shopE, total: splits[0]!.amount });
    const account = async (a: string) => balance(await ledger(), `${a}:${shopE}`);
    for (let i = 0; i < 100 && (await account('receivable')) === 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await account('receivable')).toBe(9_500);
    await request(payment.url).post('/admin/payouts').set('Authorization', bearer(admin)).set('Idempotency-Key', `clawback-${run}`).send({}).expect(201);
    expect([await account('receivable'), await account('payout')]).toEqual([0, 9_500]);

    // a return after completion: 40.00 back to the card; the shop's 38.00 (less its 2.00 commission) is owed, it was paid out
    const refundId = randomUUID();
    const refund = await order.dapr.invoke<{ status: string }>('payment', 'POST', '/internal/refunds', { refundId, orderId, subOrderId: sub, amount: { amount: 4_000, currency: 'CNY' }, reason: 'returned' });
    expect(refund.status).toBe('pending');
    for (let i = 0; i < 100 && (await account('clawback')) === 0; i++) await new Promise((r) => setTimeout(r, 100));
    const owing = await ledger();
    expect([owing.ok, balance(owing, `clawback:${shopE}`), balance(owing, `receivable:${shopE}`), balance(owing, `escrow:${shopE}`)]).toEqual([true, -3_800, 0, 0]);

    // what order asks when a refund's result event is late: the refunds payment knows, with when they ended
    const statuses = await order.dapr.invoke<{ items: PaymentRefund[] }>('payment', 'POST', '/internal/refunds/statuses', { refundIds: [refundId, randomUUID()] });
    expect(statuses.items.map((r) => [r.id, r.orderId, r.status, r.amount.amount])).toEqual([[refundId, orderId, 'succeeded', 4_000]]);
    expect(Date.parse(statuses.items[0]!.updatedAt)).toBeGreaterThanOrEqual(Date.parse(statuses.items[0]!.createdAt));
    const tooMany = await order.dapr.invoke('payment', 'POST', '/internal/refunds/statuses', { refundIds: Array.from({ length: 101 }, () => randomUUID()) }).catch((e: unknown) => e);
    expect(tooMany instanceof InvocationError && [tooMany.status, JSON.stringify(tooMany.body)]).toEqual([400, expect.stringContaining('refundIds')]);

    // another sub-order of the shop completes: its next payout is what it earned less what it owes
    const [orderId2, sub2] = [randomUUID(), randomUUID()];
    const p2 = await create(intent({ orderId: orderId2, splits: [{ subOrderId: sub2, shopId: shopE, amount: { amount: 6_000, currency: 'CNY' }, commissionBps: 500 }], amount: { amount: 6_000, currency: 'CNY' } }));
    await pay(p2, '4242424242424242');
    await until(p2, 'succeeded');
    await events.publish('sub-order.completed', { orderId: orderId2, subOrderId: sub2, shopId: shopE, total: { amount: 6_000, currency: 'CNY' } });
    for (let i = 0; i < 100 && (await account('receivable')) === 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await account('receivable')).toBe(5_700);
    const batch = await request(payment.url).post('/admin/payouts').set('Authorization', bearer(admin)).set('Idempotency-Key', `clawback-${run}-2`).send({}).expect(201);
    expect((batch.body as { payouts: { shopId: string; amount: { amount: number } }[] }).payouts.find((x) => x.shopId === shopE)?.amount.amount).toBe(5_700 - 3_800);
    const settled = await ledger();
    expect([settled.ok, balance(settled, `clawback:${shopE}`), balance(settled, `receivable:${shopE}`), balance(settled, `payout:${shopE}`)]).toEqual([true, 0, 0, 9_500 + 1_900]);
  });

  it('when a webhook is forged or replayed late, then it is refused', async () => {
    const body = JSON.stringify({ id: 'evt_forged', type: 'payment.succeeded', createdAt: new Date().toISOString(), sequence: 99, data: { id: 'pay_x', reference: '00000000-0000-4000-8000-000000000000', status: 'succeeded' } });
    const forged = await request(payment.url).post('/webhooks/provider').set('content-type', 'application/json').set('x-provider-signature', `t=${Math.floor(Date.now() / 1000)},v1=${'0'.repeat(64)}`).send(body);
    expect([forged.status, forged.body.detail]).toEqual([401, 'webhook refused: signature does not match']);
    const unsigned = await request(payment.url).post('/webhooks/provider').set('content-type', 'application/json').send(body);
    expect(unsigned.status).toBe(401);
  });

  it('when anyone but order calls the internal routes, then the sidecar refuses them', async () => {
    const denied = await identity.dapr.invoke('payment', 'POST', '/internal/payments', intent()).catch((e: unknown) => e);
    expect(denied instanceof InvocationError && denied.status).toBe(403);
  });
});
