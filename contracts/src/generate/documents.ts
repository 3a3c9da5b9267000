import { z } from 'zod';
import { InternalOperations, Operations, SharedSchemas, callersOf, type ApiOperation } from '../api';
import { PlatformEvents } from '../platform-events';
import type { EventRegistry } from '../events';
import { ProblemContentType } from '../problem';

type JsonSchema = Record<string, unknown>;

/** JSON Schema 2020-12 of a zod schema, as a client would send it. */
export function jsonSchemaOf(schema: z.ZodType): JsonSchema {
  const out = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }) as JsonSchema;
  delete out.$schema;
  return out;
}

function refOrInline(schema: z.ZodType): JsonSchema {
  for (const [name, shared] of Object.entries(SharedSchemas)) {
    if (shared === schema) return { $ref: `#/components/schemas/${name}` };
  }
  return jsonSchemaOf(schema);
}

const openApiPath = (path: string) => path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

function operationObject(op: ApiOperation): JsonSchema {
  const parameters: JsonSchema[] = [...op.path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => ({
    name: m[1],
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }));
  if (op.idempotent) {
    parameters.push({
      name: 'Idempotency-Key',
      in: 'header',
      required: true,
      description: 'Same key and body answer the first result again; same key with another body is refused with 422',
      schema: { type: 'string', minLength: 1, maxLength: 200 },
    });
  }
  const responses: JsonSchema = {};
  for (const [status, answer] of Object.entries(op.responses)) {
    const refusal = Number(status) >= 400;
    responses[status] = {
      description: answer.description,
      ...(answer.schema
        ? { content: { 'application/json': { schema: refOrInline(answer.schema) } } }
        : refusal
          ? { content: { [ProblemContentType]: { schema: { $ref: '#/components/schemas/Problem' } } } }
          : {}),
      // come back later: how many seconds to wait
      ...(status === '429' || status === '503' ? { headers: { 'Retry-After': { description: 'Seconds to wait before sending the request again', schema: { type: 'integer', minimum: 1 } } } } : {}),
    };
  }
  responses.default = {
    description: 'Error',
    content: { [ProblemContentType]: { schema: { $ref: '#/components/schemas/Problem' } } },
  };
  return {
    operationId: op.operationId,
    summary: op.summary,
    tags: [op.appId === '*' ? 'service' : op.appId],
    // a signed-in caller's access token, unless anyone may call it; internal operations trust the caller's sidecar (mTLS)
    security: op.access === 'anyone' || op.appId === '*' || op.internal ? [] : [{ bearer: [] }],
    ...(op.internal || op.callers ? { 'x-dapr-callers': callersOf(op) } : {}),
    ...(parameters.length ? { parameters } : {}),
    ...(op.request
      ? { requestBody: { required: true, content: { 'application/json': { schema: refOrInline(op.request), ...(op.example === undefined ? {} : { example: op.example }) } } } }
      : {}),
    responses,
  };
}

/** OpenAPI 3.1 document of the given operations. */
export function openApiDocument(operations: readonly ApiOperation[] = Operations, title = 'Emporium services'): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const op of operations) {
    const path = openApiPath(op.path);
    paths[path] ??= {};
    paths[path][op.method] = operationObject(op);
  }
  const schemas = Object.fromEntries(Object.entries(SharedSchemas).map(([n, s]) => [n, jsonSchemaOf(s)]));
  return {
    openapi: '3.1.0',
    info: { title, version: '0.1.0', description: 'Generated from @emporium/contracts; do not edit.' },
    paths,
    components: { schemas, securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: "identity's access token" } } },
  };
}

/** AsyncAPI 3.0 document of the event registry. */
export function asyncApiDocument(registry: EventRegistry = PlatformEvents): JsonSchema {
  const channels: JsonSchema = {};
  const operations: JsonSchema = {};
  const messages: JsonSchema = {};
  for (const spec of Object.values(registry)) {
    const id = spec.topic.replace(/\./g, '_');
    messages[id] = {
      name: spec.topic,
      title: spec.topic,
      summary: spec.description,
      contentType: 'application/json',
      payload: jsonSchemaOf(spec.schema),
      'x-version': spec.version,
    };
    channels[id] = { address: spec.topic, messages: { [id]: { $ref: `#/components/messages/${id}` } } };
    operations[`on_${id}`] = { action: 'receive', channel: { $ref: `#/channels/${id}` } };
  }
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Emporium events',
      version: '0.1.0',
      description:
        'Domain events published through the Dapr pub/sub component `pubsub` as CloudEvents 1.0. Generated from @emporium/contracts; do not edit.',
    },
    defaultContentType: 'application/json',
    channels,
    operations,
    components: { messages },
  };
}

/** Every generated file, path relative to contracts/generated, and its text. */
export function generatedFiles(registry: EventRegistry = PlatformEvents): Record<string, string> {
  const docs: Record<string, unknown> = {
    'openapi.json': openApiDocument(Operations.filter((op) => !op.internal)),
    'internal-openapi.json': openApiDocument(InternalOperations, 'Emporium service-to-service operations (through Dapr service invocation)'),
    'asyncapi.json': asyncApiDocument(registry),
  };
  const standalone = (id: string, schema: z.ZodType) => ({
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: id,
    ...jsonSchemaOf(schema),
  });
  for (const [name, schema] of Object.entries(SharedSchemas)) docs[`schemas/${name}.schema.json`] = standalone(name, schema);
  for (const spec of Object.values(registry)) {
    docs[`events/${spec.topic}.v${spec.version}.schema.json`] = standalone(`${spec.topic}.v${spec.version}`, spec.schema);
  }
  return Object.fromEntries(Object.entries(docs).map(([p, v]) => [p, `${JSON.stringify(v, null, 2)}\n`]));
}
