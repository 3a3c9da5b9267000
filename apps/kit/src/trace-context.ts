import { AsyncLocalStorage } from 'node:async_hooks';

/** The W3C trace context of the request being served. */
export interface TraceContext {
  traceId: string;
  traceparent: string;
  tracestate?: string;
}

const storage = new AsyncLocalStorage<TraceContext>();
const TRACEPARENT = /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/;

/** Reads a `traceparent` header; undefined when absent or malformed. */
export function parseTraceparent(traceparent: string | undefined, tracestate?: string): TraceContext | undefined {
  const match = traceparent ? TRACEPARENT.exec(traceparent.trim()) : null;
  if (!match?.[1] || /^0+$/.test(match[1])) return undefined;
  return { traceId: match[1], traceparent: traceparent!.trim(), ...(tracestate ? { tracestate } : {}) };
}

export function runWithTrace<T>(ctx: TraceContext | undefined, fn: () => T): T {
  return ctx ? storage.run(ctx, fn) : fn();
}

export function currentTrace(): TraceContext | undefined {
  return storage.getStore();
}

/** Headers that carry the current trace on an outgoing call through the sidecar. */
export function traceHeaders(): Record<string, string> {
  const ctx = storage.getStore();
  if (!ctx) return {};
  return { traceparent: ctx.traceparent, ...(ctx.tracestate ? { tracestate: ctx.tracestate } : {}) };
}
