import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ProblemContentType, type Problem } from '@emporium/contracts';
import {
  ConflictError,
  DomainError,
  ForbiddenError,
  InputLimitError,
  NotFoundError,
  OverloadedError,
  InProgressError,
  TooManyRequestsError,
  UnauthenticatedError,
  UnavailableError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '../errors';
import type { Logger } from '../logger';
import { currentTrace } from '../trace-context';
import { InvocationError } from '../dapr/sidecar';
import { jitteredSeconds } from './retry-after';
import { CONCURRENT_WRITE, NOT_STORED, isTransient } from '../transient';

/** Retry-After of a 503 answered because a peer or the sidecar could not be reached. */
const DEPENDENCY_RETRY_AFTER_SECONDS = 2;

/** The one place that maps error kinds to HTTP statuses; subclasses keep their family's status and bring their own code. */
export function statusOf(error: DomainError): number {
  if (error instanceof ValidationError) return 400;
  if (error instanceof InputLimitError) return error.limit.name === 'bodyBytes' ? 413 : 400;
  if (error instanceof UnsupportedMediaTypeError) return 415;
  if (error instanceof UnauthenticatedError) return 401;
  if (error instanceof ForbiddenError) return 403;
  if (error instanceof NotFoundError) return 404;
  if (error instanceof ConflictError) return 409;
  if (error instanceof TooManyRequestsError) return 429;
  if (error instanceof UnavailableError || error instanceof OverloadedError || error instanceof InProgressError) return 503;
  // a peer that failed or did not answer: the caller may retry later
  if (error instanceof InvocationError && (error.status >= 500 || error.status === 0)) return 503;
  return 422;
}

const titles: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

function send(res: Parameters<ErrorRequestHandler>[2], problem: Problem): void {
  res.status(problem.status).type(ProblemContentType).send(JSON.stringify(problem));
}

function problemOf(status: number, code: string, detail?: string): Problem {
  const traceId = currentTrace()?.traceId;
  return {
    type: `https://emporium.dev/problems/${code}`,
    title: titles[status] ?? 'Error',
    status,
    code,
    ...(detail ? { detail } : {}),
    ...(traceId ? { traceId } : {}),
  };
}

/** Maps every error to problem+json; unknown errors become a bare 500 with the trace id logged. */
export function problemHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) return next(err);
    if (err instanceof DomainError) {
      const status = statusOf(err);
      // a peer or the sidecar failed: the client sees 503, the log keeps why
      if (status >= 500 && !(err instanceof OverloadedError) && !(err instanceof InProgressError)) logger.warn({ err, method: req.method, path: req.path }, 'answered 503: a dependency failed');
      const problem = problemOf(status, err.code, err.message);
      if (err.fields) problem.errors = err.fields;
      if (err instanceof InputLimitError) {
        problem.limit = err.limit;
        problem.errors = [{ field: err.field, code: `too_${err.limit.name === 'depth' ? 'deep' : 'large'}`, message: err.message }];
      }
      if ((err instanceof TooManyRequestsError || err instanceof OverloadedError || err instanceof InProgressError) && err.retryAfterSeconds) res.set('Retry-After', String(err.retryAfterSeconds));
      // a peer or the sidecar away: the client is told when to try again too (a restart takes seconds)
      else if (status === 503) res.set('Retry-After', String(jitteredSeconds(DEPENDENCY_RETRY_AFTER_SECONDS)));
      if (err instanceof UnauthenticatedError) res.set('WWW-Authenticate', 'Bearer');
      return send(res, problem);
    }
    // body-parser errors carry a status and a type
    const httpErr = err as { status?: number; type?: string; message?: string };
    if (typeof httpErr.status === 'number' && httpErr.status >= 400 && httpErr.status < 500) {
      const code = httpErr.type === 'entity.parse.failed' ? 'malformed_json' : (httpErr.type ?? 'bad_request').replace(/\./g, '_');
      const problem = problemOf(httpErr.status, code, httpErr.type === 'entity.parse.failed' ? 'The body is not valid JSON' : httpErr.message);
      if (httpErr.type === 'entity.parse.failed') problem.errors = [{ field: '', code: 'malformed_json', message: 'The body is not valid JSON' }];
      return send(res, problem);
    }
    // the database went away (a restart, a failover): as honest as a peer away, 503 and when to try again, never a bare 500
    if (isTransient(err)) {
      logger.warn({ err, method: req.method, path: req.path }, 'answered 503: the database could not be reached');
      res.set('Retry-After', String(jitteredSeconds(DEPENDENCY_RETRY_AFTER_SECONDS)));
      return send(res, problemOf(503, 'unavailable', 'the service cannot reach its database just now: try again shortly'));
    }
    // a unique index refused a row another request wrote at the same moment (two clerks, a retry
    // racing its first try) and the service had no answer of its own for it: a conflict, never a
    // 500; a caller through the kit takes it as worth a retry (transient.ts), which then finds the row
    if (isUniqueViolation(err)) {
      logger.warn({ err, method: req.method, path: req.path }, 'answered 409: a unique index refused a concurrent write');
      // not the request's answer for good: its Idempotency-Key is left free for the retry (idempotency.ts)
      res.locals[NOT_STORED] = true;
      return send(res, problemOf(409, CONCURRENT_WRITE, 'another request wrote the same thing at the same moment: try again, and it answers as that one did'));
    }
    logger.error({ err, method: req.method, path: req.path }, 'unhandled error');
    send(res, problemOf(500, 'internal'));
  };
}

export const notFoundHandler: RequestHandler = (req, res) => {
  send(res, problemOf(404, 'route_not_found', `No route for ${req.method} ${req.path}`));
};

/** PostgreSQL's unique_violation (23505), on the error or along its `cause` chain. */
function isUniqueViolation(err: unknown): boolean {
  let e: unknown = err;
  for (let depth = 0; e && depth < 6; depth++, e = (e as { cause?: unknown }).cause) if ((e as { code?: unknown }).code === '23505') return true;
  return false;
}
