import { UnavailableError } from './errors';
import { InvocationError } from './dapr/sidecar';

/**
 * A step's failure that says nothing about the request: the peer, a sidecar or the database could
 * not be reached or failed (5xx, 429, no answer, a dropped connection). Trying again later may
 * succeed. A refusal (any other 4xx, a contract violation, a rule of the step itself) is final.
 * The first answer of a peer found along the `cause` chain decides.
 */
export function isTransient(err: unknown): boolean {
  let e: unknown = err;
  for (let depth = 0; e && depth < 6; depth++, e = (e as { cause?: unknown }).cause) {
    if (e instanceof InvocationError) return e.status === 0 || e.status === 429 || (e.status >= 500 && !isContractViolation(e)) || (e.status === 409 && codeOf(e) === CONCURRENT_WRITE);
    if (e instanceof UnavailableError) return true;
    const code = (e as { code?: unknown }).code;
    // gRPC (the workflow engine's API on the sidecar): UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED
    if ([14, 4, 8].includes(grpcCode(e) ?? -1)) return true;
    // the workflow engine read a workflow's state while a save of it was under way (Dapr 1.18
    // wfengine/state.go answers UNKNOWN "… declared in metadata … but missing from state store
    // (transient store read failure or partial save?)"): its own words say to load it again
    if (grpcCode(e) === 2 && /declared in metadata .* missing from state store/.test(String((e as { details?: unknown }).details))) return true;
    if (typeof code === 'string') {
      // PostgreSQL: connection exceptions (08…), shutting down (57P0…), too many connections, serialization and deadlock
      if (/^(08|57P0)/.test(code) || ['53300', '40001', '40P01'].includes(code)) return true;
      if (['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'EAI_AGAIN'].includes(code)) return true;
    }
    // pg's own words for a connection that went away or a pool that could not connect in time
    if (e instanceof Error && /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(e.message)) return true;
  }
  return false;
}

const codeOf = (e: InvocationError) => (e.body as { code?: unknown } | null)?.code;
const isContractViolation = (e: InvocationError) => codeOf(e) === 'contract_violation';

/** A peer's 409 for a row another request wrote at the same moment (a unique index refused it): tried again, the peer answers as that request did. */
export const CONCURRENT_WRITE = 'concurrent_write';

/** The status code of a gRPC failure (an error with a numeric `code` and `details`, as grpc-js makes them); undefined for anything else. */
export function grpcCode(err: unknown): number | undefined {
  const e = err as { code?: unknown; details?: unknown } | null | undefined;
  return typeof e?.code === 'number' && e.details !== undefined ? e.code : undefined;
}

/** Set in `res.locals` by an answer that is not the request's for good (a concurrent write refused): its Idempotency-Key is not kept, so a retry runs again. */
export const NOT_STORED = 'answerNotStored';
