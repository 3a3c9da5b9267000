import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpRequestError, keepAliveAgent, sendHttp } from './client';

describe('sendHttp', () => {
  let server: Server;
  let base: string;
  const served = new WeakSet<object>();
  const seen: { method: string; body: string; headers: Record<string, unknown> }[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen.push({ method: req.method!, body: Buffer.concat(chunks).toString(), headers: req.headers });
        if (req.url === '/slow') return void setTimeout(() => res.end('late'), 500);
        if (req.url === '/hangup') return void req.socket.destroy();
        if (req.url === '/hangup-second') {
          // the second request on a kept-alive connection: closed under it, unanswered
          if (served.has(req.socket)) return void req.socket.destroy();
          served.add(req.socket);
        }
        res.writeHead(req.url === '/missing' ? 404 : 200, { 'content-type': 'application/json', etag: '"7"' });
        res.end(JSON.stringify({ got: Buffer.concat(chunks).toString() }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((r) => server.close(r)));

  it('when it sends a body, then the server gets it whole with its length, and the answer carries status, headers and body', async () => {
    const agent = keepAliveAgent(base);
    const body = JSON.stringify({ name: '青瓷壶', n: 1 });
    const res = await sendHttp(`${base}/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body, timeoutMs: 2000, agent });
    expect(res.status).toBe(200);
    expect(res.ok).toBe(true);
    expect(res.header('ETag')).toBe('"7"');
    expect(res.json()).toEqual({ got: body });
    expect(seen.at(-1)!.headers['content-length']).toBe(String(Buffer.byteLength(body)));
    const missing = await sendHttp(`${base}/missing`, { method: 'GET', timeoutMs: 2000, agent });
    expect([missing.status, missing.ok]).toEqual([404, false]);
    agent.destroy();
  });

  it('when the answer does not come in time, then it fails with code timeout', async () => {
    await expect(sendHttp(`${base}/slow`, { method: 'GET', timeoutMs: 100 })).rejects.toMatchObject({ code: 'timeout', droppedReusedSocket: false });
  });

  it('when nobody listens, then it fails with the socket code and is not taken for a dropped connection', async () => {
    const err = await sendHttp('http://127.0.0.1:1/', { method: 'GET', timeoutMs: 2000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpRequestError);
    expect(err).toMatchObject({ code: 'ECONNREFUSED', droppedReusedSocket: false });
  });

  it('when the server hangs up on a fresh connection, then it fails, and only a kept-alive connection counts as dropped', async () => {
    const err = await sendHttp(`${base}/hangup`, { method: 'GET', timeoutMs: 2000 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'ECONNRESET', droppedReusedSocket: false });
  });

  it('when a kept-alive connection is closed under a request, then the failure says it was dropped, so the caller may send it again', async () => {
    const agent = keepAliveAgent(base);
    expect((await sendHttp(`${base}/hangup-second`, { method: 'GET', timeoutMs: 2000, agent })).status).toBe(200);
    const err = await sendHttp(`${base}/hangup-second`, { method: 'GET', timeoutMs: 2000, agent }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'ECONNRESET', droppedReusedSocket: true });
    agent.destroy();
  });
});
