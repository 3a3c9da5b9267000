import type { RequestHandler, Router } from 'express';
import { callersOf, operationsOf, type ApiOperation, type AppId } from '@emporium/contracts';
import { NotFoundError } from '../errors';

/**
 * Only the operation's callers get through. The sidecar names the caller in
 * `dapr-caller-app-id`; with the app API token on, nothing reaches the app
 * around its sidecar, so the header cannot be forged. Anyone else gets a 404,
 * as if the route did not exist. (The sidecars' access-control policies,
 * generated from the same registry, refuse them before they get here.)
 */
export function onlyCallersOf(op: ApiOperation): RequestHandler {
  const allowed = new Set<string>(callersOf(op));
  return (req, _res, next) => {
    const caller = req.get('dapr-caller-app-id');
    if (!caller || !allowed.has(caller)) throw new NotFoundError(`no route ${req.method} ${req.path}`);
    next();
  };
}

/**
 * Mounts the handlers of one operation of the registry at its method and
 * path. An internal operation is closed to all but its callers.
 */
export function serve(router: Router, op: ApiOperation, ...handlers: RequestHandler[]): void {
  const chain = op.internal ? [onlyCallersOf(op), ...handlers] : handlers;
  router[op.method](op.path, ...chain);
}

interface Layer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
}

/** `get /orders/:orderId` for every route of the routers (Express 5 keeps them on `stack`). */
export function routesOf(routers: readonly Router[]): string[] {
  const out: string[] = [];
  for (const router of routers) {
    for (const layer of (router as unknown as { stack: Layer[] }).stack) {
      if (!layer.route) continue;
      const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
      for (const method of Object.keys(layer.route.methods).filter((m) => layer.route!.methods[m] && m !== '_all')) {
        for (const path of paths) out.push(`${method} ${path}`);
      }
    }
  }
  return out;
}

/**
 * Where a service's routes and the registry disagree: routes served that
 * no operation describes, and operations of the app that nobody serves.
 */
export function routeDrift(appId: string, routers: readonly Router[], registry: readonly ApiOperation[] = operationsOf(appId as AppId)): { unlisted: string[]; unserved: string[] } {
  const served = new Set(routesOf(routers));
  const listed = new Set(registry.filter((op) => op.appId === appId).map((op) => `${op.method} ${op.path}`));
  return {
    unlisted: [...served].filter((r) => !listed.has(r)).sort(),
    unserved: [...listed].filter((r) => !served.has(r)).sort(),
  };
}
