import request from 'supertest';
import type { Session, TokenPair } from '@emporium/contracts';
import { jwksFromIdentity, verifyAccessToken } from '@emporium/kit';
import { startTestPlatform, type TestApp, type TestPlatform, uniqueSuffix } from '@emporium/devkit/testing';
import { identityService } from '../src/app';
import { UserRepository } from '../src/data/user-repository';
import { ensurePlatformAdmin } from '../src/domain/accounts';

describe('identity with its sidecar and PostgreSQL', () => {
  let platform: TestPlatform;
  let identity: TestApp;
  const run = uniqueSuffix();
  const email = (who: string) => `${who}-${run}@example.com`;
  const password = 'a long enough password';

  beforeAll(async () => {
    platform = await startTestPlatform({ profile: 'services' });
    // the app-id is the real one, so other apps' sidecars can reach its JWKS by name
    identity = await platform.startApp(identityService, { appId: 'identity', env: { SCRYPT_COST: '1024', LOGIN_MAX_FAILURES_PER_ACCOUNT: '3', LOGIN_MAX_FAILURES_PER_ADDRESS: '100000', REFRESH_REUSE_GRACE_SECONDS: '2' } });
  });
  afterAll(async () => {
    await platform?.stop();
  });

  const http = () => request(identity.url);
  async function register(who: string, extra: Record<string, unknown> = {}): Promise<Session> {
    const res = await http()
      .post('/auth/register')
      .set('Idempotency-Key', `reg-${who}-${run}`)
      .send({ email: email(who), password, displayName: who, ...extra });
    expect(res.status).toBe(201);
    return res.body as Session;
  }
  async function login(who: string): Promise<TokenPair> {
    const res = await http().post('/auth/login').send({ login: email(who), password });
    expect(res.status).toBe(200);
    return res.body as TokenPair;
  }
  const bearer = (t: TokenPair) => `Bearer ${t.accessToken}`;

  describe('accounts', () => {
    it('when a shopper registers, then they are signed in and /me shows the shopper role', async () => {
      const session = await register('ann');
      expect(session.user).toEqual(expect.objectContaining({ email: email('ann'), displayName: 'ann', locale: 'zh-CN', roles: [{ role: 'shopper' }] }));
      const me = await http().get('/me').set('Authorization', bearer(session.tokens));
      expect(me.status).toBe(200);
      expect(me.body.id).toBe(session.user.id);
    });

    it('when someone registers by phone only, then they log in by phone and the token has no e-mail', async () => {
      const phone = `+86139${String(Date.now()).slice(-8)}`;
      const reg = await http().post('/auth/register').set('Idempotency-Key', `phone-${run}`).send({ phone, password, displayName: 'phone user', locale: 'en' });
      expect(reg.status).toBe(201);
      expect(reg.body.user).toEqual(expect.objectContaining({ phone, email: null, locale: 'en' }));
      const tokens = await http().post('/auth/login').send({ login: phone, password });
      expect(tokens.status).toBe(200);
      const claims = JSON.parse(Buffer.from((tokens.body as TokenPair).accessToken.split('.')[1]!, 'base64url').toString()) as { email: unknown; sub: string };
      expect(claims).toEqual(expect.objectContaining({ email: null, sub: reg.body.user.id }));
      const neither = await http().post('/auth/register').set('Idempotency-Key', `none-${run}`).send({ password, displayName: 'nobody' });
      expect(neither.status).toBe(400);
      expect(neither.body.errors[0].field).toBe('email');
    });

    it('when the e-mail is taken in another case, then 409 and no second account', async () => {
      await register('bob');
      const res = await http().post('/auth/register').set('Idempotency-Key', `dup-${run}`).send({ email: email('bob').toUpperCase(), password, displayName: 'x' });
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('account_exists');
    });

    it('when the body is bad or sets roles, then 400 names each field and nothing is written', async () => {
      const res = await http()
        .post('/auth/register')
        .set('Idempotency-Key', `bad-${run}`)
        .send({ email: 'not-an-email', password: 'short', displayName: 'x', roles: ['platform_admin'] });
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['email', 'password', 'roles']);
      const [row] = await identity.service.deps.db.query<{ n: string }>("SELECT count(*) AS n FROM users WHERE email = 'not-an-email'");
      expect(Number(row!.n)).toBe(0);
    });

    it('when the password or the login is wrong, then the same 401 answer for both', async () => {
      await register('cy');
      const wrongPassword = await http().post('/auth/login').send({ login: email('cy'), password: 'wrong password!!' });
      const noSuchUser = await http().post('/auth/login').send({ login: email('nobody'), password: 'wrong password!!' });
      expect(wrongPassword.status).toBe(401);
      expect(noSuchUser.status).toBe(401);
      expect(wrongPassword.body.detail).toBe(noSuchUser.body.detail);
    });

    it('when an account fails too often, then even the right password gets 429 with Retry-After', async () => {
      await register('dee');
      for (let i = 0; i < 3; i++) await http().post('/auth/login').send({ login: email('dee'), password: 'wrong password!!' }).expect(401);
      const res = await http().post('/auth/login').send({ login: email('dee'), password });
      expect(res.status).toBe(429);
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    });

    it('when wrong guesses come side by side, then no more of them are checked than the limit allows', async () => {
      await register('zed');
      // a failure from yesterday: outside the window, it counts for nothing and goes with the next attempt
      await identity.service.deps.db.query("INSERT INTO login_failures (key, at) VALUES (:key, now() - interval '1 day')", { key: `account:${email('zed')}` });
      const guesses = await Promise.all(Array.from({ length: 12 }, (_, i) => http().post('/auth/login').send({ login: email('zed'), password: `wrong guess ${i}!!` })));
      // at most three are checked (and fail), the rest are turned away before it; fewer when a
      // guess counted one that was about to be turned away: side by side, the limit errs on the safe side
      const checked = guesses.filter((r) => r.status === 401).length;
      expect([checked >= 1 && checked <= 3, guesses.filter((r) => r.status === 429).length]).toEqual([true, 12 - checked]);
      // and only the checked ones stay counted against the account (yesterday's is gone)
      const [row] = await identity.service.deps.db.query<{ n: string }>('SELECT count(*) AS n FROM login_failures WHERE key = :key', { key: `account:${email('zed')}` });
      expect(Number(row!.n)).toBe(checked);
    });
  });

  describe('sessions', () => {
    it('when a refresh token is used twice, then the whole session family ends', async () => {
      await register('eve');
      const first = await login('eve');
      const second = (await http().post('/auth/refresh').send({ refreshToken: first.refreshToken }).expect(200)).body as TokenPair;
      await new Promise((r) => setTimeout(r, 2_200)); // past the grace
      const reuse = await http().post('/auth/refresh').send({ refreshToken: first.refreshToken });
      expect(reuse.status).toBe(401);
      expect(reuse.body.code).toBe('refresh_token_reused');
      expect((await http().post('/auth/refresh').send({ refreshToken: second.refreshToken })).status).toBe(401);
    });

    it('when several page loads refresh with the same token at once, then each gets a pair and the session lives', async () => {
      await register('gus');
      const pair = await login('gus');
      const answers = await Promise.all([0, 1, 2, 3].map(() => http().post('/auth/refresh').send({ refreshToken: pair.refreshToken })));
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
      const pairs = answers.map((a) => a.body as TokenPair);
      expect(new Set(pairs.map((p) => p.refreshToken)).size).toBe(4);
      for (const p of pairs) await http().get('/me').set('Authorization', bearer(p)).expect(200);
      // every pair goes on: the late ones were not read as theft
      for (const p of pairs) await http().post('/auth/refresh').send({ refreshToken: p.refreshToken }).expect(200);
    });

    it('when a refresh is retried with its Idempotency-Key, then the same pair comes back and the session lives', async () => {
      await register('fay');
      const pair = await login('fay');
      const key = `refresh-${run}`;
      const a = await http().post('/auth/refresh').set('Idempotency-Key', key).send({ refreshToken: pair.refreshToken }).expect(200);
      const b = await http().post('/auth/refresh').set('Idempotency-Key', key).send({ refreshToken: pair.refreshToken }).expect(200);
      expect(b.body).toEqual(a.body);
      await http().post('/auth/refresh').send({ refreshToken: (a.body as TokenPair).refreshToken }).expect(200);
    });

    it('when a user changes the password, then every other session ends and theirs goes on with a new pair', async () => {
      const session = await register('ivy');
      const phone = await login('ivy');
      const wrong = await http().post('/me/password').set('Authorization', bearer(session.tokens)).set('Idempotency-Key', `pw0-${run}`).send({ currentPassword: 'not it at all', newPassword: 'another long password' });
      expect([wrong.status, wrong.body.errors?.[0]?.field]).toEqual([400, 'currentPassword']);
      const short = await http().post('/me/password').set('Authorization', bearer(session.tokens)).set('Idempotency-Key', `pw1-${run}`).send({ currentPassword: password, newPassword: 'short' });
      expect(short.body.errors?.[0]?.field).toBe('newPassword');
      const changed = await http().post('/me/password').set('Authorization', bearer(session.tokens)).set('Idempotency-Key', `pw2-${run}`).send({ currentPassword: password, newPassword: 'another long password' });
      expect(changed.status).toBe(200);
      expect((await http().post('/auth/refresh').send({ refreshToken: phone.refreshToken })).status).toBe(401);
      expect((await http().post('/auth/refresh').send({ refreshToken: session.tokens.refreshToken })).status).toBe(401);
      await http().post('/auth/refresh').send({ refreshToken: (changed.body as TokenPair).refreshToken }).expect(200);
      expect((await http().post('/auth/login').send({ login: email('ivy'), password })).status).toBe(401);
      await http().post('/auth/login').send({ login: email('ivy'), password: 'another long password' }).expect(200);
      // three wrong guesses, then even the right password waits
      for (let i = 0; i < 3; i++) await http().post('/me/password').set('Authorization', bearer(changed.body as TokenPair)).set('Idempotency-Key', `pw-g${i}-${run}`).send({ currentPassword: `guess ${i}`, newPassword: 'a third long password' });
      const throttled = await http().post('/me/password').set('Authorization', bearer(changed.body as TokenPair)).set('Idempotency-Key', `pw3-${run}`).send({ currentPassword: 'another long password', newPassword: 'a third long password' });
      expect(throttled.status).toBe(429);
    });

    it('when a user renames themselves and edits an address, then the profile and the default follow', async () => {
      const session = await register('jay');
      const auth = bearer(session.tokens);
      const renamed = await http().patch('/me').set('Authorization', auth).send({ displayName: 'Jay Chen', locale: 'en' }).expect(200);
      expect([renamed.body.displayName, renamed.body.locale, renamed.body.email]).toEqual(['Jay Chen', 'en', email('jay')]);
      expect((await http().patch('/me').set('Authorization', auth).send({ email: 'x@example.com' })).body.errors?.[0]?.field).toBe('email');
      const address = (n: number, isDefault = false) => ({ recipient: `Jay ${n}`, phone: '+8613800138000', province: 'Shanghai', city: 'Shanghai', district: 'Pudong', street: `${n} Century Avenue`, isDefault });
      const home = (await http().post('/me/addresses').set('Authorization', auth).set('Idempotency-Key', `a1-${run}`).send(address(1)).expect(201)).body as { id: string };
      const work = (await http().post('/me/addresses').set('Authorization', auth).set('Idempotency-Key', `a2-${run}`).send(address(2)).expect(201)).body as { id: string };
      await http().put(`/me/addresses/${work.id}`).set('Authorization', auth).send({ ...address(3), isDefault: true }).expect(200);
      const book = (await http().get('/me/addresses').set('Authorization', auth).expect(200)).body.items as { id: string; street: string; isDefault: boolean }[];
      expect(book.map((a) => [a.id, a.street, a.isDefault])).toEqual([[work.id, '3 Century Avenue', true], [home.id, '1 Century Avenue', false]]);
      // unticking the default keeps it the default: there is always one
      await http().put(`/me/addresses/${work.id}`).set('Authorization', auth).send(address(3)).expect(200);
      expect(((await http().get('/me/addresses').set('Authorization', auth)).body.items as { isDefault: boolean }[]).map((a) => a.isDefault)).toEqual([true, false]);
      const stranger = await register('kim');
      expect((await http().put(`/me/addresses/${work.id}`).set('Authorization', bearer(stranger.tokens)).send({ ...address(4), isDefault: true })).status).toBe(404);
      expect(((await http().get('/me/addresses').set('Authorization', auth)).body.items as { street: string }[])[0]!.street).toBe('3 Century Avenue');
    });

    it('when the user logs out, then the refresh token no longer works', async () => {
      await register('gus');
      const pair = await login('gus');
      await http().post('/auth/logout').send({ refreshToken: pair.refreshToken }).expect(204);
      expect((await http().post('/auth/refresh').send({ refreshToken: pair.refreshToken })).status).toBe(401);
    });

    it('when another service verifies a token, then it uses the JWKS fetched through its sidecar, and a forged token fails', async () => {
      const session = await register('hal');
      const keys = jwksFromIdentity(identity.dapr);
      const claims = verifyAccessToken(session.tokens.accessToken, await keys.keys());
      expect(claims.sub).toBe(session.user.id);
      const [h, p, s] = session.tokens.accessToken.split('.') as [string, string, string];
      const forged = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
      forged.roles = [{ role: 'platform_admin' }];
      const tampered = `${h}.${Buffer.from(JSON.stringify(forged)).toString('base64url')}.${s}`;
      expect(() => verifyAccessToken(tampered, new Map())).toThrow();
      expect((await http().get('/me').set('Authorization', `Bearer ${tampered}`)).status).toBe(401);
      expect((await http().get('/me')).status).toBe(401);
    });
  });

  describe('B2B companies', () => {
    it('when a company is approved and invites a buyer, then the buyer joins with a limit and strangers see nothing', async () => {
      const adminId = await ensurePlatformAdmin(
        { db: identity.service.deps.db, users: new UserRepository(identity.service.deps.db), settings: { scryptCost: 1024 } },
        { email: email('root'), password, displayName: 'root' },
      );
      expect(adminId).toBeTruthy();
      const platformAdmin = await login('root');

      const owner = await register('owner');
      const taxId = `91${run.toUpperCase().replace(/[^0-9A-Z]/g, '')}`.slice(0, 18).padEnd(12, '0');
      const company = await http()
        .post('/companies')
        .set('Authorization', bearer(owner.tokens))
        .set('Idempotency-Key', `co-${run}`)
        .send({ name: 'Acme Trading', taxId, contactEmail: email('owner'), address: '1 Century Avenue, Shanghai' });
      expect(company.status).toBe(201);
      expect(company.body.status).toBe('pending');
      const companyId = company.body.id as string;
      // the company admin role appears in the next access token
      const ownerTokens = (await http().post('/auth/refresh').send({ refreshToken: owner.tokens.refreshToken }).expect(200)).body as TokenPair;

      // only an admin decides, and an unapproved company cannot invite
      const early = await http().post(`/companies/${companyId}/invitations`).set('Authorization', bearer(ownerTokens)).set('Idempotency-Key', `inv0-${run}`)
        .send({ email: email('buyer'), spendingLimit: { amount: 500000, currency: 'CNY' } });
      expect(early.status).toBe(409);
      expect((await http().post(`/admin/companies/${companyId}/decision`).set('Authorization', bearer(ownerTokens)).set('Idempotency-Key', `d0-${run}`).send({ decision: 'approve' })).status).toBe(403);
      const rejectWithoutReason = await http().post(`/admin/companies/${companyId}/decision`).set('Authorization', bearer(platformAdmin)).set('Idempotency-Key', `d1-${run}`).send({ decision: 'reject' });
      expect(rejectWithoutReason.status).toBe(400);
      const approved = await http().post(`/admin/companies/${companyId}/decision`).set('Authorization', bearer(platformAdmin)).set('Idempotency-Key', `d2-${run}`).send({ decision: 'approve' });
      expect(approved.status).toBe(200);
      expect(approved.body.status).toBe('approved');

      const invite = await http().post(`/companies/${companyId}/invitations`).set('Authorization', bearer(ownerTokens)).set('Idempotency-Key', `inv1-${run}`)
        .send({ email: email('buyer'), spendingLimit: { amount: 500000, currency: 'CNY' } });
      expect(invite.status).toBe(201);

      const buyer = await register('buyer');
      const mine = await http().get('/me/invitations').set('Authorization', bearer(buyer.tokens));
      expect(mine.body.items).toEqual([expect.objectContaining({ companyId, companyName: 'Acme Trading', spendingLimit: { amount: 500000, currency: 'CNY' } })]);
      // a stranger cannot accept someone else's invitation
      const stranger = await register('stranger');
      expect((await http().post(`/me/invitations/${invite.body.id}/accept`).set('Authorization', bearer(stranger.tokens)).set('Idempotency-Key', `acc0-${run}`)).status).toBe(404);
      const joined = await http().post(`/me/invitations/${invite.body.id}/accept`).set('Authorization', bearer(buyer.tokens)).set('Idempotency-Key', `acc1-${run}`);
      expect(joined.status).toBe(201);
      expect(joined.body).toEqual(expect.objectContaining({ userId: buyer.user.id, companyId }));
      const buyerMe = await http().get('/me').set('Authorization', bearer((await http().post('/auth/refresh').send({ refreshToken: buyer.tokens.refreshToken })).body as TokenPair));
      expect(buyerMe.body.roles).toContainEqual({ role: 'company_buyer', companyId });

      const limit = await http().put(`/companies/${companyId}/buyers/${buyer.user.id}/spending-limit`).set('Authorization', bearer(ownerTokens)).send({ spendingLimit: { amount: 1000000, currency: 'CNY' } });
      expect(limit.status).toBe(200);
      expect(limit.body.spendingLimit).toEqual({ amount: 1000000, currency: 'CNY' });
      const floatLimit = await http().put(`/companies/${companyId}/buyers/${buyer.user.id}/spending-limit`).set('Authorization', bearer(ownerTokens)).send({ spendingLimit: { amount: 10.5, currency: 'CNY' } });
      expect(floatLimit.status).toBe(400);
      expect(floatLimit.body.errors[0].field).toBe('spendingLimit.amount');

      // the buyer and strangers get 404 for the company's buyer list; the platform admin sees it
      expect((await http().get(`/companies/${companyId}/buyers`).set('Authorization', bearer(buyer.tokens))).status).toBe(404);
      expect((await http().get(`/companies/${companyId}`).set('Authorization', bearer(stranger.tokens))).status).toBe(404);
      expect((await http().get(`/companies/${companyId}/buyers`).set('Authorization', bearer(platformAdmin))).body.items).toHaveLength(1);

      // company events left through the outbox
      const rows = await waitForPublished(identity, ['company.registered', 'company.approved', 'company-buyer.joined'], companyId);
      expect(rows).toHaveLength(3);
    });
  });
});

async function waitForPublished(app: TestApp, topics: string[], companyId: string) {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const rows = await app.service.deps.db.query<{ topic: string }>("SELECT topic FROM outbox WHERE published_at IS NOT NULL AND body->>'companyId' = :companyId AND topic IN (:topics)", { companyId, topics });
    if (rows.length >= topics.length || Date.now() > deadline) return rows;
    await new Promise((r) => setTimeout(r, 200));
  }
}
