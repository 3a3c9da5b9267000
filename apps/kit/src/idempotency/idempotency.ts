import { createHash } from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import type { Database } from '../db/database';
import type { Logger } from '../logger';
import { IdempotencyInProgressError, IdempotencyKeyReusedError, ValidationError } from '../errors';
import { NOT_STORED, isTransient } from '../transient';

export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
const KEY = /^[\x21-\x7e]{1,200}$/;

export interface IdempotencyOptions {
  db: Database;
  logger: Logger;
  /** Who the key belongs to (user id from the token); keys of two callers never collide. */
  caller?: (req: Parameters<RequestHandler>[0]) => string;
  /**
   * How long a key stays held by a request that stopped renewing it (its
   * process died mid-flight) before a retry may take it over; a live request
   * renews it every third of this. Default: the service's IDEMPOTENCY_LEASE_MS.
   */
  leaseMs?: number;
  /** Without a key the request is refused (default), or runs without the guarantee. */
  required?: boolean;
}

let defaultLeaseMs = 10_000;
/** No request holds a key longer than this, answered or not. */
const MAX_HOLD_MS = 10 * 60_000;
/** The lease of every idempotent route of this process that names none (the service's IDEMPOTENCY_LEASE_MS). */
export function configureIdempotency(o: { leaseMs: number }): void {
  defaultLeaseMs = o.leaseMs;
}

/** The request's Idempotency-Key, checked; for writes that keep their own record of keys instead of the stored answers. */
export function idempotencyKeyOf(req: Parameters<RequestHandler>[0]): string {
  const key = req.get(IDEMPOTENCY_HEADER);
  if (!key || !KEY.test(key)) {
    throw new ValidationError([
      { field: IDEMPOTENCY_HEADER, code: key ? 'invalid' : 'required', message: `the ${IDEMPOTENCY_HEADER} header (1-200 visible ASCII characters) is required` },
    ]);
  }
  return key;
}

/**
 * A UUID named by its parts (RFC 9562 version 5 layout over SHA-1): the same
 * caller and key always name the same record, so a write retried after a
 * crash finds what the first attempt created.
 */
