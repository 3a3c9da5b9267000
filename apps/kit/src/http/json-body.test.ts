import express from 'express';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { z } from 'zod';
import { createApp } from './create-app';
import { parseWith } from './validate';
import { Metrics } from './metrics';
import { createLogger } from '../logger';
import { requestHash } from '../idempotency/idempotency';
import { checkValue, defaultInputLimits, depthExceededAt } from './json-body';

const logger = createLogger({ service: 'test', level: 'silent' });
const Body = z.object({ name: z.string().max(50_000), tags: z.array(z.string()).max(5_000).optional(), n: z.number().optional() }).strict();

function app(metrics?: Metrics) {
  const router = express.Router();
  let writes = 0;
  router.post('/things', (req, res) => {
    // a hash over the whole body, as the idempotency guard takes one
    requestHash('POST', '/things', req.body);
    writes++;
    res.status(201).json(parseWith(Body, req.body));
  });
  router.post('/writes-empty', (_req, res) => {
    res.status(204).end();
  });
  router.get('/writes', (_req, res) => {
    res.json({ writes });
  });
  return createApp({ logger, routes: [router], ...(metrics ? { metrics } : {}) });
}

const nested = (levels: number) => `{"a":${'['.repeat(levels)}${']'.repeat(levels)}}`;

describe('bounded input', () => {
  it('when a body is nested 5,000 arrays deep, then 400 names the depth limit and no route runs', async () => {
    const a = app();
    const res = await request(a).post('/things').set('content-type', 'application/json').send(nested(5_000));
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'input_limit_exceeded', limit: { name: 'depth', max: defaultInputLimits.depth } });
    expect((await request(a).get('/writes')).body.writes).toBe(0);
  });

  it('when a body is nested exactly to the limit, then it is read', () => {
    expect(depthExceededAt(nested(defaultInputLimits.depth - 1), defaultInputLimits.depth)).toBe(-1);
    expect(depthExceededAt(nested(defaultInputLimits.depth), defaultInputLimits.depth)).toBeGreaterThan(0);
    // brackets inside strings are text, not nesting
    expect(depthExceededAt(JSON.stringify({ s: '['.repeat(100) + '\\"[[[' }), 2)).toBe(-1);
  });

  it('when a body is larger than the limit, then 413 names bodyBytes', async () => {
    const res = await request(app()).post('/things').set('content-type', 'application/json').send(JSON.stringify({ name: 'x'.repeat(defaultInputLimits.bodyBytes) }));
    expect(res.status).toBe(413);
    expect(res.body.limit).toEqual({ name: 'bodyBytes', max: defaultInputLimits.bodyBytes });
  });

  it('when one string or one array is over its limit, then 400 names the field and the limit', async () => {
    const long = await request(app()).post('/things').send({ name: 'x'.repeat(defaultInputLimits.stringLength + 1) });
    expect(long.status).toBe(400);
    expect(long.body).toMatchObject({ limit: { name: 'stringLength' }, errors: [{ field: 'name', code: 'too_large' }] });
    const many = await request(app()).post('/things').send({ name: 'a', tags: Array.from({ length: defaultInputLimits.arrayLength + 1 }, () => 't') });
    expect(many.status).toBe(400);
    expect(many.body).toMatchObject({ limit: { name: 'arrayLength' }, errors: [{ field: 'tags' }] });
    const keys = Object.fromEntries(Array.from({ length: defaultInputLimits.objectKeys + 1 }, (_, i) => [`k${i}`, i]));
    expect((await request(app()).post('/things').send({ name: 'a', n: 1, extra: keys })).body.limit.name).toBe('objectKeys');
  });

  it('when a number can only be read as infinity, then 400 names it', async () => {
    const res = await request(app()).post('/things').set('content-type', 'application/json').send('{"name":"a","n":1e400}');
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'n', code: 'number_out_of_range' })]);
  });

  it('when the bytes are not UTF-8, then 400 and not a body with replacement characters', async () => {
    const bytes = Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"}')]);
    // superagent would turn a Buffer into JSON of its own: send the bytes as they are
    const res = await request(app()).post('/things').set('content-type', 'application/json').serialize(() => bytes as unknown as string).send({});
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'malformed_json', errors: [{ code: 'invalid_utf8' }] });
  });

  it('when a body comes in another media type, then 415; JSON types with +json are read', async () => {
    const form = await request(app()).post('/things').set('content-type', 'application/x-www-form-urlencoded').send('name=a');
    expect([form.status, form.body.code]).toEqual([415, 'unsupported_media_type']);
    const text = await request(app()).post('/things').set('content-type', 'text/plain').send('{"name":"a"}');
    expect(text.status).toBe(415);
    const ce = await request(app()).post('/things').set('content-type', 'application/merge-patch+json').send('{"name":"a"}');
    expect(ce.status).toBe(201);
  });

  it('when a POST carries no payload but a text type and chunked encoding (as Dapr sends one), then it is no body, not a 415', async () => {
    const server = app().listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const { port } = server.address() as AddressInfo;
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, method: 'POST', path: '/writes-empty', headers: { 'content-type': 'text/plain; charset=utf-8', 'transfer-encoding': 'chunked' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    server.close();
    expect(status).toBe(204);
  });

  it('when the JSON is not an object (null, an array, a string), then 400 names the body, even for a route that reads `req.body ?? {}`', async () => {
    for (const text of ['null', '[]', '"x"', '12']) {
      const res = await request(app()).post('/writes-empty').set('content-type', 'application/json').send(text);
      expect([text, res.status, res.body.errors?.[0]?.code]).toEqual([text, 400, 'not_an_object']);
    }
  });

  it('when bodies are refused, then /metrics counts them by limit', async () => {
    const metrics = new Metrics('test');
    const a = app(metrics);
    await request(a).post('/things').set('content-type', 'application/json').send(nested(100));
    await request(a).post('/things').set('content-type', 'application/json').send(nested(100));
    const text = (await request(a).get('/metrics')).text;
    expect(text).toMatch(/http_server_input_refusals_total\{limit="depth",service="test"\} 2/);
  });

  it('when two bodies differ only in key order, then they hash the same; any other difference hashes differently', () => {
    const a = requestHash('POST', '/x', { b: [1, { d: 'x', c: null }], a: true });
    expect(requestHash('POST', '/x', { a: true, b: [1, { c: null, d: 'x' }] })).toBe(a);
    expect(requestHash('POST', '/x', { a: true, b: [{ c: null, d: 'x' }, 1] })).not.toBe(a);
    expect(requestHash('POST', '/x', { a: true, b: [1, { c: null, d: 'y' }] })).not.toBe(a);
    expect(requestHash('POST', '/y', { a: true, b: [1, { c: null, d: 'x' }] })).not.toBe(a);
    // a key that holds a comma or colon cannot be confused with structure
    expect(requestHash('POST', '/x', { 'a,b': 1 })).not.toBe(requestHash('POST', '/x', { a: 1, b: 1 }));
  });

  it('when a value is deeper than any stack, then hashing and checking it still finish', () => {
    let deep: unknown = [];
    for (let i = 0; i < 200_000; i++) deep = [deep];
    expect(requestHash('POST', '/x', deep)).toMatch(/^[0-9a-f]{64}$/);
    expect(() => checkValue(deep, { ...defaultInputLimits, arrayLength: 10 })).not.toThrow();
  });
});
