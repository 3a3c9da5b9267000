import request from 'supertest';
import { bearer, identityClient, startTestPlatform, type TestApp, type TestPeer, type TestPlatform, uniqueSuffix } from '@emporium/devkit/testing';
import { shopService } from '../src/app';
import { MAX_OPEN_STAFF_INVITATIONS } from '@emporium/contracts';

/** shop with its sidecar, beside the real identity service (tokens, JWKS, roles by event). */
describe('shop', () => {
  let platform: TestPlatform;
  let identity: TestPeer;
  let shop: TestApp;
  const run = uniqueSuffix();
  const password = 'a long enough password';
  const email = (who: string) => accounts().email(who);

  beforeAll(async () => {
    platform = await startTestPlatform({ profile: 'services' });
    identity = await platform.startPeer('identity', { env: { SCRYPT_COST: '1024', LOGIN_MAX_FAILURES_PER_ADDRESS: '100000' } });
    shop = await platform.startApp(shopService, { appId: 'shop' });
  });
  afterAll(async () => {
    await platform?.stop();
  });

  const sh = () => request(shop.url);
  const accounts = () => identityClient(identity, { run, password, databaseUrl: platform.endpoints.postgres });
  const register = (who: string) => accounts().register(who);
  const application = (suffix: string) => ({
    name: { 'zh-CN': `小店${suffix}`, en: `Little shop ${suffix}` },
    description: { 'zh-CN': '手工茶具', en: 'Handmade tea sets' },
    contactEmail: email('merchant'),
    contactPhone: '+8613800138000',
    settlementAccount: { accountName: 'Li Ming', bankName: 'ICBC Shanghai', accountNumber: '6222021234567890' },
  });
  it('when a merchant applies and an admin approves, then the merchant owns the shop, staff join, and every foreign probe is refused', async () => {
    const admin = await accounts().platformAdmin();
    const merchant = await register('merchant');

    // mass assignment: status and commission are not the merchant's to set
    const sneaky = await sh().post('/shops').set('Authorization', bearer(merchant.tokens)).set('Idempotency-Key', `s0-${run}`)
      .send({ ...application('A'), status: 'approved', commissionBps: 0 });
    expect(sneaky.status).toBe(400);
    expect(sneaky.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['commissionBps', 'status']);
    const missingEnglish = await sh().post('/shops').set('Authorization', bearer(merchant.tokens)).set('Idempotency-Key', `s00-${run}`)
      .send({ ...application('A'), name: { 'zh-CN': '小店' } });
    expect(missingEnglish.body.errors[0].field).toBe('name.en');

    const applied = await sh().post('/shops').set('Authorization', bearer(merchant.tokens)).set('Idempotency-Key', `s1-${run}`).send(application('A'));
    expect(applied.status).toBe(201);
    expect(applied.body).toEqual(expect.objectContaining({ status: 'pending', commissionBps: 500, ownerUserId: merchant.user.id }));
    const shopId = applied.body.id as string;
    const second = await sh().post('/shops').set('Authorization', bearer(merchant.tokens)).set('Idempotency-Key', `s2-${run}`).send(application('B'));
    expect(second.status).toBe(409);
    expect((await sh().get(`/public/shops/${shopId}`)).status).toBe(404);

    expect((await sh().post(`/admin/shops/${shopId}/decision`).set('Authorization', bearer(merchant.tokens)).set('Idempotency-Key', `d0-${run}`).send({ decision: 'approve' })).status).toBe(403);
    const approved = await sh().post(`/admin/shops/${shopId}/decision`).set('Authorization', bearer(admin)).set('Idempotency-Key', `d1-${run}`).send({ decision: 'approve', commissionBps: 800 });
    expect(approved.status).toBe(200);
    expect(approved.body).toEqual(expect.objectContaining({ status: 'approved', commissionBps: 800 }));
    expect((await sh().post(`/admin/shops/${shopId}/decision`).set('Authorization', bearer(admin)).set('Idempotency-Key', `d2-${run}`).send({ decision: 'reject', reason: 'changed my mind' })).status).toBe(409);
    expect((await sh().get(`/public/shops/${shopId}`)).body).toEqual(expect.objectContaining({ id: shopId, name: application('A').name }));

    // identity hears shop.approved and puts the owner role in the next token
    const ownerTokens = await accounts().refreshUntilRole(merchant.tokens, { role: 'merchant_owner', shopId });
    expect(ownerTokens.accessToken).toBeTruthy();

    // staff: invited by e-mail, accepted by the person with that e-mail only
    const invite = await sh().post(`/shops/${shopId}/staff-invitations`).set('Authorization', bearer(merchant.tokens)).set('Idempotency-Key', `i1-${run}`).send({ email: email('clerk') });
    expect(invite.status).toBe(201);
    const open = async () => (await sh().get(`/shops/${shopId}/staff-invitations`).set('Authorization', bearer(merchant.tokens)).expect(200)).body.items as { email: string }[];
    expect((await open()).map((i) => i.email)).toEqual([email('clerk').toLowerCase()]);
    const clerk = await register('clerk');
    const other = await register('other');
    expect((await sh().post(`/me/staff-invitations/${invite.body.id}/accept`).set('Authorization', bearer(other.tokens)).set('Idempotency-Key', `a0-${run}`)).status).toBe(404);
    expect((await sh().get('/me/staff-invitations').set('Authorization', bearer(clerk.tokens))).body.items).toHaveLength(1);
    const joined = await sh().post(`/me/staff-invitations/${invite.body.id}/accept`).set('Authorization', bearer(clerk.tokens)).set('Idempotency-Key', `a1-${run}`);
    expect(joined.status).toBe(201);
    expect(joined.body).toEqual(expect.objectContaining({ shopId, userId: clerk.user.id, role: 'merchant_staff', email: email('clerk').toLowerCase() }));
    // the owner's list of people names the clerk by the invited address; nothing is open any more, and staff may not look
    const people = (await sh().get(`/shops/${shopId}/staff`).set('Authorization', bearer(merchant.tokens)).expect(200)).body.items as { role: string; email: string | null }[];
    expect(people.map((p) => [p.role, p.email])).toEqual([['merchant_owner', null], ['merchant_staff', email('clerk').toLowerCase()]]);
    expect(await open()).toEqual([]);
    expect((await sh().get(`/shops/${shopId}/staff-invitations`).set('Authorization', bearer(clerk.tokens))).status).toBe(403);

    // staff see the shop with the account number masked, and may not change it
    const seenByClerk = await sh().get(`/shops/${shopId}`).set('Authorization', bearer(clerk.tokens));
    expect(seenByClerk.body.settlementAccount.accountNumber).toBe('****7890');
    expect((await sh().patch(`/shops/${shopId}`).set('Authorization', bearer(clerk.tokens)).send({ contactPhone: '+8613900139000' })).status).toBe(403);
    const patched = await sh().patch(`/shops/${shopId}`).set('Authorization', bearer(merchant.tokens)).send({ contactPhone: '+8613900139000' });
    expect(patched.body.contactPhone).toBe('+8613900139000');
    expect((await sh().patch(`/shops/${shopId}`).set('Authorization', bearer(merchant.tokens)).send({ commissionBps: 0 })).status).toBe(400);

    // another merchant's shop is invisible to this shop's people, and theirs to them
    const rival = await register('rival');
    const rivalShop = await sh().post('/shops').set('Authorization', bearer(rival.tokens)).set('Idempotency-Key', `s3-${run}`).send(application('C'));
    for (const who of [merchant, clerk]) expect((await sh().get(`/shops/${rivalShop.body.id}`).set('Authorization', bearer(who.tokens))).status).toBe(404);
    expect((await sh().get(`/shops/${shopId}/staff`).set('Authorization', bearer(rival.tokens))).status).toBe(404);

    // an invitation can be withdrawn (by the owner, of this shop only); a shop has at most MAX_OPEN_STAFF_INVITATIONS open
    const inviteAs = (tokens: typeof merchant.tokens, key: string, to: string) => sh().post(`/shops/${shopId}/staff-invitations`).set('Authorization', bearer(tokens)).set('Idempotency-Key', `${key}-${run}`).send({ email: to });
    const revoke = (tokens: typeof merchant.tokens, key: string, id: string, shop = shopId) => sh().post(`/shops/${shop}/staff-invitations/${id}/revoke`).set('Authorization', bearer(tokens)).set('Idempotency-Key', `${key}-${run}`);
    const invited = await Promise.all(Array.from({ length: MAX_OPEN_STAFF_INVITATIONS }, (_, i) => inviteAs(merchant.tokens, `cap${i}`, email(`cap${i}`))));
    expect(invited.map((r) => r.status)).toEqual(invited.map(() => 201));
    const over = await inviteAs(merchant.tokens, 'cap-over', email('cap-over'));
    expect([over.status, over.body.code]).toEqual([409, 'invitation_limit']);
    expect((await open()).length).toBe(MAX_OPEN_STAFF_INVITATIONS);
    const first = invited[0]!.body.id as string;
    expect((await revoke(clerk.tokens, 'rv0', first)).status).toBe(403);
    expect((await revoke(rival.tokens, 'rv1', first)).status).toBe(404);
    expect((await revoke(rival.tokens, 'rv2', first, rivalShop.body.id)).status).toBe(404);
    const revoked = await revoke(merchant.tokens, 'rv3', first);
    expect([revoked.status, revoked.body.status]).toEqual([200, 'revoked']);
    expect((await revoke(merchant.tokens, 'rv4', first)).body.status).toBe('revoked');
    expect((await revoke(merchant.tokens, 'rv5', invite.body.id)).status).toBe(409);
    expect((await sh().get('/me/staff-invitations').set('Authorization', bearer((await register('cap0')).tokens))).body.items).toEqual([]);
    expect((await inviteAs(merchant.tokens, 'cap-after', email('cap-over'))).status).toBe(201);

    // suspension hides the shop; resuming shows it again; the state machine refuses the rest
    const suspended = await sh().post(`/admin/shops/${shopId}/suspend`).set('Authorization', bearer(admin)).set('Idempotency-Key', `p1-${run}`).send({ reason: 'counterfeit reports' });
    expect(suspended.body.status).toBe('suspended');
    expect((await sh().get(`/public/shops/${shopId}`)).status).toBe(404);
    expect((await sh().post(`/admin/shops/${shopId}/suspend`).set('Authorization', bearer(admin)).set('Idempotency-Key', `p2-${run}`).send({ reason: 'again' })).status).toBe(409);
    await sh().post(`/admin/shops/${shopId}/resume`).set('Authorization', bearer(admin)).set('Idempotency-Key', `p3-${run}`).expect(200);
    expect((await sh().get(`/public/shops/${shopId}`)).status).toBe(200);

    const commission = await sh().put(`/admin/shops/${shopId}/commission`).set('Authorization', bearer(admin)).send({ commissionBps: 650 });
    expect(commission.body.commissionBps).toBe(650);
    expect((await sh().put(`/admin/shops/${shopId}/commission`).set('Authorization', bearer(merchant.tokens)).send({ commissionBps: 0 })).status).toBe(403);
    expect((await sh().put(`/admin/shops/${shopId}/commission`).set('Authorization', bearer(admin)).send({ commissionBps: 9000 })).status).toBe(400);

    const mine = await sh().get('/shops/mine').set('Authorization', bearer(clerk.tokens));
    expect(mine.body.items).toEqual([expect.objectContaining({ id: shopId, myRole: 'merchant_staff' })]);
  });
});
