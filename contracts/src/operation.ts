import type { z } from 'zod';
import { AppIds, type AppId } from './names';

/** One HTTP operation of a service, described for OpenAPI. */
export interface ApiOperation {
  readonly operationId: string;
  readonly method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** Express-style path, `/products/:id`. */
  readonly path: string;
  /** Service that serves it; `'*'` for operations every service has. */
  readonly appId: AppId | '*';
  readonly summary: string;
  readonly request?: z.ZodType;
  /**
   * A body `request` accepts, where the schema's refinements are more than
   * its JSON Schema says (an amount's range). The OpenAPI document shows it;
   * the generated hostile-input and tenancy tests start from it.
   */
  readonly example?: unknown;
  /** Answers by status code. */
  readonly responses: Readonly<Record<number, { description: string; schema?: z.ZodType }>>;
  /** The operation takes an `Idempotency-Key` header. */
  readonly idempotent?: boolean;
  /**
   * Who may call it: `'anyone'`, signed in or not (browsing, sign-in, guest
   * carts, the provider's webhook); otherwise a signed-in caller whom the
   * service checks further (role, shop, company, owner). The generated
   * tenancy test leaves `'anyone'` operations out.
   */
  readonly access?: 'anyone';
  /**
   * A service-to-service operation: the gateway never routes it, and only
   * `callers` reach it.
   */
  readonly internal?: true;
  /**
   * App-ids whose sidecars may call it. Public operations are called by web
   * (the gateway and its pages) and by the services listed here; internal
   * operations by exactly these. The access-control policies allow each
   * app-id exactly the operations that name it.
   */
  readonly callers?: readonly AppId[];
}

/** Keeps each operation's literal path, schemas and callers in its type, so `call` and `serve` are typed by it. */
export function defineOperations<const T extends Record<string, ApiOperation>>(ops: T): T {
  return ops;
}

/** `{ orderId: string }` for `/internal/reservations/:orderId/confirm`. */
export type PathParams<P extends string> = P extends `${string}:${infer Name}/${infer Rest}`
  ? { [K in Name]: string } & PathParams<`/${Rest}`>
  : P extends `${string}:${infer Name}`
    ? { [K in Name]: string }
    : Record<never, never>;

type SuccessSchema<R> = R extends { 200: { schema: infer S } } ? S : R extends { 201: { schema: infer S } } ? S : R extends { 202: { schema: infer S } } ? S : undefined;

/** What a caller sends: the request schema's input. */
export type RequestOf<O extends ApiOperation> = O['request'] extends z.ZodType ? z.input<O['request']> : undefined;
/** What a caller gets back on success: the first 2xx answer's schema, parsed. */
export type AnswerOf<O extends ApiOperation> = SuccessSchema<O['responses']> extends z.ZodType ? z.output<SuccessSchema<O['responses']>> : undefined;

/** What a typed call of `op` takes: its path parameters and its body when it has them, a query, extra headers. */
export type CallInput<O extends ApiOperation> = (keyof PathParams<O['path']> extends never ? { params?: undefined } : { params: PathParams<O['path']> }) &
  (RequestOf<O> extends undefined ? { body?: undefined } : { body: RequestOf<O> }) & {
    query?: Record<string, string>;
    headers?: Record<string, string>;
  };

/** The path of `op` with its parameters filled in, each encoded. */
export function pathOf(op: ApiOperation, params: Record<string, string> = {}): string {
  return op.path.replace(/:([A-Za-z0-9_]+)/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`${op.operationId}: path parameter ${name} is missing`);
    return encodeURIComponent(value);
  });
}

/** The schema of the first 2xx answer, the one `call` checks an answer against. */
export function successSchemaOf(op: ApiOperation): z.ZodType | undefined {
  for (const status of [200, 201, 202, 204]) {
    const answer = op.responses[status];
    if (answer) return answer.schema;
  }
  return undefined;
}

/** The app-ids whose sidecars may call `op`. */
export function callersOf(op: ApiOperation): readonly AppId[] {
  if (op.internal) return op.callers ?? [];
  return [AppIds.web, ...(op.callers ?? [])];
}


/** One rule of a Dapr access-control policy: an operation name (a `*` per path parameter) and its verbs. */
export interface AccessRule {
  name: string;
  httpVerb: string[];
  action: 'allow';
}

/** The `spec.accessControl` of one app's Dapr Configuration (Dapr's field names). */
export interface AccessControl {
  defaultAction: 'deny';
  trustDomain: string;
  policies: { appId: AppId; defaultAction: 'deny'; trustDomain: string; namespace: string; operations: AccessRule[] }[];
}

/**
 * An operation's name as Dapr's access-control trie matches it: lower-case,
 * a path parameter at the end as `*` (one segment) and one in the middle as
 * `**` (Dapr's trie skips a lone `*` that is not the last segment).
 */
export function aclName(path: string): string {
  const segments = path.toLowerCase().split('/');
  return segments.map((s, i) => (s.startsWith(':') ? (i === segments.length - 1 ? '*' : '**') : s)).join('/');
}

/** Literal segments sort before `*` and `**`: Dapr's trie takes the first node that matches, in the order the rules came. */
const byAclOrder = (a: string, b: string) => {
  const key = (s: string) => s.replace(/\*/g, '\uffff');
  return key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;
};

/**
 * The access-control policies of `appId`'s sidecar, generated from the
 * registry: deny by default; each caller is allowed exactly the operations
 * of `appId` that name it (web every public one).
 */
export function accessControlOf(appId: AppId, operations: readonly ApiOperation[], opts: { namespace: string; trustDomain?: string }): AccessControl {
  const trustDomain = opts.trustDomain ?? 'public';
  const byCaller = new Map<AppId, Map<string, Set<string>>>();
  for (const op of operations) {
    if (op.appId !== appId) continue;
    const name = aclName(op.path);
    for (const caller of callersOf(op)) {
      const rules = byCaller.get(caller) ?? new Map<string, Set<string>>();
      rules.set(name, (rules.get(name) ?? new Set()).add(op.method.toUpperCase()));
      byCaller.set(caller, rules);
    }
  }
  // Dapr's trie answers a path with the first rule on the way down that has
  // verbs: a name ending in a literal segment shadows every deeper name of the
  // same caller, so it carries their verbs too (deeper paths the app does not
  // serve stay 404; access-control.test.ts checks no caller gains an operation)
  for (const rules of byCaller.values()) {
    for (const [name, verbs] of rules) {
      if (name.endsWith('/*')) continue; // the trie passes a `*` node on its way deeper
      for (const [deeper, more] of rules) if (deeper.startsWith(`${name}/`)) more.forEach((v) => verbs.add(v));
    }
  }
  return {
    defaultAction: 'deny',
    trustDomain,
    policies: [...byCaller.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([caller, rules]) => ({
        appId: caller,
        defaultAction: 'deny' as const,
        trustDomain,
        namespace: opts.namespace,
        operations: [...rules.entries()].sort(([a], [b]) => byAclOrder(a, b)).map(([name, verbs]) => ({ name, httpVerb: [...verbs].sort(), action: 'allow' as const })),
      })),
  };
}
