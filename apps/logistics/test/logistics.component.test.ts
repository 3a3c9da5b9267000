import { createHmac } from 'node:crypto';
import { join } from 'node:path';
import request from 'supertest';
import { readSecrets } from '@emporium/devkit/platform';
import { startTestPlatform, type TestApp, type TestPlatform } from '@emporium/devkit/testing';
import { logisticsService } from '../src/app';

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
    expect((await request(logistics.url).post('/webhooks/tracking/sim').send(body)).status).toBe(401);
    const t = Math.floor(Date.now() / 1000);
    const forged = `t=${t},v1=${createHmac('sha256', 'not-the-secret-at-all-really').update(`${t}.${JSON.stringify(body)}`).digest('hex')}`;
    expect((await request(logistics.url).post('/webhooks/tracking/sim').set('x-carrier-signature', forged).set('content-type', 'application/json').send(JSON.stringify(body))).status).toBe(401);
    expect((await request(logistics.url).post('/webhooks/tracking/aftership').send(body)).status).toBe(404);
  });

  it('when a signed callback names a parcel nobody follows, then it is taken (so the provider stops) and changes nothing', async () => {
    const secret = readSecrets(join(__dirname, '..', '..', '..')).logistics!['carrier-webhook-secret']!;
    const raw = JSON.stringify({ id: 'evt_y', type: 'tracking.checkpoint', reference: '5b0f1f0e-7a53-4f59-9a35-3d2b2f0a9c11', carrier: 'SF', trackingNumber: 'SF123456789012', checkpoint: { code: 'DELIVERED', description: 'x', location: null, occurredAt: new Date().toISOString() } });
    const t = Math.floor(Date.now() / 1000);
    const signature = `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${raw}`).digest('hex')}`;
    const res = await request(logistics.url).post('/webhooks/tracking/sim').set('x-carrier-signature', signature).set('content-type', 'application/json').send(raw);
    expect([res.status, res.body.outcomes]).toEqual([200, ['unknown parcel']]);
    // a signed body that is not a callback names its wrong field
    const bad = JSON.stringify({ id: 'evt_z', type: 'tracking.checkpoint' });
    const badSig = `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${bad}`).digest('hex')}`;
    const refused = await request(logistics.url).post('/webhooks/tracking/sim').set('x-carrier-signature', badSig).set('content-type', 'application/json').send(bad);
    expect(refused.status).toBe(400);
    expect(refused.body.errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['reference', 'checkpoint']));
  });

  it('when a request comes around its sidecar or without the API token, then it is refused', async () => {
    // the app answers nothing but its probes without its sidecar's token, whatever caller it names
    expect((await request(logistics.directUrl).get('/readyz').set('dapr-caller-app-id', 'order')).status).toBe(200);
    expect((await request(logistics.directUrl).post('/anything').set('dapr-caller-app-id', 'order').send({})).status).toBe(401);
    const bare = await fetch(`http://127.0.0.1:${logistics.sidecarPorts.http}/v1.0/metadata`);
    expect(bare.status).toBe(401);
  });
});
