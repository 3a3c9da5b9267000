import type { RequestHandler } from 'express';
import type { Counter } from 'prom-client';
import type { InputLimitName } from '@emporium/contracts';
import { InputLimitError, MalformedBodyError, UnsupportedMediaTypeError, ValidationError } from '../errors';

/**
 * What a JSON body may be at most. Every limit is checked before any route,
 * hash or schema sees the body, so hostile input costs one linear pass.
 */
export interface InputLimits {
  /** Bytes on the wire. */
  bodyBytes: number;
  /** Objects and arrays nested inside each other. */
  depth: number;
  /** Items of one array. */
  arrayLength: number;
  /** Characters of one string (keys included). */
  stringLength: number;
  /** Keys of one object. */
  objectKeys: number;
}

export const defaultInputLimits: InputLimits = {
  bodyBytes: 1024 * 1024,
  depth: 32,
  arrayLength: 1000,
  stringLength: 64 * 1024,
  objectKeys: 256,
};

const rawBodies = new WeakMap<object, Buffer>();

/** The bytes of a JSON request body as they arrived (webhook signatures are computed over them). */
export function rawBodyOf(req: object): Buffer | undefined {
  return rawBodies.get(req);
}

const isJson = (type: string): boolean => {
  const t = type.split(';')[0]!.trim().toLowerCase();
  return t === 'application/json' || (t.startsWith('application/') && t.endsWith('+json'));
};

/**
 * Nesting depth of JSON text, counted without parsing (so a body nested
 * 100,000 levels deep is refused before anything recursive meets it). Strings
 * are skipped so brackets inside them do not count. Returns the byte offset
 * where `max` was passed, or -1.
 */
export function depthExceededAt(text: string, max: number): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return i;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return -1;
}

/**
 * Walks a parsed value without recursion and refuses the first thing over a
 * limit: a long array, a long string or key, an object with too many keys, a
 * number JSON.parse could only read as infinity (`1e400`).
 */
export function checkValue(value: unknown, limits: InputLimits): void {
  // each entry knows its parent, so the path is built only for a refusal
  interface Entry {
    value: unknown;
    key?: string | number;
    parent?: Entry;
  }
  const pathOf = (e: Entry): string => {
    const keys: (string | number)[] = [];
    for (let at: Entry = e; at.parent; at = at.parent) keys.push(at.key!);
    return keys.reverse().join('.');
  };
  const refuse = (name: InputLimitName, max: number, e: Entry, message: string): never => {
    throw new InputLimitError(name, max, pathOf(e), message);
  };
  const stack: Entry[] = [{ value }];
  while (stack.length) {
    const e = stack.pop()!;
    const v = e.value;
    if (typeof v === 'string') {
      if (v.length > limits.stringLength) refuse('stringLength', limits.stringLength, e, `A string may be at most ${limits.stringLength} characters`);
    } else if (typeof v === 'number') {
      if (!Number.isFinite(v)) {
        throw new ValidationError([{ field: pathOf(e), code: 'number_out_of_range', message: 'The number is too large to be read' }]);
      }
    } else if (Array.isArray(v)) {
      if (v.length > limits.arrayLength) refuse('arrayLength', limits.arrayLength, e, `An array may have at most ${limits.arrayLength} items`);
      for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], key: i, parent: e });
    } else if (v !== null && typeof v === 'object') {
      const keys = Object.keys(v);
      if (keys.length > limits.objectKeys) refuse('objectKeys', limits.objectKeys, e, `An object may have at most ${limits.objectKeys} keys`);
      for (let i = keys.length - 1; i >= 0; i--) {
        const key = keys[i]!;
        const child = { value: (v as Record<string, unknown>)[key], key, parent: e };
        if (key.length > limits.stringLength) refuse('stringLength', limits.stringLength, child, `A key may be at most ${limits.stringLength} characters`);
        stack.push(child);
      }
    }
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** Parses JSON text from bytes within the limits; the body is refused whole on the first problem. */
export function parseBoundedJson(bytes: Buffer, limits: InputLimits): unknown {
  if (bytes.length > limits.bodyBytes) throw new InputLimitError('bodyBytes', limits.bodyBytes, '', `The body may be at most ${limits.bodyBytes} bytes`);
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw new MalformedBodyError('invalid_utf8', 'The body is not valid UTF-8');
  }
  const at = depthExceededAt(text, limits.depth);
  if (at >= 0) throw new InputLimitError('depth', limits.depth, '', `Objects and arrays may be nested at most ${limits.depth} deep (passed at offset ${at})`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new MalformedBodyError('malformed_json', 'The body is not valid JSON');
  }
  checkValue(value, limits);
  return value;
}

