import express from 'express';
import request from 'supertest';
import { z } from 'zod';
import { createApp } from './create-app';
import { parseWith } from './validate';
import { ConflictError, InProgressError, NotFoundError } from '../errors';
import { InvocationError } from '../dapr/sidecar';
import { createLogger } from '../logger';

const logger = createLogger({ service: 'test', level: 'silent' });
const Body = z.object({ name: z.string().min(1), items: z.array(z.object({ qty: z.number().int().positive() }).strict()) }).strict();

function app() {
  const router = express.Router();
  router.post('/things', (req, res) => {
    res.status(201).json(parseWith(Body, req.body));
  });
  router.get('/missing', () => {
    throw new NotFoundError('no such thing');
  });
  router.post('/conflict', () => {
    throw new ConflictError('already shipped');
  });
  router.get('/peer-down', () => {
    throw new InvocationError('payment', 500, { errorCode: 'ERR_DIRECT_INVOKE' });
  });
  router.get('/database-gone', () => {
    // what pg throws when PostgreSQL shut down under a query
    throw Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01', severity: 'FATAL' });
  });
  router.post('/raced', () => {
    // what pg throws when a concurrent request inserted the same key first
    throw Object.assign(new Error('duplicate key value violates unique constraint "shipments_reference"'), { code: '23505', severity: 'ERROR' });
  });
  router.get('/bug', () => {
    throw new TypeError('cannot read properties of undefined');
  });
  router.post('/in-progress', () => {
    throw new InProgressError('the order is still being created', 3);
  });
  return createApp({ logger, routes: [router] });
}

describe('problem answers', () => {
  it('when a nested field is wrong, then 400 names its path', async () => {
    const res = await request(app()).post('/things').send({ name: '', items: [{ qty: 0 }] });
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['items.0.qty', 'name']);
  });

  it('when a peer or the database could not be reached, or the work is still under way, then 503 says so and when to come back', async () => {
    const down = await request(app()).get('/peer-down');
    // 2 s and up to half as much again (jittered, so clients refused together do not return together)
    expect([down.status, down.body.code, down.headers['retry-after']]).toEqual([503, 'upstream_error', expect.stringMatching(/^[23]$/)]);
    const gone = await request(app()).get('/database-gone');
    expect([gone.status, gone.body.code, gone.headers['retry-after']]).toEqual([503, 'unavailable', expect.stringMatching(/^[23]$/)]);
    const bug = await request(app()).get('/bug');
    expect([bug.status, bug.body.code, bug.headers['retry-after']]).toEqual([500, 'internal', undefined]);
    const busy = await request(app()).post('/in-progress');
    expect([busy.status, busy.body.code, busy.headers['retry-after']]).toEqual([503, 'in_progress', '3']);
  });

  it('when the body is not JSON, then 400 malformed_json', async () => {
    const res = await request(app()).post('/things').set('content-type', 'application/json').send('{"name":');
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('malformed_json');
  });

  it('when a domain error is thrown, then its status comes from its code', async () => {
    expect((await request(app()).get('/missing')).status).toBe(404);
    const conflict = await request(app()).post('/conflict');
    expect(conflict.status).toBe(409);
    expect(conflict.body).toEqual(expect.objectContaining({ code: 'conflict', detail: 'already shipped' }));
  });

  it('when a unique index refuses a write another request made at the same moment, then 409, not 500', async () => {
    const raced = await request(app()).post('/raced');
    expect([raced.status, raced.body.code]).toEqual([409, 'concurrent_write']);
    expect(raced.body.detail).not.toContain('shipments_reference');
  });

  it('when no route matches, then 404 problem', async () => {
    const res = await request(app()).get('/nope');
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('route_not_found');
  });

  it('when the app token is set, then calls without it are refused but health stays open', async () => {
    const guarded = createApp({ logger, appApiToken: 's3cret' });
    expect((await request(guarded).get('/healthz')).status).toBe(200);
    expect((await request(guarded).get('/anything')).status).toBe(401);
    expect((await request(guarded).get('/anything').set('dapr-api-token', 's3cret')).status).toBe(404);
  });

  it('when a readiness probe fails, then /readyz is 503 and names it', async () => {
    const app = createApp({ logger, readiness: () => [{ name: 'database', check: () => Promise.resolve('down') }] });
    const res = await request(app).get('/readyz');
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ status: 'not_ready', checks: [{ name: 'database', ok: false, detail: 'down' }] });
  });
});
