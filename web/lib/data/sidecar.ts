import 'server-only';
import type { z } from 'zod';
import { Problem } from '@emporium/contracts';
import { config } from '../config';

/**
 * The one way pages reach the services: Dapr service invocation through web's
 * own sidecar, every answer checked against its contract. A signed-in
 * caller's token goes along; the services decide what it may see.
 */
export class ServiceError extends Error {
  constructor(
    readonly appId: string,
    readonly status: number,
    /** the service's problem details, when it sent them: `errors` names each wrong field */
    readonly problem: Problem | null = null,
  ) {
    super(`${appId} answered ${status}`);
  }
}

export async function invoke<S extends z.ZodType>(
  appId: string,
  path: string,
  schema: S,
  opts: { token?: string | undefined; method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'; body?: unknown; headers?: Record<string, string> } = {},
): Promise<z.infer<S>> {
  const { DAPR_HOST, DAPR_HTTP_PORT, DAPR_API_TOKEN, GATEWAY_TIMEOUT_MS } = config();
  const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  if (DAPR_API_TOKEN) headers['dapr-api-token'] = DAPR_API_TOKEN;
  const res = await fetch(`http://${DAPR_HOST}:${DAPR_HTTP_PORT}/v1.0/invoke/${appId}/method${path}`, {
    method: opts.method ?? 'GET',
    headers,
    ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
    signal: AbortSignal.timeout(GATEWAY_TIMEOUT_MS),
    cache: 'no-store',
  });
  if (!res.ok) throw new ServiceError(appId, res.status, Problem.safeParse(await res.json().catch(() => null)).data ?? null);
  const text = await res.text();
  return schema.parse(text ? JSON.parse(text) : undefined);
}

/**
 * A thing that may not be there: null when the service answers that it is
 * not (404; 400 too for ids from a URL, which the service checks first).
 */
export async function orNull<T>(call: Promise<T>, missing: readonly number[] = [404, 400]): Promise<T | null> {
  try {
    return await call;
  } catch (err) {
    if (err instanceof ServiceError && missing.includes(err.status)) return null;
    throw err;
  }
}
