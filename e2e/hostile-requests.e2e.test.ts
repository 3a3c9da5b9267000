import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readRunFile } from '@emporium/devkit/platform';
import { InternalOperations, PublicOperations, type Company, type Invitation, type Order, type SubOrderRefund, type TokenPair } from '@emporium/contracts';
import { fillPath, probeHostileBodies, probeTenancy, tenantOperations, type Finding, type Send } from '@emporium/devkit/testing';
import { API, call, e2ePeople, eventually, idempotencyKey, paymentPage, refreshUntilRole, submitCard } from '@emporium/devkit/client';

/**
 * Issue 12's generated tests, through the /api/v1 gateway as any client
 * would send them. Both read the operation registry: an operation joins by
 * being in it.
 * - Hostile input: every operation that takes a body gets malformed JSON, a
 *   top-level array, wrong types, unknown fields, huge strings, deep nesting,
 *   1e400, invalid UTF-8 and other media types, as anonymous, shopper,
 *   merchant, company buyer and admin: never a 5xx, never a 2xx.
 * - Tenancy: every operation with a tenant in its path (shop, order,
 *   sub-order, company, address, payment, top-up, user, invitation, refund),
 *   read or write with a valid body, by a principal of another tenant:
 *   never a 2xx.
 */
const publicOps = PublicOperations;

/** Sends through the gateway; waits out the gateway's rate limit as a polite client does. */
const sendAs =
  (token?: TokenPair): Send =>
  async (method, path, body) => {
    for (;;) {
      const res = await fetch(`${API}${path}`, {
        method,
        headers: {
          ...(token ? { authorization: `Bearer ${token.accessToken}` } : {}),
          'idempotency-key': idempotencyKey(),
          ...(body ? { 'content-type': body.contentType } : {}),
        },
        ...(body ? { body: body.bytes } : {}),
      });
      await res.arrayBuffer();
      if (res.status !== 429) return res.status;
      await new Promise((r) => setTimeout(r, Number(res.headers.get('retry-after') ?? 1) * 1000));
    }
  };

/**
 * Sends through the sidecar of `caller` with its API token, as that service
 * does: the callee's sidecar sees the caller's mTLS identity, so its
 * access-control policy lets the request reach the app.
 */
const sendThroughSidecarOf = (caller: string, callee: string): Send => {
  const root = join(__dirname, '..');
  const port = readRunFile(root).apps.find((a) => a.appID === caller)!.daprHTTPPort;
  const tokens = JSON.parse(readFileSync(join(root, '.emporium', 'dapr-tokens.json'), 'utf8')) as Record<string, { dapr: string }>;
  return async (method, path, body) => {
    const res = await fetch(`http://127.0.0.1:${port}/v1.0/invoke/${callee}/method${path}`, {
      method,
      headers: { 'dapr-api-token': tokens[caller]!.dapr, ...(body ? { 'content-type': body.contentType } : {}) },
      ...(body ? { body: body.bytes } : {}),
    });
    await res.arrayBuffer();
    return res.status;
  };
};

const report = (findings: Finding[]) => findings.map((f) => `${f.operation} ${f.case}: ${f.status}`);

