import type { FieldError, InputLimitName } from '@emporium/contracts';

/**
 * Domain errors know nothing of HTTP: each has a stable `code`, and
 * http/problem.ts maps codes to statuses in one place.
 */
export abstract class DomainError extends Error {
  abstract readonly code: string;
  constructor(
    message: string,
    readonly details?: Record<string, unknown>,
    /** the fields the refusal is about (problem+json `errors`): a 400's wrong fields, or e.g. the items a 409 could not take */
    readonly fields?: FieldError[],
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The input is malformed; each wrong field is named. */
export class ValidationError extends DomainError {
  readonly code: string = 'validation_failed';
  declare readonly fields: FieldError[];
  constructor(fields: FieldError[], message = 'The request is not valid') {
    super(message, undefined, fields);
  }
}

/** The body cannot be read at all: not JSON, or not UTF-8. */
export class MalformedBodyError extends ValidationError {
  override readonly code = 'malformed_json';
  constructor(reason: 'malformed_json' | 'invalid_utf8', message: string) {
    super([{ field: '', code: reason, message }], message);
  }
}

export class NotFoundError extends DomainError {
  readonly code: string = 'not_found';
}

/** A state transition or version check refused the change. */
export class ConflictError extends DomainError {
  readonly code: string = 'conflict';
}

/**
 * A refusal with a code of its own (`group_full`, `own_group`, …) about one field: a 409 whose
 * `code` a client acts on, and which a service passing a peer's refusal on can forward as it came.
 */
export class RefusedError extends ConflictError {
  constructor(
    override readonly code: string,
    field: string,
    message: string,
  ) {
    super(message, undefined, [{ field, code, message }]);
  }
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

/**
 * A business rule refused one part of a request with a code of its own (`coupon_not_applicable`,
 * `points_not_applicable`): a 422 whose code and fields a client acts on, and which a service
 * passing a peer's refusal on forwards as it came.
 */
export class NotApplicableError extends UnprocessableError {
  constructor(
    override readonly code: string,
    message: string,
    fields?: FieldError[],
  ) {
    super(message, undefined, fields);
  }
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

/** Too much of this work is in progress: refused at once, to be tried again after `retryAfterSeconds` (admission control). */
export class OverloadedError extends DomainError {
  readonly code = 'overloaded';
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

/**
 * Work this request started is not finished yet: 503 with Retry-After, never kept for an
 * Idempotency-Key, so the same request again (same key) finds the work it started.
 */
export class InProgressError extends DomainError {
  readonly code = 'in_progress';
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

/** A dependency (sidecar, peer service) did not answer. */
export class UnavailableError extends DomainError {
  readonly code = 'unavailable';
}

/** The request is over one of the kit's input limits (body size, nesting, array, string, keys). */
export class InputLimitError extends DomainError {
  readonly code = 'input_limit_exceeded';
  readonly limit: { name: InputLimitName; max: number };
  constructor(
    name: InputLimitName,
    max: number,
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.limit = { name, max };
  }
}

/** The body is not in a media type the operation reads. */
export class UnsupportedMediaTypeError extends DomainError {
  readonly code = 'unsupported_media_type';
  constructor(readonly mediaType: string) {
    super(mediaType ? `Bodies must be application/json, not ${mediaType}` : 'Bodies must be sent as application/json');
  }
}
