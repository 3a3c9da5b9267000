import request from 'supertest';
import { ConflictError, requestHash, sweepKitTables } from '@emporium/kit';
import { startTestPlatform, type TestApp, type TestPlatform, uniqueSuffix } from '@emporium/devkit/testing';
import { attempts, calls, probeService } from './fixtures/probe-service';

/** Service invocation, pub/sub and state through real sidecars on the `services` profile. */
describe('kit building blocks through real sidecars', () => {
  let platform: TestPlatform;
  let caller: TestApp;
  let callee: TestApp;
  const run = uniqueSuffix();

  beforeAll(async () => {
    platform = await startTestPlatform({ profile: 'services' });
    [caller, callee] = await Promise.all([
      platform.startApp(probeService, { appId: 'kit-probe-caller' }),
      platform.startApp(probeService, { appId: 'kit-probe-callee' }),
    ]);
  });
  afterAll(async () => {
    await platform?.stop();
  });

  async function receivedRows(app: TestApp) {
    return app.service.deps.db.query<{ event_id: string; n: number }>('SELECT event_id, n FROM received WHERE run = :run ORDER BY n', { run });
  }

  async function eventually<T>(fn: () => Promise<T>, ok: (v: T) => boolean, ms = 20_000): Promise<T> {
    const deadline = Date.now() + ms;
    let last = await fn();
    while (!ok(last) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      last = await fn();
    }
    return last;
  }

  it('when one app invokes another through its sidecar, then the call arrives with a trace context', async () => {
    const res = await request(caller.url).post(`/call/${callee.appId}`).send({ hello: run });
    expect(res.status).toBe(200);
    expect(res.body.body).toEqual({ hello: run });
    expect(res.body.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/);
  });

  it('when an event is published, then the subscriber applies it once; after RETRY it is redelivered', async () => {
    await request(caller.url).post('/publish').send({ run, n: 1, failFirst: false }).expect(202);
    await request(caller.url).post('/publish').send({ run, n: 2, failFirst: true }).expect(202);
    // both apps subscribe with their own app-id, so each receives both events
    const rows = await eventually(() => receivedRows(callee), (r) => r.length === 2);
    expect(rows.map((r) => r.n)).toEqual([1, 2]);
    const retried = rows.find((r) => r.n === 2)!;
    expect(attempts.get(retried.event_id)).toBeGreaterThanOrEqual(2);
  });

  it('when an event is staged with a change, then the relay publishes it after the commit with the outbox id as CloudEvent id', async () => {
    const res = await request(caller.url).post('/stage').send({ run, n: 5, failFirst: false }).expect(202);
    const rows = await eventually(() => receivedRows(callee), (r) => r.some((row) => row.n === 5));
    expect(rows.find((row) => row.n === 5)!.event_id).toBe(res.body.eventId);
  });

  it('when a staged event was left by another instance or a crash, then the relay finds it on its next look and publishes it', async () => {
    // written straight into the outbox: no commit in this process kicks the relay, only its timer can find it
    const id = crypto.randomUUID();
    const body = { version: 1, occurredAt: new Date().toISOString(), run, n: 6, failFirst: false };
    await caller.service.deps.db.query("INSERT INTO outbox (id, topic, body) VALUES (:id, 'probe.pinged', :body)", { id, body: JSON.stringify(body) });
    const rows = await eventually(() => receivedRows(callee), (r) => r.some((row) => row.n === 6));
    expect(rows.find((row) => row.n === 6)!.event_id).toBe(id);
    const left = await caller.service.deps.db.query<{ published: boolean }>('SELECT published_at IS NOT NULL AS published FROM outbox WHERE id = :id', { id });
    expect(left).toEqual([{ published: true }]);
  });

  it('when the same CloudEvent is delivered twice, then it is applied once', async () => {
    const event = { id: `dup-${run}`, specversion: '1.0', source: 'test', type: 'emporium.probe.pinged.v1', datacontenttype: 'application/json',
      data: { version: 1, occurredAt: new Date().toISOString(), run, n: 3, failFirst: false } };
    for (let i = 0; i < 2; i++) {
      const res = await request(callee.url).post('/dapr/events/probe.pinged').set('content-type', 'application/cloudevents+json').send(event);
      expect(res.body).toEqual({ status: 'SUCCESS' });
    }
    const rows = await receivedRows(callee);
    expect(rows.filter((r) => r.event_id === event.id)).toHaveLength(1);
  });

  it('when a handler that only calls out is asked to retry and the event comes again, then it runs until it succeeds and never after', async () => {
    const event = (id: string, failFirst: boolean) => ({ id, specversion: '1.0', source: 'test', type: 'emporium.probe.called.v1', datacontenttype: 'application/json',
      data: { version: 1, occurredAt: new Date().toISOString(), run, failFirst } });
    const deliver = async (e: ReturnType<typeof event>) => (await request(callee.url).post('/dapr/events/probe.called').set('content-type', 'application/cloudevents+json').send(e)).body as unknown;
    const flaky = event(`called-flaky-${run}`, true);
    expect([await deliver(flaky), await deliver(flaky), await deliver(flaky)]).toEqual([{ status: 'RETRY' }, { status: 'SUCCESS' }, { status: 'SUCCESS' }]);
    expect(calls.get(flaky.id)?.runs).toBe(2);
    const once = event(`called-once-${run}`, false);
    expect([await deliver(once), await deliver(once)]).toEqual([{ status: 'SUCCESS' }, { status: 'SUCCESS' }]);
    expect(calls.get(once.id)?.runs).toBe(1);
  });

  it('when an event does not match its schema, then it is dropped to the dead-letter topic and kept there', async () => {
    const res = await request(callee.url)
      .post('/dapr/events/probe.pinged')
      .send({ id: `bad-${run}`, data: { version: 1, run, n: 'four' } });
    expect(res.body).toEqual({ status: 'DROP' });

    const marker = `poison-${run}`;
    await request(caller.url).post('/publish-raw').send({ version: 1, run: marker, n: 'not a number' }).expect(202);
    const letters = await eventually(
      () =>
        callee.service.deps.db.query<{ body: { data: { run: string } } }>("SELECT body FROM dead_letters WHERE topic = 'probe.pinged' AND body->'data'->>'run' = :marker", { marker }),
      (rows) => rows.length > 0,
    );
    expect(letters[0]!.body.data.run).toBe(marker);
    expect(await receivedRows(callee)).not.toContainEqual(expect.objectContaining({ n: 'not a number' }));
  });

  it('when two writers save with the same ETag, then the second is refused', async () => {
    const key = `etag-${run}`;
    await caller.dapr.saveState('statestore', key, { v: 1 });
    const first = await caller.dapr.getState<{ v: number }>('statestore', key);
    expect(first?.value).toEqual({ v: 1 });
    await caller.dapr.saveState('statestore', key, { v: 2 }, first!.etag);
    await expect(caller.dapr.saveState('statestore', key, { v: 3 }, first!.etag)).rejects.toBeInstanceOf(ConflictError);
    expect((await caller.dapr.getState<{ v: number }>('statestore', key))?.value).toEqual({ v: 2 });
  });

  describe('idempotent writes', () => {
    it('when a write is retried with the same key and body, then the first answer comes back and nothing is written twice', async () => {
      const key = `note-${run}`;
      const first = await request(caller.url).post('/notes').set('Idempotency-Key', key).send({ text: 'hello', priority: 1 });
      expect(first.status).toBe(201);
      const again = await request(caller.url).post('/notes').set('Idempotency-Key', key).send({ text: 'hello', priority: 1 });
      expect(again.status).toBe(201);
      expect(again.body).toEqual(first.body);
      expect(again.headers['idempotent-replayed']).toBe('true');
      const [count] = await caller.service.deps.db.query<{ n: string }>('SELECT count(*) AS n FROM notes WHERE id = :id', { id: first.body.id });
      expect(Number(count!.n)).toBe(1);
    });

    it('when a request holds its key, then the same request is refused while it runs, even past its lease; a key whose holder died is taken over once its lease runs out', async () => {
      const db = caller.service.deps.db;
      const key = `lease-${run}`;
      const body = { text: key, waitMs: 3_000 };
      const first = request(caller.url).post('/slow-notes').set('Idempotency-Key', key).send(body).then((r) => r);
      // past the route's 1.5 s lease: the running request renewed it
      await new Promise((r) => setTimeout(r, 2_000));
      const during = await request(caller.url).post('/slow-notes').set('Idempotency-Key', key).send(body);
      expect([during.status, during.body.code]).toEqual([409, 'idempotency_in_progress']);
      expect((await first).status).toBe(201);

      // a holder that died mid-flight: its key held, renewed by nobody
      const dead = `dead-${run}`;
      const deadBody = { text: dead, waitMs: 0 };
      await db.query("INSERT INTO idempotency_keys (key, caller, request_hash, heartbeat_at) VALUES (:key, '', :hash, now())", { key: dead, hash: requestHash('POST', '/slow-notes', deadBody) });
      expect((await request(caller.url).post('/slow-notes').set('Idempotency-Key', dead).send(deadBody)).status).toBe(409);
      await new Promise((r) => setTimeout(r, 1_700));
      const taken = await request(caller.url).post('/slow-notes').set('Idempotency-Key', dead).send(deadBody);
      expect(taken.status).toBe(201);
      const notes = await db.query<{ n: string }>('SELECT count(*) AS n FROM notes WHERE text IN (:key, :dead)', { key, dead });
      expect(Number(notes[0]!.n)).toBe(2);
    });

    it('when a unique index refuses a write another request made at the same moment, then 409 concurrent_write, and the retry with the same key runs again', async () => {
      const id = `claim-${run}`;
      // the other request's row, committed first
      await caller.service.deps.db.query('INSERT INTO received (event_id, run, n) VALUES (:id, :run, 0)', { id, run });
      const raced = await request(caller.url).post('/claims').set('Idempotency-Key', id).send({ id, run });
      expect([raced.status, raced.body.code]).toEqual([409, 'concurrent_write']);
      // not kept as the key's answer: once the row is free the same request writes it
      await caller.service.deps.db.query('DELETE FROM received WHERE event_id = :id', { id });
      const retried = await request(caller.url).post('/claims').set('Idempotency-Key', id).send({ id, run });
      expect([retried.status, retried.headers['idempotent-replayed']]).toEqual([201, undefined]);
    });

    it('when a key is reused with another body, then 422', async () => {
      const key = `reuse-${run}`;
      await request(caller.url).post('/notes').set('Idempotency-Key', key).send({ text: 'a', priority: 1 }).expect(201);
      const res = await request(caller.url).post('/notes').set('Idempotency-Key', key).send({ text: 'b', priority: 1 });
      expect(res.status).toBe(422);
      expect(res.body.code).toBe('idempotency_key_reused');
    });

    it('when the key is missing, then 400 names the header', async () => {
      const res = await request(caller.url).post('/notes').send({ text: 'a', priority: 1 });
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'Idempotency-Key', code: 'required' })]);
    });

    it('when the body has an unknown field, then 400 names it and nothing is written', async () => {
      const res = await request(caller.url).post('/notes').set('Idempotency-Key', `mass-${run}`).send({ text: 'a', priority: 1, id: 99 });
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'id', code: 'unrecognized_key' })]);
    });
  });

  it('when a handler throws an unknown error, then a bare 500 with the trace id and no internals', async () => {
    const res = await request(caller.url).get('/boom').set('traceparent', '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01');
    expect(res.status).toBe(500);
    expect(res.body).toEqual(expect.objectContaining({ status: 500, code: 'internal', traceId: '0af7651916cd43dd8448eb211c80319c' }));
    expect(JSON.stringify(res.body)).not.toContain('secret internals');
  });

  it('when the kit\'s bookkeeping is past its retention, then the sweep removes it and keeps the rest', async () => {
    const db = caller.service.deps.db;
    const old = `old-${run}`;
    const fresh = `fresh-${run}`;
    await db.query(`INSERT INTO idempotency_keys (key, caller, request_hash, status, created_at) VALUES (:old, '', 'h', 201, now() - interval '2 days'), (:fresh, '', 'h', 201, now())`, { old, fresh });
    // published rows only: an unpublished one would be taken by the running relay
    await db.query(`INSERT INTO outbox (id, topic, body, published_at) VALUES (gen_random_uuid(), 'probe.pinged', :oldBody, now() - interval '8 days'), (gen_random_uuid(), 'probe.pinged', :freshBody, now())`, { oldBody: JSON.stringify({ marker: old }), freshBody: JSON.stringify({ marker: fresh }) });
    const removed = await sweepKitTables(db);
    expect(removed.idempotency_keys).toBeGreaterThanOrEqual(1);
    expect(removed.outbox).toBeGreaterThanOrEqual(1);
    const keys = await db.query<{ key: string }>('SELECT key FROM idempotency_keys WHERE key IN (:old, :fresh)', { old, fresh });
    expect(keys.map((k) => k.key)).toEqual([fresh]);
    const kept = await db.query<{ marker: string }>("SELECT body->>'marker' AS marker FROM outbox WHERE body->>'marker' IN (:old, :fresh)", { old, fresh });
    expect(kept.map((r) => r.marker)).toEqual([fresh]);
  });

  it('when everything is up, then /readyz is 200 with database, migrations and sidecar checks', async () => {
    const res = await request(callee.url).get('/readyz');
    expect(res.status).toBe(200);
    expect(res.body.checks.map((c: { name: string }) => c.name)).toEqual(['database', 'migrations', 'dapr-sidecar']);
  });
});