export function uuidFromKey(...parts: string[]): string {
  const h = createHash('sha1').update(parts.join('\u0000')).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

/**
 * The request's fingerprint: method, path and the body in canonical form
 * (object keys sorted), so the same JSON sent with its keys in another order
 * is the same request. Written without recursion: however deep a body is,
 * hashing it cannot overflow the stack.
 */
export function requestHash(method: string, path: string, body: unknown): string {
  const hash = createHash('sha256').update(`${method} ${path}\n`);
  // a stack of what is left to write: values, and the punctuation between them
  const todo: ({ value: unknown } | { text: string })[] = [{ value: body ?? null }];
  while (todo.length) {
    const next = todo.pop()!;
    if ('text' in next) {
      hash.update(next.text);
      continue;
    }
    const v = next.value;
    if (Array.isArray(v)) {
      hash.update('[');
      todo.push({ text: ']' });
      for (let i = v.length - 1; i >= 0; i--) {
        todo.push({ value: v[i] });
        if (i > 0) todo.push({ text: ',' });
      }
    } else if (v !== null && typeof v === 'object') {
      const keys = Object.keys(v).filter((k) => (v as Record<string, unknown>)[k] !== undefined).sort();
      hash.update('{');
      todo.push({ text: '}' });
      for (let i = keys.length - 1; i >= 0; i--) {
        todo.push({ value: (v as Record<string, unknown>)[keys[i]!] });
        todo.push({ text: `${i > 0 ? ',' : ''}${JSON.stringify(keys[i])}:` });
      }
    } else {
      hash.update(v === undefined ? 'null' : JSON.stringify(v)); // an array hole is null in JSON
    }
  }
  return hash.digest('hex');
}

/**
 * Makes a write safe to retry. The first request with a key runs; its answer
 * (any status below 500) is stored in the service's own database. The same
 * key with the same method, path and body answers the stored answer again
 * (`Idempotent-Replayed: true`); with another body it is refused with 422.
 * A 5xx answer is not stored, so the client's retry runs the write again; nor
 * is a 409 for a write another request made at the same moment (problem.ts).
 * While the first runs, the same request again is refused with 409
 * `idempotency_in_progress`: the running one renews its hold on the key (a
 * lease), so two live requests never both run; a key whose holder died
 * (nobody renews it) is taken over by the retry once the lease runs out.
 */
export function idempotent(opts: IdempotencyOptions): RequestHandler {
  const { db } = opts;
  return async (req, res, next) => {
    const leaseMs = opts.leaseMs ?? defaultLeaseMs;
    if (req.get(IDEMPOTENCY_HEADER) === undefined && opts.required === false) {
      next();
      return;
    }
    const key = idempotencyKeyOf(req);
    const caller = opts.caller?.(req) ?? '';
    const hash = requestHash(req.method, req.originalUrl, req.body);
    const claimed = await db.query(`INSERT INTO idempotency_keys (key, caller, request_hash) VALUES (:key, :caller, :hash)
       ON CONFLICT (caller, key) DO UPDATE SET request_hash = EXCLUDED.request_hash, created_at = now(), heartbeat_at = now()
         WHERE idempotency_keys.status IS NULL AND idempotency_keys.request_hash = EXCLUDED.request_hash
           AND idempotency_keys.heartbeat_at < clock_timestamp() - make_interval(secs => :lease)
       RETURNING key`, { key, caller, hash, lease: leaseMs / 1000 });
    if (claimed.length === 0) {
      const [row] = await db.query<{ request_hash: string; status: number | null; content_type: string | null; body: string | null }>('SELECT request_hash, status, content_type, body FROM idempotency_keys WHERE caller = :caller AND key = :key', { key, caller });
      if (!row) throw new IdempotencyInProgressError('The request with this Idempotency-Key is being retried; try again');
      if (row.request_hash !== hash) {
        throw new IdempotencyKeyReusedError(`This ${IDEMPOTENCY_HEADER} was used for a different request`);
      }
      if (row.status === null) throw new IdempotencyInProgressError('A request with this Idempotency-Key is still being processed');
      res.status(row.status).set('Idempotent-Replayed', 'true');
      if (row.content_type) res.type(row.content_type);
      res.send(row.body ?? '');
      return;
    }
    // held while this request runs, renewed every third of the lease until its answer is stored: a client
    // that went away does not end it (the handler still runs), only the answer does (or, for a handler
    // that never answers, the cap)
    const started = Date.now();
    const renew = setInterval(() => {
      if (Date.now() - started > MAX_HOLD_MS) {
        clearInterval(renew);
        return;
      }
      db.query('UPDATE idempotency_keys SET heartbeat_at = clock_timestamp() WHERE caller = :caller AND key = :key AND status IS NULL', { key, caller }).catch((err: unknown) =>
        opts.logger.warn({ err }, 'an Idempotency-Key lease was not renewed; a retry may take the key over once it runs out'),
      );
    }, leaseMs / 3);
    renew.unref();
    captureAnswer(res, opts.logger, async (status, contentType, body) => {
      clearInterval(renew);
      if (status >= 500 || res.locals[NOT_STORED] === true) {
        await db.query('DELETE FROM idempotency_keys WHERE caller = :caller AND key = :key AND status IS NULL', { key, caller });
      } else {
        await db.query(`UPDATE idempotency_keys SET status = :status, content_type = :contentType, body = :body, completed_at = now()
           WHERE caller = :caller AND key = :key`, { key, caller, status, contentType, body });
      }
    });
    next();
  };
}

/**
 * Records the answer before it leaves, so a client that sees the response can
 * rely on a retry replaying it.
 */
function captureAnswer(res: Response, logger: Logger, store: (status: number, contentType: string | null, body: string) => Promise<void>): void {
  const send = res.send.bind(res);
  let done = false;
  res.send = ((body?: unknown) => {
    if (done) return send(body);
    done = true;
    const text = body === undefined ? '' : Buffer.isBuffer(body) ? body.toString('utf8') : typeof body === 'string' ? body : JSON.stringify(body);
    const contentType = (res.get('Content-Type')) ?? (typeof body === 'object' && !Buffer.isBuffer(body) ? 'application/json' : null);
    store(res.statusCode, contentType, text).then(
      () => send(body as never),
      (err: unknown) => {
        // the database went away under the answer: the client is told to send the same request again
        // (its key's lease runs out, then the retry finds what this one did), never a bare 500
        if (isTransient(err)) {
          logger.warn({ err }, 'idempotency record not stored: the database could not be reached');
          res.status(503).type('application/problem+json').set('Retry-After', '2');
          send(JSON.stringify({ type: 'https://emporium.dev/problems/unavailable', title: 'Service Unavailable', status: 503, code: 'unavailable', detail: 'the service cannot reach its database just now: send the same request again shortly' }));
          return;
        }
        logger.error({ err }, 'idempotency record not stored');
        res.status(500).type('application/problem+json');
        send(JSON.stringify({ type: 'https://emporium.dev/problems/internal', title: 'Internal Server Error', status: 500, code: 'internal' }));
      },
    );
    return res;
  }) as Response['send'];
}
