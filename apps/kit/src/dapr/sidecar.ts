import { pathOf, successSchemaOf, type AnswerOf, type ApiOperation, type CallInput } from '@emporium/contracts';
import { ConflictError, DomainError, NotFoundError, UnavailableError, ValidationError } from '../errors';
import { traceHeaders } from '../trace-context';
import { HttpRequestError, keepAliveAgent, sendHttp, type HttpAnswer } from '../http/client';

/** What `call` takes (the path's parameters, the query and the body, each only where the operation has them), and how it fills a path: contracts/ defines both, so web's client does the same. */
export { pathOf, type CallInput };

/** This service sent a body its own contract refuses, or a peer answered outside its contract: a bug, never the client's fault. */
export class ContractViolation extends Error {}

/**
 * A thin typed client of the sidecar's HTTP API (invocation, pub/sub, state,
 * actors). The @dapr/dapr HTTP client hides ETags on reads and folds status
 * codes into error strings, so the kit speaks the documented HTTP API itself;
 * workflows use @dapr/dapr over gRPC (workflows.ts).
 */
export interface SidecarOptions {
  host: string;
  httpPort: number;
  apiToken?: string | undefined;
  /** Per-call timeout; resiliency policies in components/ govern retries. */
  timeoutMs?: number;
}

/** A non-2xx answer from a peer, reached through the sidecar. */
export class InvocationError extends DomainError {
  readonly code = 'upstream_error';
  constructor(
    readonly appId: string,
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`${appId} answered ${status}`);
  }
}

export interface StateItem<T> {
  value: T;
  etag: string;
}

export class Sidecar {
  readonly baseUrl: string;
  private readonly agent;
  constructor(private readonly opts: SidecarOptions) {
    this.baseUrl = `http://${opts.host}:${opts.httpPort}`;
    this.agent = keepAliveAgent(this.baseUrl);
  }

  private headers(extra?: Record<string, string>): Record<string, string> {
    return {
      ...traceHeaders(),
      ...(this.opts.apiToken ? { 'dapr-api-token': this.opts.apiToken } : {}),
      ...extra,
    };
  }

  /** Raw call to the sidecar API; callers map statuses. */
  async request(method: string, path: string, body?: unknown, headers?: Record<string, string>, opts: { retryDropped?: boolean; timeoutMs?: number | undefined } = {}): Promise<HttpAnswer> {
    const send = () =>
      sendHttp(`${this.baseUrl}${path}`, {
        method,
        headers: this.headers({ ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers }),
        ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
        timeoutMs: opts.timeoutMs ?? this.opts.timeoutMs ?? 30_000,
        agent: this.agent,
      });
    try {
      return await send();
    } catch (first) {
      // a kept-alive connection the sidecar closed as the request went out: nothing was
      // answered, so an invocation (every operation of the registry is idempotent) goes once
      // more on a new connection
      if (!opts.retryDropped || !(first instanceof HttpRequestError && first.droppedReusedSocket)) throw new UnavailableError(`Dapr sidecar at ${this.baseUrl} did not answer: ${describe(first)}`);
      try {
        return await send();
      } catch (err) {
        throw new UnavailableError(`Dapr sidecar at ${this.baseUrl} did not answer: ${describe(err)}`);
      }
    }
  }

  /** True once the sidecar's components are loaded (independent of this app). */
  async outboundHealthy(): Promise<boolean> {
    try {
      const res = await sendHttp(`${this.baseUrl}/v1.0/healthz/outbound`, { method: 'GET', timeoutMs: 1_000, agent: this.agent });
      return res.status === 204;
    } catch {
      return false;
    }
  }

  /**
   * The sidecar's actor runtime as its metadata says (RUNNING, INITIALIZING, DISABLED, ERROR):
   * DISABLED when it was started without placement (dapr.yaml's placementHostAddress "").
   */
  async actorRuntimeStatus(): Promise<string | undefined> {
    return (await this.metadata())?.actorRuntime?.runtimeStatus;
  }

