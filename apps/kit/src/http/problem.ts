import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ProblemContentType, type Problem } from '@emporium/contracts';
import { DomainError, ValidationError } from '../errors';
import type { Logger } from '../logger';
import { currentTrace } from '../trace-context';

/** The one table from error code to HTTP status. */
const statusByCode: Record<string, number> = {
  validation_failed: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  idempotency_in_progress: 409,
  unprocessable: 422,
  idempotency_key_reused: 422,
  too_many_requests: 429,
  unavailable: 503,
};

export function statusOf(error: DomainError): number {
  return statusByCode[error.code] ?? (error instanceof ValidationError ? 400 : 422);
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
      const problem = problemOf(statusOf(err), err.code, err.message);
      if (err instanceof ValidationError) problem.errors = err.fields;
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
    logger.error({ err, method: req.method, path: req.path }, 'unhandled error');
    send(res, problemOf(500, 'internal'));
  };
}

export const notFoundHandler: RequestHandler = (req, res) => {
  send(res, problemOf(404, 'route_not_found', `No route for ${req.method} ${req.path}`));
};
