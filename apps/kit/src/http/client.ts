import { Agent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { Agent as TlsAgent, request as httpsRequest } from 'node:https';

/**
 * The HTTP client of every service (to its sidecar, to outside parties):
 * node:http with keep-alive, the whole answer read into memory.
 *
 * Not `fetch`: on Node 20 the first fetch loads undici and compiles its
 * WebAssembly parser, about 16 MiB more per process than node:http for the
 * same calls (measured in bench/memory), and node:http is the cheaper hop.
 */
export interface HttpAnswer {
  readonly status: number;
  readonly ok: boolean;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  header(name: string): string | undefined;
  text(): string;
  json(): unknown;
}

export interface HttpRequestOptions {
  method: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** The whole exchange, from sending to the last byte of the answer. */
  timeoutMs: number;
  agent?: Agent;
}

/** A request that got no answer: `code` is the socket's (ECONNREFUSED, ECONNRESET, …) or `timeout`. */
export class HttpRequestError extends Error {
  constructor(
    message: string,
    readonly code: string,
    /** True when it went out on a kept-alive connection that the other side had closed: nothing was answered, so it may go again. */
    readonly droppedReusedSocket: boolean,
  ) {
    super(message);
  }
}

const DROPPED = new Set(['ECONNRESET', 'EPIPE']);

class Answer implements HttpAnswer {
  constructor(
    readonly status: number,
    readonly headers: IncomingHttpHeaders,
    readonly body: Buffer,
  ) {}
  get ok() {
    return this.status >= 200 && this.status < 300;
  }
  header(name: string) {
    const v = this.headers[name.toLowerCase()];
    return Array.isArray(v) ? v.join(', ') : v;
  }
  text() {
    return this.body.toString('utf8');
  }
  json(): unknown {
    return JSON.parse(this.text());
  }
}

/** A keep-alive agent for `baseUrl`'s scheme; idle connections close after `idleMs`, before the server's own idle timeout would. */
export function keepAliveAgent(baseUrl: string, idleMs = 4_000): Agent {
  const opts = { keepAlive: true, timeout: idleMs, scheduling: 'lifo' as const };
  return baseUrl.startsWith('https:') ? new TlsAgent(opts) : new Agent(opts);
}

export function sendHttp(url: string, opts: HttpRequestOptions): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const body = opts.body === undefined ? undefined : Buffer.isBuffer(opts.body) ? opts.body : Buffer.from(opts.body);
    const headers: Record<string, string | number> = { ...opts.headers };
    if (body) headers['content-length'] = body.length;
    let settled = false;
    const fail = (err: Error & { code?: string }, reused: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      const code = err.code ?? 'error';
      reject(new HttpRequestError(`${opts.method} ${url}: ${err.message}`, code, reused && DROPPED.has(code)));
    };
    const req = (url.startsWith('https:') ? httpsRequest : httpRequest)(url, { method: opts.method, headers, ...(opts.agent ? { agent: opts.agent } : {}) }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', (err) => fail(err, false));
      res.on('end', () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(new Answer(res.statusCode ?? 0, res.headers, Buffer.concat(chunks)));
      });
    });
    const timer = setTimeout(() => {
      fail(Object.assign(new Error(`no answer within ${opts.timeoutMs} ms`), { code: 'timeout' }), false);
      req.destroy();
    }, opts.timeoutMs);
    req.on('error', (err) => fail(err, req.reusedSocket));
    req.end(body);
  });
}