  /**
   * Whether the sidecar hosts this app's workflow actors (`dapr.internal.<namespace>.<app>.workflow`):
   * it registers them when the app's workflow worker opens its stream of work items.
   */
  async hostsWorkflows(): Promise<boolean> {
    const actors = (await this.metadata())?.actors ?? [];
    return actors.some((a) => /^dapr\.internal\..+\.workflow$/.test(a.type ?? ''));
  }

  private async metadata(): Promise<{ actorRuntime?: { runtimeStatus?: string }; actors?: { type?: string }[] } | undefined> {
    const res = await this.request('GET', '/v1.0/metadata', undefined, undefined, { timeoutMs: 2_000 });
    return res.ok ? (JSON.parse(res.text()) as { actorRuntime?: { runtimeStatus?: string }; actors?: { type?: string }[] }) : undefined;
  }

  /** Calls `method path` on another app; answers its JSON body or throws InvocationError. */
  async invoke<T = unknown>(
    appId: string,
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
    opts: { timeoutMs?: number | undefined } = {},
  ): Promise<T> {
    const res = await this.request(method, `/v1.0/invoke/${encodeURIComponent(appId)}/method/${path.replace(/^\//, '')}`, body, headers, { retryDropped: true, timeoutMs: opts.timeoutMs });
    const parsed = readBody(res);
    if (!res.ok) throw new InvocationError(appId, res.status, parsed);
    return parsed as T;
  }

  /**
   * Calls an operation of the registry on its app through the sidecar. The
   * body is checked against the operation's request schema before it leaves,
   * and the answer against its success schema on arrival; a non-2xx answer
   * throws InvocationError. `timeoutMs` bounds this call alone (an optional
   * peer asked on a shopper's path: better no answer soon than one late).
   */
  async call<O extends ApiOperation>(op: O, input: CallInput<O>, opts: { timeoutMs?: number } = {}): Promise<AnswerOf<O>> {
    if (op.appId === '*') throw new Error(`${op.operationId} is served by every app: name one`);
    let body: unknown = input.body;
    if (op.request) {
      const checked = op.request.safeParse(body ?? {});
      if (!checked.success) throw new ContractViolation(`${op.operationId}: the request does not match its contract: ${checked.error.message}`);
      body = input.body ?? {};
    }
    const query = input.query && Object.keys(input.query).length ? `?${new URLSearchParams(input.query).toString()}` : '';
    const path = `${pathOf(op, input.params)}${query}`;
    const answer = await this.invoke(op.appId, op.method.toUpperCase() as 'GET', path, body, input.headers, opts);
    const schema = successSchemaOf(op);
    if (!schema) return undefined as AnswerOf<O>;
    const parsed = schema.safeParse(answer);
    if (!parsed.success) throw new InvocationError(op.appId, 502, { code: 'contract_violation', detail: `${op.operationId} answered outside its contract: ${parsed.error.message}` });
    return parsed.data as AnswerOf<O>;
  }

  async publish(pubsub: string, topic: string, data: unknown, metadata: Record<string, string> = {}): Promise<void> {
    const query = new URLSearchParams(Object.entries(metadata).map(([k, v]): [string, string] => [`metadata.${k}`, v])).toString();
    const res = await this.request('POST', `/v1.0/publish/${pubsub}/${topic}${query ? `?${query}` : ''}`, data);
    if (res.status !== 204) throw new UnavailableError(`publish to ${topic} failed: ${res.status} ${res.text()}`);
  }

  /** Reads a key with its ETag; undefined when absent. */
  async getState<T>(store: string, key: string): Promise<StateItem<T> | undefined> {
    const res = await this.request('GET', `/v1.0/state/${store}/${encodeURIComponent(key)}`);
    if (res.status === 204) return undefined;
    if (!res.ok) throw new UnavailableError(`state get ${key} failed: ${res.status} ${res.text()}`);
    return { value: res.json() as T, etag: res.header('etag') ?? '' };
  }

