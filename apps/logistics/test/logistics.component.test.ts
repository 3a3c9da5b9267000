import { createHmac, randomInt, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import request from 'supertest';
import { readSecrets } from '@emporium/devkit/platform';
import { startTestPlatform, type TestApp, type TestPlatform } from '@emporium/devkit/testing';
import { logisticsService } from '../src/app';
import { LogisticsRepository } from '../src/data/logistics-repository';
import { SIGNATURE_HEADER } from '../src/tracking/sim-provider';

/** The tracking provider's signature over a callback's raw bytes, `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">` (kit's verifyWebhookSignature checks it). */
const sign = (secret: string, raw: string, at = Math.floor(Date.now() / 1000)) => `t=${at},v1=${createHmac('sha256', secret).update(`${at}.${raw}`).digest('hex')}`;

/** logistics with its own sidecar (mTLS through Sentry, API and app tokens, access control from the registry); its shipments are followed end to end in order's component test and e2e/logistics. */
describe('logistics', () => {
  let platform: TestPlatform;
  let logistics: TestApp;

  beforeAll(async () => {
    platform = await startTestPlatform({ profile: 'services' });
    logistics = await platform.startApp(logisticsService, { appId: 'logistics' });
  });
  afterAll(async () => {
    await platform?.stop();
  });

  const webhookSecret = () => readSecrets(join(__dirname, '..', '..', '..')).logistics!['carrier-webhook-secret']!;
  /** Posts the raw bytes as the simulator does, with the signature given (none: unsigned). */
  const postCallback = (raw: string, signature?: string) => {
    const req = request(logistics.url).post('/webhooks/tracking/sim').set('content-type', 'application/json');
    return (signature ? req.set(SIGNATURE_HEADER, signature) : req).send(raw);
  };
  const checkpoint = (parcel: { id: string; trackingNumber: string }, code: string, description: string, occurredAt = new Date()) =>
    JSON.stringify({ id: `evt_${randomUUID()}`, type: 'tracking.checkpoint', reference: parcel.id, carrier: 'SF', trackingNumber: parcel.trackingNumber, checkpoint: { code, description, location: '上海 Shanghai', occurredAt: occurredAt.toISOString() } });

  /**
   * A shipment with one parcel on its way, written straight to logistics's
   * tables: createShipment asks order for the sub-order, and order does not
   * run here. The parcel is never subscribed (the provider is not there):
   * the callbacks below stand in for it.
   */
  async function followedShipment(n: number): Promise<{ id: string; shipmentId: string; trackingNumber: string }[]> {
    const repo = new LogisticsRepository(logistics.service.deps.db);
    const shipmentId = randomUUID();
    const parcels = Array.from({ length: n }, () => ({ id: randomUUID(), shipmentId, trackingNumber: `SF${randomInt(1e11, 1e12)}` }));
    const written = await logistics.service.deps.db.transaction((t) =>
      repo.insertShipment(
        { id: shipmentId, purpose: 'outbound', reference: randomUUID(), orderId: randomUUID(), subOrderId: randomUUID(), shopId: randomUUID(), buyerUserId: randomUUID(), createdBy: randomUUID(), parcels: parcels.map((p) => ({ id: p.id, carrier: 'SF' as const, trackingNumber: p.trackingNumber, provider: 'sim' })) },
        t,
      ),
    );
    expect(written).toEqual({ ok: true });
    return parcels;
  }
  const followedParcel = async () => (await followedShipment(1))[0]!;
  /** The parcel as the API shows it (status and checkpoints), and the events staged about it. */
  async function seen(parcel: { id: string; shipmentId: string }) {
    const { db } = logistics.service.deps;
    const repo = new LogisticsRepository(db);
    const [shipment] = await db.snapshot(async (t) => repo.views([(await repo.shipment(parcel.shipmentId, t))!], t));
    const staged = await db.query<{ topic: string; body: { status?: string } }>('SELECT topic, body FROM outbox WHERE body::text LIKE :match ORDER BY seq', { match: `%${parcel.id}%` });
    return { parcel: shipment!.parcels[0]!, staged: staged.map((e) => [e.topic, e.body.status]) };
  }

  it('when it starts beside its sidecar, then it is ready and its sidecar knows it', async () => {
    expect((await request(logistics.url).get('/readyz')).status).toBe(200);
    const meta = await logistics.dapr.request('GET', '/v1.0/metadata');
    expect(meta.status).toBe(200);
    expect(((await meta.json()) as { id: string }).id).toBe('logistics');
  });

  it('when the carriers are asked for, then each has its name in both languages and a pattern that its example fits', async () => {
    const res = await request(logistics.url).get('/carriers').expect(200);
    const items = (res.body as { items: { code: string; name: { en: string; 'zh-CN': string }; pattern: string; example: string }[] }).items;
    expect(items.map((c) => c.code)).toEqual(expect.arrayContaining(['SF', 'ZTO', 'JD', 'EMS']));
    for (const c of items) expect(new RegExp(c.pattern).test(c.example)).toBe(true);
  });

  it('when a callback is unsigned, signed with another key or names no provider we have, then it is refused and nothing is taken', async () => {
    const body = { id: 'evt_x', type: 'tracking.checkpoint', reference: '5b0f1f0e-7a53-4f59-9a35-3d2b2f0a9c11', carrier: 'SF', trackingNumber: 'SF123456789012', checkpoint: { code: 'DELIVERED', description: 'x', location: null, occurredAt: new Date().toISOString() } };
    expect((await postCallback(JSON.stringify(body))).status).toBe(401);
    expect((await postCallback(JSON.stringify(body), sign('not-the-secret-at-all-really', JSON.stringify(body)))).status).toBe(401);
    expect((await request(logistics.url).post('/webhooks/tracking/aftership').send(body)).status).toBe(404);
  });

  it('when a signed callback names a parcel nobody follows, then it is taken (so the provider stops) and changes nothing', async () => {
    const raw = JSON.stringify({ id: 'evt_y', type: 'tracking.checkpoint', reference: '5b0f1f0e-7a53-4f59-9a35-3d2b2f0a9c11', carrier: 'SF', trackingNumber: 'SF123456789012', checkpoint: { code: 'DELIVERED', description: 'x', location: null, occurredAt: new Date().toISOString() } });
    const res = await postCallback(raw, sign(webhookSecret(), raw));
    expect([res.status, res.body.outcomes]).toEqual([200, ['unknown parcel']]);
    // a signed body that is not a callback names its wrong field
    const bad = JSON.stringify({ id: 'evt_z', type: 'tracking.checkpoint' });
    const refused = await postCallback(bad, sign(webhookSecret(), bad));
    expect(refused.status).toBe(400);
    expect(refused.body.errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['reference', 'checkpoint']));
  });

  it('when a signed callback is replayed byte for byte, then the copy is taken as a duplicate and changes nothing', async () => {
    const parcel = await followedParcel();
    const raw = checkpoint(parcel, 'PICKED_UP', '快递员已揽收 Picked up by the courier');
    const signature = sign(webhookSecret(), raw);
    const first = await postCallback(raw, signature);
    expect([first.status, first.body.outcomes]).toEqual([200, ['in_transit']]);
    const before = await seen(parcel);
    expect(before.parcel.status).toBe('in_transit');
    expect(before.parcel.events.map((e) => [e.code, e.applied])).toEqual([['PICKED_UP', true]]);
    expect(before.staged).toEqual([['parcel.status-changed', 'in_transit']]);

    // the same bytes and the same signature, still inside its window
    const again = await postCallback(raw, signature);
    expect([again.status, again.body.outcomes]).toEqual([200, ['duplicate']]);
    expect(await seen(parcel)).toEqual(before);
  });

  it('when a validly signed callback comes after its signature window, then it is refused and changes nothing', async () => {
    const parcel = await followedParcel();
    const before = await seen(parcel);
    expect(before.parcel).toMatchObject({ status: 'pending', events: [] });
    const raw = checkpoint(parcel, 'OUT_FOR_DELIVERY', '快递员正在派件 Out for delivery with the courier');
    // signed with the right key 301 s ago: one second past the 300 s the kit allows
    const late = await postCallback(raw, sign(webhookSecret(), raw, Math.floor(Date.now() / 1000) - 301));
    expect([late.status, late.body.detail]).toEqual([401, 'callback refused: signature too old']);
    expect(await seen(parcel)).toEqual(before);
  });

  it('when a checkpoint\'s words say delivered, then only its code counts: a code no mapping knows is kept and moves nothing, a failed attempt stays one', async () => {
    const parcel = await followedParcel();
    const unknown = checkpoint(parcel, 'SORT_SCAN_X9', 'Delivered, signed by the recipient', new Date(Date.now() - 60_000));
    const kept = await postCallback(unknown, sign(webhookSecret(), unknown));
    expect([kept.status, kept.body.outcomes]).toEqual([200, ['unmapped']]);
    let now = await seen(parcel);
    expect(now.parcel).toMatchObject({ status: 'pending', exceptionKind: null, deliveredAt: null });
    expect(now.parcel.events.map((e) => [e.code, e.status, e.applied])).toEqual([['SORT_SCAN_X9', null, false]]);
    expect(now.staged).toEqual([]);

    const attempt = checkpoint(parcel, 'DELIVERY_ATTEMPTED', 'Delivered, signed by the recipient');
    const moved = await postCallback(attempt, sign(webhookSecret(), attempt));
    expect([moved.status, moved.body.outcomes]).toEqual([200, ['failed_attempt']]);
    now = await seen(parcel);
    expect(now.parcel).toMatchObject({ status: 'failed_attempt', deliveredAt: null });
    expect(now.staged).toEqual([['parcel.status-changed', 'failed_attempt']]);
  });

  it('when the parcels of one shipment are delivered at the same moment, then the shipment is delivered once, whichever commits last', async () => {
    // several shipments of two parcels, both delivery scans posted together:
    // each callback's transaction holds only its own parcel, so without the
    // shipment's lock each read the other as undelivered and none delivered
    const shipments = await Promise.all(Array.from({ length: 8 }, () => followedShipment(2)));
    const at = new Date(Date.now() - 1_000);
    const posted = await Promise.all(
      shipments.flat().map((p) => {
        const raw = checkpoint(p, 'DELIVERED', '已签收 Signed for by the recipient', at);
        return postCallback(raw, sign(webhookSecret(), raw));
      }),
    );
    expect(posted.map((r) => [r.status, r.body.outcomes as unknown])).toEqual(posted.map(() => [200, ['delivered']]));
    const { db } = logistics.service.deps;
    const ids = shipments.map((s) => s[0]!.shipmentId);
    const delivered = await db.query<{ id: string; deliveredAt: Date | null }>('SELECT id, delivered_at AS "deliveredAt" FROM shipments WHERE id IN (:ids)', { ids });
    expect(delivered.filter((s) => s.deliveredAt?.getTime() === at.getTime())).toHaveLength(ids.length);
    const told = await db.query<{ shipmentId: string }>("SELECT body->>'shipmentId' AS \"shipmentId\" FROM outbox WHERE topic = 'shipment.delivered' AND body->>'shipmentId' IN (:ids)", { ids });
    expect(told.map((e) => e.shipmentId).sort()).toEqual([...ids].sort());
  });

  it('when a request comes around its sidecar or without the API token, then it is refused', async () => {
    // the app answers nothing but its probes without its sidecar's token, whatever caller it names
    expect((await request(logistics.directUrl).get('/readyz').set('dapr-caller-app-id', 'order')).status).toBe(200);
    expect((await request(logistics.directUrl).post('/anything').set('dapr-caller-app-id', 'order').send({})).status).toBe(401);
    const bare = await fetch(`http://127.0.0.1:${logistics.sidecarPorts.http}/v1.0/metadata`);
    expect(bare.status).toBe(401);
  });
});