/** Counts refusals by limit, for `/metrics`. */
export type LimitRefusals = Counter<'limit'>;

/** Requests whose body came in a media type other than JSON (refused on the service's own routes). */
const nonJsonBodies = new WeakSet<object>();

/**
 * Reads a request's body within the byte limit and, when it is JSON, parses
 * it within the other limits into `req.body`, keeping its bytes for
 * signatures. The declared length is checked first, then the bytes as they
 * stream in, so an oversized body is never held whole. A non-empty body in
 * another media type is only marked: the 415 comes from `requireJsonBodies`,
 * after the sidecar's own routes. An empty body (Dapr sends POSTs without a
 * payload with a text content type) is no body.
 */
export function boundedJson(limits: InputLimits, refusals?: LimitRefusals): RequestHandler {
  return (req, _res, next) => {
    const declared = Number(req.get('content-length') ?? NaN);
    const mayHaveBody = (Number.isFinite(declared) && declared > 0) || req.get('transfer-encoding') !== undefined;
    if (!mayHaveBody) {
      next();
      return;
    }
    const type = req.get('content-type');
    const fail = (err: unknown) => {
      if (err instanceof InputLimitError) refusals?.inc({ limit: err.limit.name });
      else if (err instanceof ValidationError) refusals?.inc({ limit: err.fields[0]?.code ?? 'malformed' });
      req.resume();
      next(err);
    };
    if (declared > limits.bodyBytes) {
      fail(new InputLimitError('bodyBytes', limits.bodyBytes, '', `The body may be at most ${limits.bodyBytes} bytes`));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > limits.bodyBytes) {
        done = true;
        fail(new InputLimitError('bodyBytes', limits.bodyBytes, '', `The body may be at most ${limits.bodyBytes} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', (err) => {
      if (done) return;
      done = true;
      next(err);
    });
    req.on('end', () => {
      if (done) return;
      done = true;
      const bytes = Buffer.concat(chunks);
      if (bytes.length === 0) {
        next();
        return;
      }
      if (!type || !isJson(type)) {
        nonJsonBodies.add(req);
        next();
        return;
      }
      try {
        req.body = parseBoundedJson(bytes, limits);
        rawBodies.set(req, bytes);
      } catch (err) {
        fail(err);
        return;
      }
      next();
    });
  };
}

/**
 * On the service's own routes: a non-empty body that is not JSON is refused
 * (415), and so is JSON that is not an object (`null`, `[]`, `"x"`, `1`):
 * every request body of the registry is an object, and a handler that reads
 * `req.body ?? {}` must never take `null` for "no body".
 */
export const requireJsonBodies: RequestHandler = (req, _res, next) => {
  if (nonJsonBodies.has(req)) throw new UnsupportedMediaTypeError(req.get('content-type') ?? '');
  const body: unknown = req.body;
  if (body !== undefined && (body === null || typeof body !== 'object' || Array.isArray(body))) {
    throw new ValidationError([{ field: '', code: 'not_an_object', message: 'The body must be a JSON object' }], 'The body must be a JSON object');
  }
  next();
};
