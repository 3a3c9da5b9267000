import { randomBytes, randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { ApiOperation } from '@emporium/contracts';

/**
 * Requests generated from the operation registry, for the hostile-input and
 * tenancy tests: a body that passes the operation's schema (so only the
 * check under test stands between a request and a 2xx), and bodies that no
 * service may accept. A new operation joins both tests by being in the
 * registry.
 */

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  prefixItems?: JsonSchema[];
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  multipleOf?: number;
  pattern?: string;
  format?: string;
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  propertyNames?: JsonSchema;
};

/** The JSON Schema a client sees for a request body (zod's input side). */
export function requestSchemaOf(schema: z.ZodType): JsonSchema {
  return z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }) as JsonSchema;
}

const stamp = () => randomUUID().slice(0, 8);
/** Times a day from now, each an hour after the one before: a window sampled as `startsAt` then `endsAt` is in order. */
let hours = 0;
const laterTime = () => new Date(Date.now() + 86_400_000 + ++hours * 3_600_000).toISOString();

/** Strings that satisfy the patterns the contracts use; a new pattern that none fits fails the sampler by name. */
const candidates = (): string[] => [
  randomUUID(),
  'CNY',
  laterTime(),
  '+8613800138000',
  `sample-${stamp()}@example.com`,
  `sample-${stamp()}`,
  'sample',
  'Sample text',
  '2026-12-01',
  '91310000MA1FL0000X',
  'Asia/Shanghai',
  'https://example.com/sample',
  '6222021234567890',
  randomBytes(32).toString('base64url'),
];

function sampleString(s: JsonSchema): string {
  const fits = (v: string) => v.length >= (s.minLength ?? 0) && v.length <= (s.maxLength ?? Infinity) && (!s.pattern || new RegExp(s.pattern, 'u').test(v));
  if (s.format === 'uuid') return randomUUID();
  if (s.format === 'email') return `sample-${stamp()}@example.com`;
  if (s.format === 'date-time') return laterTime();
  if (s.format === 'uri' || s.format === 'url') return 'https://example.com/sample';
  const found = candidates().find(fits);
  if (found !== undefined) return found;
  if (!s.pattern) return 'a'.repeat(Math.max(1, s.minLength ?? 1));
  throw new Error(`no sample string fits the pattern ${s.pattern} (add one to candidates in hostile-requests.ts)`);
}

function sampleNumber(s: JsonSchema, integer: boolean): number {
  let v = s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + (integer ? 1 : 0.5) : 1);
  if (s.maximum !== undefined && v > s.maximum) v = s.maximum;
  if (s.exclusiveMaximum !== undefined && v >= s.exclusiveMaximum) v = s.exclusiveMaximum - 1;
  if (s.multipleOf) v = Math.ceil(v / s.multipleOf) * s.multipleOf;
  return integer ? Math.ceil(v) : v;
}

/**
 * A value the schema accepts: required keys only (every key with `every`,
 * for refinements such as "an e-mail or a phone"), the smallest counts, the
 * first choice of every union.
 */
export function sampleOf(schema: JsonSchema, root: JsonSchema = schema, every = false): unknown {
  if (schema.$ref) {
    const name = schema.$ref.replace(/^#\/\$defs\//, '');
    const target = root.$defs?.[name];
    if (!target) throw new Error(`unresolved ${schema.$ref}`);
    return sampleOf(target, root, every);
  }
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return schema.enum[0];
  if (schema.default !== undefined) return schema.default;
  const choices = schema.anyOf ?? schema.oneOf;
  if (choices) return sampleOf(choices.find((c) => c.type !== 'null') ?? choices[0]!, root, every);
  if (schema.allOf) return Object.assign({}, ...schema.allOf.map((part) => sampleOf(part, root, every)) as object[]);
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      const keys = every ? Object.keys(schema.properties ?? {}) : (schema.required ?? []);
      for (const key of keys) out[key] = sampleOf(schema.properties?.[key] ?? {}, root, every);
      return out;
    }
    case 'array': {
      if (schema.prefixItems) return schema.prefixItems.map((p) => sampleOf(p, root, every));
      const n = Math.max(schema.minItems ?? 0, schema.maxItems === 0 ? 0 : 1);
      return Array.from({ length: n }, () => sampleOf(schema.items ?? {}, root, every));
    }
    case 'string':
      return sampleString(schema);
    case 'integer':
      return sampleNumber(schema, true);
    case 'number':
      return sampleNumber(schema, false);
    case 'boolean':
      return true;
    case 'null':
      return null;
    default:
      return 'sample';
  }
}

/** A body the operation's schema accepts (checked by the schema itself), or undefined for an operation without a body. */
export function validBodyOf(op: ApiOperation): unknown {
  if (!op.request) return undefined;
  if (op.example !== undefined) {
    const checked = op.request.safeParse(op.example);
    if (!checked.success) throw new Error(`the example of ${op.operationId} does not pass its own schema: ${checked.error.message}`);
    return op.example;
  }
  const schema = requestSchemaOf(op.request);
  const lean = sampleOf(schema);
  if (op.request.safeParse(lean).success) return lean;
  const full = sampleOf(schema, schema, true);
  const checked = op.request.safeParse(full);
  if (!checked.success) throw new Error(`the sample body of ${op.operationId} does not pass its own schema: ${checked.error.message}`);
  return full;
}

/** One hostile request body: what it is, its media type and its bytes. */
export interface HostileBody {
  name: string;
  contentType: string;
  body: Buffer;
}

