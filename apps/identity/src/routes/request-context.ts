import type { Request } from 'express';
import { uuidParams } from '@emporium/kit';

/** A path parameter that must be a UUID; 400 names it otherwise. */
export const uuidParam = (req: Request, name: string): string => uuidParams(req, name)[0]!;

/** The client's address: the first X-Forwarded-For hop set by the gateway, else the socket's. */
export function clientAddress(req: Request): string {
  const forwarded = req.get('x-forwarded-for')?.split(',')[0]?.trim();
  return forwarded || req.socket.remoteAddress || 'unknown';
}
