import type { Request } from 'express';
import { z } from 'zod';
import { parseWith } from '@emporium/kit';

/** A path parameter that must be a UUID; 400 names it otherwise. */
export function uuidParam(req: Request, name: string): string {
  return parseWith(z.object({ [name]: z.uuid() }), { [name]: req.params[name] }, 'path')[name] as string;
}

/** The client's address: the first X-Forwarded-For hop set by the gateway, else the socket's. */
export function clientAddress(req: Request): string {
  const forwarded = req.get('x-forwarded-for')?.split(',')[0]?.trim();
  return forwarded || req.socket.remoteAddress || 'unknown';
}
