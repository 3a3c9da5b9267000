import express from 'express';
import request from 'supertest';
import { z } from 'zod';
import { Operations, type ApiOperation } from '@emporium/contracts';
import { createApp, createLogger, ForbiddenError, parseWith } from '@emporium/kit';
import { fillPath, probeHostileBodies, probeTenancy, tenantOperations, validBodyOf, type Send } from './hostile-requests';

const logger = createLogger({ service: 'test', level: 'silent' });

// a small registry of its own: one guarded write, one route that trusts its body, one that leaks across shops
const NoteRequest = z.object({ title: z.string().min(1).max(100), pages: z.number().int().min(1).max(500), tags: z.array(z.string().max(20)).max(10).optional() }).strict();
const ops = {
  guarded: { operationId: 'guardedNote', method: 'post', path: '/shops/:shopId/notes', appId: 'catalog', summary: 'a note', request: NoteRequest, responses: { 201: { description: 'made' } } },
  trusting: { operationId: 'trustingNote', method: 'post', path: '/shops/:shopId/trusting-notes', appId: 'catalog', summary: 'a note', request: NoteRequest, responses: { 201: { description: 'made' } } },
  crashing: { operationId: 'crashingNote', method: 'post', path: '/shops/:shopId/crashing-notes', appId: 'catalog', summary: 'a note', request: NoteRequest, responses: { 201: { description: 'made' } } },
  leaking: { operationId: 'leakingNotes', method: 'get', path: '/shops/:shopId/leaking-notes', appId: 'catalog', summary: 'notes', responses: { 200: { description: 'notes' } } },
} satisfies Record<string, ApiOperation>;

function app() {
  const router = express.Router();
  const ownShop = (req: express.Request) => {
    if (req.get('x-shop') !== req.params.shopId) throw new ForbiddenError('not your shop');
  };
  router.post('/shops/:shopId/notes', (req, res) => {
    const note = parseWith(NoteRequest, req.body);
    ownShop(req);
    res.status(201).json(note);
  });
  // takes whatever arrives, as a route without its contract would
  router.post('/shops/:shopId/trusting-notes', (req, res) => {
    ownShop(req);
    res.status(201).json({ saved: req.body as unknown });
  });
  // reads a field as if the type were sure
  router.post('/shops/:shopId/crashing-notes', (req, res) => {
    ownShop(req);
    res.status(201).json({ title: (req.body as { title: string }).title.toUpperCase() });
  });
  router.get('/shops/:shopId/leaking-notes', (_req, res) => {
    res.json({ items: ['the other shop’s secret'] });
  });
  return createApp({ logger, routes: [router] });
}

const sendAs =
  (shop: string): Send =>
  async (method, path, body) => {
    let r = request(app())[method.toLowerCase() as 'post'](path).set('x-shop', shop);
    if (body) r = r.set('content-type', body.contentType).serialize(() => body.bytes as unknown as string).send({});
    return (await r).status;
  };

describe('the generated hostile-input and tenancy tests, tested', () => {
  it('when every operation of the platform is sampled, then each sample passes its own schema', () => {
    for (const op of Operations.filter((o) => o.request)) expect(() => validBodyOf(op)).not.toThrow();
  });

  it('when a route reads its body through its contract, then no hostile body gets a 2xx or a 5xx', async () => {
    expect(await probeHostileBodies(ops.guarded, '/shops/s1/notes', sendAs('s1'))).toEqual([]);
  });

  it('when a route takes its body unchecked, then the hostile-input test reports it', async () => {
    const findings = await probeHostileBodies(ops.trusting, '/shops/s1/trusting-notes', sendAs('s1'));
    expect(findings.map((f) => f.case)).toEqual(expect.arrayContaining(['unknown field', 'title of the wrong type', 'pages of the wrong type']));
    expect(findings.every((f) => f.status === 201)).toBe(true);
    // what the kit bounds before any route never reaches even a trusting one
    for (const bounded of ['nested 5,000 deep', 'title as a 100,000-character string', 'pages as 1e400', 'invalid UTF-8', 'form-encoded', 'top-level array', 'top-level null']) {
      expect(findings.map((f) => f.case)).not.toContain(bounded);
    }
  });

  it('when a route trusts the type of a field, then its 500s are reported', async () => {
    const findings = await probeHostileBodies(ops.crashing, '/shops/s1/crashing-notes', sendAs('s1'));
    expect(findings).toEqual(expect.arrayContaining([{ operation: 'crashingNote', case: 'title of the wrong type', status: 500 }]));
  });

  it('when a route checks the caller owns the shop, then another shop gets no 2xx; when it does not, then the tenancy test reports it', async () => {
    expect(tenantOperations(Object.values(ops)).map((o) => o.operationId)).toEqual(['guardedNote', 'trustingNote', 'crashingNote', 'leakingNotes']);
    const other = sendAs('s2');
    expect(await probeTenancy(ops.guarded, fillPath(ops.guarded.path, { shopId: 's1' }), other, 'another merchant')).toEqual([]);
    expect(await probeTenancy(ops.leaking, fillPath(ops.leaking.path, { shopId: 's1' }), other, 'another merchant')).toEqual([{ operation: 'leakingNotes', case: 'as another merchant', status: 200 }]);
  });
});
