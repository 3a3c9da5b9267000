import type { FieldError } from '@emporium/contracts';

/**
 * Domain errors know nothing of HTTP: each has a stable `code`, and
 * http/problem.ts maps codes to statuses in one place.
 */
export abstract class DomainError extends Error {
  abstract readonly code: string;
  constructor(
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The input is malformed; each wrong field is named. */
export class ValidationError extends DomainError {
  readonly code = 'validation_failed';
  constructor(readonly fields: FieldError[], message = 'The request is not valid') {
    super(message);
  }
}

export class NotFoundError extends DomainError {
  readonly code: string = 'not_found';
}

/** A state transition or version check refused the change. */
export class ConflictError extends DomainError {
  readonly code: string = 'conflict';
}

export class UnauthenticatedError extends DomainError {
  readonly code: string = 'unauthenticated';
}

export class ForbiddenError extends DomainError {
  readonly code: string = 'forbidden';
}

/** Well-formed but refused by a business rule (e.g. publishing without a priced SKU). */
export class UnprocessableError extends DomainError {
  readonly code: string = 'unprocessable';
}

/** An Idempotency-Key was reused with another request body. */
export class IdempotencyKeyReusedError extends UnprocessableError {
  override readonly code = 'idempotency_key_reused';
}

/** A request with the same Idempotency-Key is still being processed. */
export class IdempotencyInProgressError extends ConflictError {
  override readonly code = 'idempotency_in_progress';
}

export class TooManyRequestsError extends DomainError {
  readonly code: string = 'too_many_requests';
  constructor(
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

/** A dependency (sidecar, peer service) did not answer. */
export class UnavailableError extends DomainError {
  readonly code = 'unavailable';
}
