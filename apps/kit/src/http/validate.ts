import type { Request } from 'express';
import { z } from 'zod';
import type { FieldError } from '@emporium/contracts';
import { ValidationError } from '../errors';

/** Turns zod issues into named field errors; unknown keys are named one by one. */
export function fieldErrors(error: z.ZodError): FieldError[] {
  const out: FieldError[] = [];
  for (const issue of error.issues) {
    const base = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        out.push({ field: base ? `${base}.${key}` : key, code: 'unrecognized_key', message: `${key} is not allowed here` });
      }
    } else {
      out.push({ field: base, code: issue.code, message: issue.message });
    }
  }
  return out;
}

/** Parses `input` with a contract schema or throws ValidationError naming each bad field. */
export function parseWith<S extends z.ZodType>(schema: S, input: unknown, what = 'body'): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw new ValidationError(fieldErrors(result.error), `The ${what} is not valid`);
  return result.data;
}

/** Path parameters that must be UUIDs, in the order named; 400 names each bad one. */
export function uuidParams(req: Request, ...names: string[]): string[] {
  const shape = Object.fromEntries(names.map((n) => [n, z.uuid()]));
  const parsed = parseWith(z.object(shape), Object.fromEntries(names.map((n) => [n, req.params[n]])), 'path') as Record<string, string>;
  return names.map((n) => parsed[n]!);
}