describe('hostile requests, generated from the operation registry', () => {
  const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`;
  const people = e2ePeople(run);
  const { register, admin: platformAdmin, shopSelling, email } = people;

  /** A company with an admin, approved by the platform. */
  async function company(who: string, admin: TokenPair): Promise<{ companyId: string; boss: TokenPair; invitationId: string }> {
    const boss = await register(`${who}-boss`);
    const made = await call<Company>('POST', '/companies', {
      token: boss.tokens,
      idempotent: true,
      body: { name: `${who} ${run}`, taxId: `91${who}${run}`.toUpperCase().replace(/[^0-9A-Z]/g, '').slice(0, 20), contactEmail: email(`${who}-boss`), address: '100 Nanjing Road, Shanghai' },
    });
    expect(made.status).toBe(201);
    await call('POST', `/admin/companies/${made.body.id}/decision`, { token: admin, idempotent: true, body: { decision: 'approve' } });
    const bossTokens = await refreshUntilRole(boss.tokens, { role: 'company_admin', companyId: made.body.id });
    const invitation = await call<Invitation>('POST', `/companies/${made.body.id}/invitations`, {
      token: bossTokens,
      idempotent: true,
      body: { email: email(`${who}-buyer`), spendingLimit: { amount: 10_000, currency: 'CNY' } },
    });
    expect(invitation.status).toBe(201);
    return { companyId: made.body.id, boss: bossTokens, invitationId: invitation.body.id };
  }

  it('when every operation with a body gets hostile bodies from every kind of caller, then none answers 5xx or 2xx', async () => {
    const admin = await platformAdmin();
    const [shopper, merchant, acme] = await Promise.all([register('fuzz-shopper'), shopSelling('fuzzer', admin, 1000, 5), company('fuzzco', admin)]);
    const buyerSession = await register('fuzzco-buyer');
    expect((await call('POST', `/me/invitations/${acme.invitationId}/accept`, { token: buyerSession.tokens, idempotent: true })).status).toBe(201);
    const buyer = await refreshUntilRole(buyerSession.tokens, { role: 'company_buyer', companyId: acme.companyId });

    // each caller's own things in the path, so a request reaches the body check rather than stopping at "not yours"
    const callers: { who: string; token?: TokenPair; ids: Record<string, string> }[] = [
      { who: 'anonymous', ids: {} },
      { who: 'shopper', token: shopper.tokens, ids: {} },
      { who: 'merchant', token: merchant.tokens, ids: { shopId: merchant.shopId, productId: merchant.productId, skuId: merchant.skuId } },
      { who: 'company buyer', token: buyer, ids: { companyId: acme.companyId } },
      { who: 'admin', token: admin, ids: { shopId: merchant.shopId, companyId: acme.companyId } },
    ];
    const withBodies = publicOps.filter((op) => op.request);
    expect(withBodies.length).toBeGreaterThan(30);
    const findings = (
      await Promise.all(
        callers.map(async ({ who, token, ids }) => {
          const send = sendAs(token);
          const found: Finding[] = [];
          for (const op of withBodies) {
            for (const f of await probeHostileBodies(op, fillPath(op.path, ids), send)) found.push({ ...f, case: `${f.case} as ${who}` });
          }
          return found;
        }),
      )
    ).flat();
    expect(report(findings)).toEqual([]);
  }, 600_000);

  it("when a service sends hostile bodies to another service's internal operations through its own sidecar, then none answers 5xx or 2xx", async () => {
    const withBodies = InternalOperations.filter((op) => op.request);
    expect(withBodies.length).toBeGreaterThan(8);
    const findings: Finding[] = [];
    for (const op of withBodies) {
      const caller = op.callers![0]!;
      for (const f of await probeHostileBodies(op, fillPath(op.path, {}), sendThroughSidecarOf(caller, op.appId))) findings.push({ ...f, case: `${f.case} from ${caller}` });
    }
    expect(report(findings)).toEqual([]);
  }, 600_000);

  it('when a principal of another tenant calls any tenant operation, read or write, then it never gets a 2xx', async () => {
    const admin = await platformAdmin();
    // tenant A: a shop selling a teapot, a shopper who bought one by card and asked for money back, an address, a top-up, a company
    const [a, shopperA, acme] = await Promise.all([shopSelling('alpha', admin, 4000, 20), register('tenant-a-shopper'), company('tenanta', admin)]);
    const staff = await call<{ id: string }>('POST', `/shops/${a.shopId}/staff-invitations`, { token: a.tokens, idempotent: true, body: { email: email('tenant-a-helper') } });
    expect(staff.status).toBe(201);
    const address = await call<{ id: string }>('POST', '/me/addresses', {
      token: shopperA.tokens,
      idempotent: true,
      body: { recipient: 'A Shopper', phone: '+8613800138000', province: '上海市', city: '上海市', district: '黄浦区', street: '100 Nanjing Road', postalCode: '200001' },
    });
    expect(address.status).toBe(201);
    const started = await call<Order>('POST', '/checkout', { token: shopperA.tokens, idempotent: true, body: { paymentMethod: 'card', lines: [{ skuId: a.skuId, quantity: 1 }] } });
    expect(started.status).toBe(202);
    expect((await submitCard(await paymentPage(started.body, shopperA.tokens))).status).toBe(303);
    const order = await eventually('paid', async () => (await call<Order>('GET', `/orders/${started.body.id}`, { token: shopperA.tokens })).body, (o) => o.status === 'paid');
    const subOrderId = order.subOrders[0]!.id;
    const refund = await call<SubOrderRefund>('POST', `/orders/${order.id}/sub-orders/${subOrderId}/refunds`, { token: shopperA.tokens, idempotent: true, body: { reason: 'changed my mind' } });
    expect(refund.status).toBe(201);
    const topUp = await call<{ id: string }>('POST', '/wallet/top-ups', { token: shopperA.tokens, idempotent: true, body: { amount: { amount: 10_000, currency: 'CNY' } } });
    expect(topUp.status).toBe(201);
    const ids: Record<string, string> = {
      shopId: a.shopId,
      productId: a.productId,
      skuId: a.skuId,
      orderId: order.id,
      subOrderId,
      refundId: refund.body.id,
      paymentId: order.payment!.id,
      addressId: address.body.id,
      topUpId: topUp.body.id,
      companyId: acme.companyId,
      userId: randomUUID(),
      invitationId: acme.invitationId,
    };

    // tenant B: another merchant with a shop, another shopper, another company's admin; and nobody at all
    const [b, shopperB, globex] = await Promise.all([shopSelling('beta', admin, 1000, 5), register('tenant-b-shopper'), company('tenantb', admin)]);
    const others: { who: string; token?: TokenPair }[] = [
      { who: 'another merchant', token: b.tokens },
      { who: 'another shopper', token: shopperB.tokens },
      { who: "another company's admin", token: globex.boss },
      { who: 'anonymous' },
    ];
    const ops = tenantOperations(publicOps);
    expect(ops.length).toBeGreaterThan(40);
    const findings: Finding[] = [];
    for (const op of ops) {
      // the staff invitation is the shop's; the company invitation is the company's
      const path = fillPath(op.path, op.path.includes('staff-invitations') ? { ...ids, invitationId: staff.body.id } : ids);
      for (const { who, token } of others) findings.push(...(await probeTenancy(op, path, sendAs(token), who)));
    }
    expect(report(findings)).toEqual([]);
  }, 600_000);
});
