import type { RequestHandler } from 'express';
import type { AppId } from '@emporium/contracts';
import { NotFoundError } from '../errors';

/**
 * Routes that only other services may call, through their sidecars. The
 * sidecar sets `dapr-caller-app-id` on every invocation (a client cannot: the
 * gateway forwards only its own list of headers, and with an app API token
 * nothing reaches the app around its sidecar). Anyone else, the gateway's own
 * app-id included, gets a 404 as if the route did not exist.
 */
export function internalOnly(...callers: AppId[]): RequestHandler {
  const allowed = new Set<string>(callers);
  return (req, _res, next) => {
    const caller = req.get('dapr-caller-app-id');
    if (!caller || !allowed.has(caller)) throw new NotFoundError(`no route ${req.method} ${req.path}`);
    next();
  };
}
