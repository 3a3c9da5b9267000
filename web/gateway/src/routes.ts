import { PublicOperations, type ApiOperation } from '@emporium/contracts';

/**
 * The public API is the registry's public operations: each public path
 * `/api/v1<path>` goes to the service that owns the operation, at the same
 * path. Service-to-service operations (`internal` in the registry), health,
 * metrics and Dapr callbacks are not among them, so the gateway never
 * reaches them.
 */
export interface Route {
  operation: ApiOperation;
  pattern: RegExp;
  /** Literal segments first, so `/shops/mine` wins over `/shops/:shopId`. */
  specificity: number;
}

export const publicOperations: readonly ApiOperation[] = PublicOperations;

const routes: Route[] = publicOperations
  .map((operation) => {
    const segments = operation.path.split('/').filter(Boolean);
    const pattern = new RegExp(`^/${segments.map((s) => (s.startsWith(':') ? '[^/]+' : s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('/')}$`);
    return { operation, pattern, specificity: segments.filter((s) => !s.startsWith(':')).length };
  })
  .sort((a, b) => b.specificity - a.specificity);

export type Match = { kind: 'found'; operation: ApiOperation } | { kind: 'method-not-allowed'; allow: string[] } | { kind: 'not-found' };

export function matchRoute(method: string, path: string): Match {
  const candidates = routes.filter((r) => r.pattern.test(path));
  if (!candidates.length) return { kind: 'not-found' };
  const hit = candidates.find((r) => r.operation.method === method.toLowerCase());
  if (hit) return { kind: 'found', operation: hit.operation };
  return { kind: 'method-not-allowed', allow: [...new Set(candidates.map((r) => r.operation.method.toUpperCase()))] };
}
