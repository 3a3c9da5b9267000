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

