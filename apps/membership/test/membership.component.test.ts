import request from 'supertest';
import { Client } from 'pg';
import type { LevelLadder, PointsAccount, PointsEntry, PointsEntryPage, TokenPair } from '@emporium/contracts';
import { bearer, identityClient, startTestPlatform, type RunningApp, type TestApp, type TestPlatform, uniqueSuffix } from '@emporium/devkit/testing';
import { membershipService } from '../src/app';

/** membership with its own sidecar (mTLS through Sentry, API and app tokens, access control from the registry), beside identity. */
describe('membership', () => {
  let platform: TestPlatform;
  let membership: TestApp;
  let identity: RunningApp;
  let accounts: ReturnType<typeof identityClient>;
  let admin: TokenPair;
  const run = uniqueSuffix();
  let key = 0;

  beforeAll(async () => {
    platform = await startTestPlatform({ profile: 'services' });
    [identity, membership] = await Promise.all([
      platform.startPeer('identity', { env: { SCRYPT_COST: '1024', LOGIN_MAX_FAILURES_PER_ADDRESS: '100000' } }),
      platform.startApp(membershipService, { appId: 'membership', env: { POINTS_EXPIRY_SWEEP_MS: '200', POINTS_VALID_DAYS: '30' } }),
    ]);
    accounts = identityClient(identity, { run, password: 'a long enough password', databaseUrl: platform.endpoints.postgres });
    admin = await accounts.platformAdmin();
  });
  afterAll(async () => {
    await platform?.stop();
  });

  const adjust = (userId: string, points: number, reason = 'a test adjustment', who = admin) =>
    request(membership.url).post(`/admin/users/${userId}/points`).set('Authorization', bearer(who)).set('Idempotency-Key', `k-${run}-${key++}`).send({ points, reason });
  const mine = async (tokens: TokenPair) => (await request(membership.url).get('/me/points').set('Authorization', bearer(tokens)).expect(200)).body as PointsAccount;
  const entries = async (tokens: TokenPair, query: Record<string, string> = {}) => (await request(membership.url).get('/me/points/entries').query(query).set('Authorization', bearer(tokens)).expect(200)).body as PointsEntryPage;
  /** Moves a lot's expiry: time passing, as the sweep sees it */
  async function expireLot(userId: string, points: number): Promise<void> {
    const db = new Client({ connectionString: platform.endpoints.postgres });
    await db.connect();
    try {
      await db.query(`UPDATE "${membership.databaseSchema ?? 'membership'}".point_lots SET expires_at = now() - interval '1 second' WHERE user_id = $1 AND points = $2`, [userId, points]);
    } finally {
      await db.end();
    }
  }

  it('when it starts beside its sidecar, then it is ready and its sidecar knows it', async () => {
    expect((await request(membership.url).get('/readyz')).status).toBe(200);
    const meta = await membership.dapr.request('GET', '/v1.0/metadata');
    expect(meta.status).toBe(200);
    expect(((await meta.json()) as { id: string }).id).toBe('membership');
  });

  it('when a request comes around its sidecar or without the API token, then it is refused', async () => {
    // the app answers nothing but its probes without its sidecar's token, whatever caller it names
    expect((await request(membership.directUrl).get('/readyz').set('dapr-caller-app-id', 'order')).status).toBe(200);
    expect((await request(membership.directUrl).post('/anything').set('dapr-caller-app-id', 'order').send({})).status).toBe(401);
    const bare = await fetch(`http://127.0.0.1:${membership.sidecarPorts.http}/v1.0/metadata`);
    expect(bare.status).toBe(401);
  });

  it('when an admin adds and takes points, then points are taken from the lot expiring first, the ledger says why with each balance, and more than there is is refused', async () => {
    const member = await accounts.register('points-member');
    const userId = member.user.id;
    expect(await mine(member.tokens)).toMatchObject({
      points: 0,
      growth: 0,
      nextExpiry: null,
      rules: { pointsPerYuan: 1, validDays: 30, spend: { pointsPerYuan: 100, maxShareBps: 5000 } },
      level: { level: 0, name: { en: 'Member' }, next: { level: 1, name: { en: 'Silver' }, growthNeeded: 500 } },
    });
    const first = (await adjust(userId, 300, 'sorry for the late parcel').expect(201)).body as PointsEntry;
    expect(first).toMatchObject({ kind: 'adjust', points: 300, balanceAfter: 300, note: 'sorry for the late parcel' });
    await adjust(userId, 200).expect(201);
    // the first lot expires first: taking 350 empties it and takes 50 of the second
    const taken = (await adjust(userId, -350, 'a correction').expect(201)).body as PointsEntry;
    expect([taken.points, taken.balanceAfter]).toEqual([-350, 150]);
    const refused = await adjust(userId, -151);
    expect([refused.status, refused.body.errors?.[0]?.field]).toEqual([409, 'points']);
    expect((await mine(member.tokens)).points).toBe(150);
    // the ledger, newest first, a page at a time
    const page1 = await entries(member.tokens, { limit: '2' });
    expect(page1.items.map((e) => [e.kind, e.points, e.balanceAfter])).toEqual([
      ['adjust', -350, 150],
      ['adjust', 200, 500],
    ]);
    const page2 = await entries(member.tokens, { limit: '2', before: page1.nextBefore! });
    expect([page2.items.map((e) => e.points), page2.nextBefore]).toEqual([[300], null]);
    // admins only; nobody else's points; bad input names the field
    const other = await accounts.register('points-other');
    expect((await adjust(userId, 10, 'mine now', other.tokens)).status).toBe(403);
    expect((await adjust('7d3c5e0a-2b1f-4c8e-9a6d-5f4e3d2c1b0a', 10)).status).toBe(404);
    const zero = await adjust(userId, 0);
    expect([zero.status, zero.body.errors?.[0]?.field]).toEqual([400, 'points']);
    expect((await request(membership.url).get('/me/points/entries').query({ limit: '1000' }).set('Authorization', bearer(member.tokens))).status).toBe(400);
  });

  it('when anyone reads the level ladder, then each level says its growth and benefits; only admins replace it, and a ladder that does not rise is refused by field', async () => {
    const ladder = (await request(membership.url).get('/member-levels').expect(200)).body as LevelLadder;
    expect(ladder.items.map((l) => [l.level, l.minGrowth, l.discountBps, l.freeShippingAbove?.amount ?? null])).toEqual([
      [0, 0, 0, null],
      [1, 500, 100, null],
      [2, 2000, 200, 4900],
      [3, 8000, 300, 0],
      [4, 20000, 500, 0],
    ]);
    const other = await accounts.register('levels-other');
    expect((await request(membership.url).put('/admin/member-levels').set('Authorization', bearer(other.tokens)).send({ levels: ladder.items })).status).toBe(403);
    const flat = ladder.items.map((l, i) => (i === 2 ? { ...l, minGrowth: 400 } : l));
    const refused = await request(membership.url).put('/admin/member-levels').set('Authorization', bearer(admin)).send({ levels: flat });
    expect([refused.status, refused.body.errors?.map((e: { field: string }) => e.field)]).toEqual([400, ['levels.2.minGrowth']]);
    expect((await request(membership.url).put('/admin/member-levels').set('Authorization', bearer(admin)).send({ levels: ladder.items }).expect(200)).body).toEqual(ladder);
  });

  it('when a lot passes its expiry, then the sweep takes what is left of it with an expire entry, and the balance stays the sum of the ledger', async () => {
    const member = await accounts.register('points-expiring');
    const userId = member.user.id;
    await adjust(userId, 120).expect(201);
    await adjust(userId, 80).expect(201);
    await adjust(userId, -20).expect(201); // from the 120 lot, which expires first
    expect((await mine(member.tokens)).nextExpiry?.points).toBe(100);
    await expireLot(userId, 120);
    let account = await mine(member.tokens);
    for (let i = 0; i < 50 && account.points !== 80; i++) {
      await new Promise((r) => setTimeout(r, 100));
      account = await mine(member.tokens);
    }
    expect([account.points, account.nextExpiry?.points]).toEqual([80, 80]);
    const ledger = (await entries(member.tokens)).items;
    expect(ledger.map((e) => [e.kind, e.points, e.balanceAfter])).toEqual([
      ['expire', -100, 80],
      ['adjust', -20, 180],
      ['adjust', 80, 200],
      ['adjust', 120, 120],
    ]);
    expect(ledger.reduce((a, e) => a + e.points, 0)).toBe(account.points);
  });
});