const json = (name: string, value: unknown): HostileBody => ({ name, contentType: 'application/json', body: Buffer.from(JSON.stringify(value)) });
const raw = (name: string, text: string | Buffer, contentType = 'application/json'): HostileBody => ({ name, contentType, body: Buffer.isBuffer(text) ? text : Buffer.from(text) });

const wrongValueFor = (s: JsonSchema): unknown => {
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  if (type === 'string') return 12345;
  if (type === 'number' || type === 'integer') return 'twelve';
  if (type === 'boolean') return 'yes';
  if (type === 'array') return { not: 'an array' };
  if (type === 'object') return ['not', 'an', 'object'];
  return { unexpected: [true] };
};

/**
 * Bodies no operation may accept: malformed JSON, a top-level array or
 * null, each top-level field of a valid body with a wrong type, an unknown
 * field, a huge string, deep nesting, a number beyond a double, invalid
 * UTF-8, and the valid body in another media type.
 */
export function hostileBodiesOf(op: ApiOperation): HostileBody[] {
  if (!op.request) return [];
  const schema = requestSchemaOf(op.request);
  const valid = validBodyOf(op) as Record<string, unknown>;
  const props = Object.entries(schema.properties ?? {});
  const text = JSON.stringify(valid);
  const out: HostileBody[] = [
    raw('malformed JSON', '{"a":'),
    raw('top-level array', '[{}]'),
    raw('top-level null', 'null'),
    raw('top-level string', '"hello"'),
    json('unknown field', { ...valid, emporiumUnknownField: 'mass assignment' }),
    raw('nested 5,000 deep', `{"a":${'['.repeat(5000)}${']'.repeat(5000)}}`),
    raw('invalid UTF-8', invalidUtf8(valid)),
    raw('form-encoded', new URLSearchParams({ a: 'b' }).toString(), 'application/x-www-form-urlencoded'),
    raw('valid JSON sent as text/plain', text, 'text/plain'),
  ];
  for (const [key, s] of props) {
    out.push(json(`${key} of the wrong type`, { ...valid, [key]: wrongValueFor(s) }));
    out.push(raw(`${key} as 1e400`, JSON.stringify({ ...valid, [key]: '\u0000NUM' }).replace('"\\u0000NUM"', '1e400')));
    out.push(json(`${key} as a 100,000-character string`, { ...valid, [key]: 'x'.repeat(100_000) }));
  }
  return out;
}

/** The valid body with bytes that are not UTF-8 inside its first string field (so only its bytes are wrong), else in a field of its own. */
function invalidUtf8(valid: Record<string, unknown>): Buffer {
  const bad = Buffer.from([0xc3, 0x28, 0xff, 0xfe]);
  const key = Object.keys(valid).find((k) => typeof valid[k] === 'string') ?? 'x';
  const [before, after] = JSON.stringify({ ...valid, [key]: '\u0000BAD' }).split('\\u0000BAD') as [string, string];
  return Buffer.concat([Buffer.from(before), bad, Buffer.from(after)]);
}

/** Path parameters that name something a tenant owns: a caller of another tenant must never get a 2xx through them. */
export const TenantParams = ['shopId', 'orderId', 'subOrderId', 'companyId', 'addressId', 'paymentId', 'topUpId', 'userId', 'invitationId', 'refundId'] as const;
export type TenantParam = (typeof TenantParams)[number];

export const paramsOf = (path: string): string[] => [...path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]!);

/** Operations whose path names a tenant's thing and which are not open to anyone. */
export function tenantOperations(ops: readonly ApiOperation[]): ApiOperation[] {
  return ops.filter((op) => op.appId !== '*' && op.access !== 'anyone' && paramsOf(op.path).some((p) => (TenantParams as readonly string[]).includes(p)));
}

/** The path with its parameters filled from `ids`; a parameter without an id gets a fresh UUID. */
export function fillPath(path: string, ids: Partial<Record<string, string>>): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, (_, name: string) => encodeURIComponent(ids[name] ?? randomUUID()));
}

/** Something a generated test found: an operation, the case, and what it answered. */
export interface Finding {
  operation: string;
  case: string;
  status: number;
}

/** Sends one request and answers its status: the test's transport (the gateway in e2e, supertest in the kit's own test). */
export type Send = (method: string, path: string, body?: { contentType: string; bytes: Buffer }) => Promise<number>;

/** Every hostile body of `op` at `path`: a 5xx or a 2xx is a finding. */
export async function probeHostileBodies(op: ApiOperation, path: string, send: Send): Promise<Finding[]> {
  const findings: Finding[] = [];
  for (const hostile of hostileBodiesOf(op)) {
    const status = await send(op.method.toUpperCase(), path, { contentType: hostile.contentType, bytes: hostile.body });
    if (status >= 500 || (status >= 200 && status < 300)) findings.push({ operation: op.operationId, case: hostile.name, status });
  }
  return findings;
}

/** `op` called at another tenant's `path` with a valid body: a 2xx is a leak, a 5xx a bug. */
export async function probeTenancy(op: ApiOperation, path: string, send: Send, caller: string): Promise<Finding[]> {
  const body = validBodyOf(op);
  const status = await send(op.method.toUpperCase(), path, body === undefined ? undefined : { contentType: 'application/json', bytes: Buffer.from(JSON.stringify(body)) });
  return status >= 500 || (status >= 200 && status < 300) ? [{ operation: op.operationId, case: `as ${caller}`, status }] : [];
}
