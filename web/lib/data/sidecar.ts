import 'server-only';
import { pathOf, Problem, successSchemaOf, type AnswerOf, type ApiOperation, type CallInput } from '@emporium/contracts';
import { config } from '../config';

/**
 * The one way pages reach the services: Dapr service invocation through web's
 * own sidecar, every answer checked against its contract. A signed-in
 * caller's token goes along; the services decide what it may see.
 */
/** The digest of a page's error when a service could not be reached: the error page says "busy" and tries again. */
export const UNAVAILABLE_DIGEST = 'EMPORIUM_UNAVAILABLE';

export class ServiceError extends Error {
  /** Next keeps an error's own digest for the error page (the message never reaches the browser). */
  readonly digest?: string;
  constructor(
    readonly appId: string,
    readonly status: number,
    /** the service's problem details, when it sent them: `errors` names each wrong field */
    readonly problem: Problem | null = null,
  ) {
    super(`${appId} answered ${status}`);
    if (this.unavailable) this.digest = `${UNAVAILABLE_DIGEST}:${appId}`;
  }

  /**
   * The service (or a peer of it, or a sidecar on the way) could not be reached or is
   * overloaded: a 503, or a 500 that is not the service's own problem+json (Dapr's
   * `ERR_DIRECT_INVOKE`) or no answer at all. Trying again in a moment may work.
   */
  get unavailable(): boolean {
    return this.status === 503 || this.status === 504 || (this.status === 500 && this.problem === null);
  }
}

/** What a page's call of `op` takes: the registry's input (path parameters, body), a query whose empty values are left out, the caller's token. */
export type PageCallInput<O extends ApiOperation> = Omit<CallInput<O>, 'query'> & {
  query?: Record<string, string | number | undefined>;
  token?: string | undefined;
};

/**
 * Calls an operation of the registry through web's sidecar: the app-id, the
 * method and the path come from the operation, the answer is checked against
 * its success schema (an answer outside the contract is a 502, the peer's
 * bug). No page names an app-id or a path by hand.
 */
export async function call<O extends ApiOperation>(op: O, input: PageCallInput<O>): Promise<AnswerOf<O>> {
  if (op.appId === '*') throw new Error(`${op.operationId} is served by every app: name one`);
  const { DAPR_HOST, DAPR_HTTP_PORT, DAPR_API_TOKEN, GATEWAY_TIMEOUT_MS } = config();
  const headers: Record<string, string> = { accept: 'application/json', ...input.headers };
  if (input.token) headers.authorization = `Bearer ${input.token}`;
  if (input.body !== undefined) headers['content-type'] = 'application/json';
  if (DAPR_API_TOKEN) headers['dapr-api-token'] = DAPR_API_TOKEN;
  const query = new URLSearchParams(Object.entries(input.query ?? {}).flatMap(([k, v]): [string, string][] => (v === undefined || v === '' ? [] : [[k, String(v)]]))).toString();
  const path = `${pathOf(op, input.params)}${query ? `?${query}` : ''}`;
  const res = await fetch(`http://${DAPR_HOST}:${DAPR_HTTP_PORT}/v1.0/invoke/${op.appId}/method${path}`, {
    method: op.method.toUpperCase(),
    headers,
    ...(input.body !== undefined ? { body: JSON.stringify(input.body) } : {}),
    signal: AbortSignal.timeout(GATEWAY_TIMEOUT_MS),
    cache: 'no-store',
  }).catch(() => {
    // web's own sidecar did not answer (restarting) or the call ran out of time
    throw new ServiceError(op.appId, 503);
  });
  if (!res.ok) throw new ServiceError(op.appId, res.status, Problem.safeParse(await res.json().catch(() => null)).data ?? null);
  const text = await res.text();
  const schema = successSchemaOf(op);
  if (!schema) return undefined as AnswerOf<O>;
  const parsed = schema.safeParse(text ? JSON.parse(text) : undefined);
  if (!parsed.success) throw new ServiceError(op.appId, 502, { type: 'about:blank', title: 'Bad Gateway', status: 502, code: 'contract_violation', detail: `${op.operationId} answered outside its contract` });
  return parsed.data as AnswerOf<O>;
}

/**
 * A thing that may not be there: null when the service answers that it is
 * not (404; 400 too for ids from a URL, which the service checks first).
 */
export async function orNull<T>(call: Promise<T>, missing: readonly number[] = [404, 400]): Promise<T | null> {
  try {
    return await call;
  } catch (err) {
    if (err instanceof ServiceError && missing.includes(err.status)) return null;
    throw err;
  }
}
