import { Router } from 'express';
import request from 'supertest';
import { z } from 'zod';
import { defineOperations, InternalOperations, Operations, PublicOperations } from '@emporium/contracts';
import { createApp } from './create-app';
import { createLogger } from '../logger';
import { routeDrift, serve } from './operations';
import { pathOf } from '../dapr/sidecar';

const logger = createLogger({ service: 'test', level: 'silent' });
const ops = defineOperations({
  getThing: { operationId: 'getThing', method: 'get', path: '/things/:thingId', appId: 'catalog', summary: 'a thing', responses: { 200: { description: 'thing', schema: z.object({ id: z.string() }) } } },
  holdThing: { operationId: 'holdThing', method: 'post', path: '/peer/things/:thingId/hold', appId: 'catalog', internal: true, callers: ['order'], summary: 'hold a thing', responses: { 200: { description: 'held' } } },
});

describe('operations from the registry', () => {
  it('when a router serves a route no operation describes, or misses one, then routeDrift names both', () => {
    const router = Router();
    serve(router, ops.getThing, (_req, res) => res.json({ id: 'x' }));
    router.get('/secret-extra', (_req, res) => res.json({}));
    expect(routeDrift('catalog', [router], Object.values(ops))).toEqual({ unlisted: ['get /secret-extra'], unserved: ['post /peer/things/:thingId/hold'] });
  });

  it('when an internal operation is called by an app-id not among its callers, or by nobody named, then 404; its caller gets through', async () => {
    const router = Router();
    serve(router, ops.holdThing, (req, res) => res.json({ held: req.params.thingId }));
    const app = createApp({ logger, routes: [router] });
    expect((await request(app).post('/peer/things/t1/hold').set('dapr-caller-app-id', 'order')).body).toEqual({ held: 't1' });
    expect((await request(app).post('/peer/things/t1/hold').set('dapr-caller-app-id', 'web')).status).toBe(404);
    expect((await request(app).post('/peer/things/t1/hold')).status).toBe(404);
  });

  it('when a path is filled for a call, then each parameter is encoded and a missing one is a bug', () => {
    expect(pathOf(ops.holdThing, { thingId: 'a/b c' })).toBe('/peer/things/a%2Fb%20c/hold');
    expect(() => pathOf(ops.holdThing, {})).toThrow(/thingId is missing/);
  });

  it('when the registry is read, then it is one list: public and internal operations, ids unique, internal ones with callers and never routed publicly', () => {
    const ids = Operations.map((o) => o.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(InternalOperations.length).toBeGreaterThanOrEqual(16);
    for (const op of InternalOperations) {
      expect([op.operationId, op.path.startsWith('/internal/'), (op.callers ?? []).length > 0, op.callers?.includes('web')]).toEqual([op.operationId, true, true, false]);
    }
    expect(PublicOperations.filter((o) => o.internal || o.path.startsWith('/internal/'))).toEqual([]);
  });
});
