import 'server-only';
import { randomUUID } from 'node:crypto';
import type { FieldError } from '@emporium/contracts';
import { ServiceError } from './data/sidecar';

/** What a refused form gets back: each wrong field by its path, or one message for the whole form. */
export interface FormState {
  errors: { field: string; message: string }[];
  /** a key of the `forms.problem` messages, for the form as a whole */
  problem: string | null;
  values?: Record<string, string>;
  /**
   * A new Idempotency-Key once a service has refused the request: it keeps
   * its answer for the old key, and a corrected form is another request.
   */
  key?: string;
}

export const accepted: FormState = { errors: [], problem: null };

/** A form field's text ('' when absent). */
export function text(form: FormData, name: string): string {
  const v = form.get(name);
  return typeof v === 'string' ? v : '';
}

/** A service's refusal as form state: its field errors when it named them, else a message for the status, and a fresh key. Anything else is thrown on. */
export function refused(err: unknown, values?: Record<string, string>, field: (path: PropertyKey[]) => string = (p) => p.join('.')): FormState {
  if (!(err instanceof ServiceError) || err.status >= 500) throw err;
  // the service names fields by the request's paths (`price.amount`); the form by its own names
  const errors: FieldError[] = (err.problem?.errors ?? []).map((e) => ({ ...e, field: field(e.field.split('.')) }));
  const problem = err.status === 409 ? 'conflict' : err.status === 422 ? 'notAllowed' : errors.length ? null : 'refused';
  return { errors, problem, key: randomUUID(), ...(values ? { values } : {}) };
}

/** zod's issues as the form's field errors. */
export function issuesOf(issues: readonly { path: PropertyKey[]; message: string }[], field: (path: PropertyKey[]) => string = (p) => p.join('.')): FormState['errors'] {
  return issues.map((i) => ({ field: field(i.path), message: i.message }));
}
