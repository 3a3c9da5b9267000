import { z } from 'zod';

/** One wrong field in a request, with its JSON path (`items.0.quantity`). */
export const FieldError = z
  .object({
    field: z.string().describe('Dotted path of the offending field; empty for the body itself'),
    code: z.string().describe('Machine-readable reason, e.g. invalid_type, unrecognized_keys'),
    message: z.string(),
  })
  .strict();
export type FieldError = z.infer<typeof FieldError>;

/** The input limits every service applies before reading a body (problem code `input_limit_exceeded`). */
export const InputLimitName = z.enum(['bodyBytes', 'depth', 'arrayLength', 'stringLength', 'objectKeys']);
export type InputLimitName = z.infer<typeof InputLimitName>;

/** RFC 9457 problem details, the body of every error answer (`application/problem+json`). */
export const Problem = z
  .object({
    type: z.string().describe('URI reference naming the problem type'),
    title: z.string(),
    status: z.number().int().min(400).max(599),
    code: z.string().describe('Stable error code, e.g. validation_failed, not_found'),
    detail: z.string().optional(),
    instance: z.string().optional(),
    traceId: z.string().optional().describe('W3C trace id for support requests'),
    errors: z.array(FieldError).optional().describe('Each wrong field, for validation errors'),
    limit: z.object({ name: InputLimitName, max: z.number().int() }).strict().optional().describe('The input limit passed, for input_limit_exceeded'),
  })
  .strict();
export type Problem = z.infer<typeof Problem>;

export const ProblemContentType = 'application/problem+json';