  /**
   * Writes a key. With `etag`, the write succeeds only if the stored ETag still
   * matches (first-write-wins); otherwise ConflictError. For a key that must
   * not exist yet, createState. `ttlSeconds` lets the store drop the key after
   * that long without a write.
   */
  async saveState<T>(store: string, key: string, value: T, etag?: string, opts: { ttlSeconds?: number } = {}): Promise<void> {
    const item = {
      key,
      value,
      ...(etag ? { etag, options: { concurrency: 'first-write', consistency: 'strong' } } : {}),
      ...(opts.ttlSeconds ? { metadata: { ttlInSeconds: String(opts.ttlSeconds) } } : {}),
    };
    const res = await this.request('POST', `/v1.0/state/${store}`, [item]);
    if (res.status === 204) return;
    if (res.status === 409) throw new ConflictError(`state ${key} was changed by someone else (ETag mismatch)`);
    if (res.status === 400) throw new ValidationError([{ field: 'etag', code: 'invalid', message: res.text() }]);
    throw new UnavailableError(`state save ${key} failed: ${res.status} ${res.text()}`);
  }

  /**
   * Writes a key that must not exist yet (first-write concurrency without an
   * ETag: an insert for the PostgreSQL v2 and Redis stores every profile uses);
   * ConflictError when someone else wrote it first. `ttlSeconds` lets the
   * store drop it after that long without a write.
   */
  async createState<T>(store: string, key: string, value: T, ttlSeconds?: number): Promise<void> {
    const item = { key, value, options: { concurrency: 'first-write', consistency: 'strong' }, ...(ttlSeconds ? { metadata: { ttlInSeconds: String(ttlSeconds) } } : {}) };
    const res = await this.request('POST', `/v1.0/state/${store}`, [item]);
    if (res.status === 204) return;
    const text = res.text();
    // stores answer an existing key differently (409, or 500 "no item was updated"): look
    if (await this.getState(store, key)) throw new ConflictError(`state ${key} exists already`);
    throw new UnavailableError(`state create ${key} failed: ${res.status} ${text}`);
  }

  async deleteState(store: string, key: string, etag?: string): Promise<void> {
    const res = await this.request('DELETE', `/v1.0/state/${store}/${encodeURIComponent(key)}`, undefined, etag ? { 'If-Match': etag } : {});
    if (res.status === 204) return;
    if (res.status === 409) throw new ConflictError(`state ${key} was changed by someone else (ETag mismatch)`);
    throw new UnavailableError(`state delete ${key} failed: ${res.status} ${res.text()}`);
  }

  /** Calls an output binding (`create`, `get`, `delete`, …); answers the raw body. */
  async invokeBinding(name: string, operation: string, data: unknown, metadata: Record<string, string> = {}): Promise<Buffer> {
    const res = await this.request('POST', `/v1.0/bindings/${name}`, { data, metadata, operation });
    const body = res.body;
    if (res.status === 404 || (res.status === 500 && /no such file|not found/i.test(body.toString('utf8')))) throw new NotFoundError(`${name}: not found`);
    if (!res.ok) throw new UnavailableError(`binding ${name} ${operation} failed: ${res.status} ${body.toString('utf8')}`);
    return body;
  }

  /**
   * Reads one value of a secret from a secret store component; undefined when
   * the store does not have it. A local file store answers {name: value}; a
   * Kubernetes Secret answers all its keys, so `key` picks one (default: name).
   */
  async getSecret(store: string, name: string, key = name): Promise<string | undefined> {
    const res = await this.request('GET', `/v1.0/secrets/${store}/${encodeURIComponent(name)}`);
    if (res.status === 204 || res.status === 404) return undefined;
    if (!res.ok) throw new UnavailableError(`secret ${name} not readable: ${res.status} ${res.text()}`);
    const body = res.json() as Record<string, string>;
    return body[key];
  }

  /** Calls a method on an actor; the sidecar activates it and keeps calls to one id turn by turn. */
  async invokeActor<T = unknown>(actorType: string, actorId: string, method: string, body?: unknown): Promise<T> {
    const res = await this.request('PUT', `/v1.0/actors/${actorType}/${encodeURIComponent(actorId)}/method/${method}`, body ?? {});
    const parsed = readBody(res);
    if (res.status === 404) throw new NotFoundError(`actor ${actorType}/${actorId} has no method ${method}`);
    if (!res.ok) throw new InvocationError(`${actorType}/${actorId}`, res.status, parsed);
    return parsed as T;
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function readBody(res: HttpAnswer): unknown {
  const text = res.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
