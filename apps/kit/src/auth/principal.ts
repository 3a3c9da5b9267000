import type { Request, RequestHandler } from 'express';
import { IdentityPublic, type Membership, type Role } from '@emporium/contracts';
import { ForbiddenError, NotFoundError, UnauthenticatedError } from '../errors';
import type { Sidecar } from '../dapr/sidecar';
import { cachedJwks, VerifiedTokens, type KeySource } from './jwt';

/** Who is calling, from a verified access token. */
export interface Principal {
  userId: string;
  email: string | null;
  roles: Membership[];
}

const principals = new WeakMap<Request, Principal>();

/** The caller of an authenticated route; throws when the route was not behind `authenticate`. */
export function principalOf(req: Request): Principal {
  const p = principals.get(req);
  if (!p) throw new UnauthenticatedError('sign in first');
  return p;
}

export function hasRole(p: Principal, role: Role, scope?: { shopId?: string; companyId?: string }): boolean {
  return p.roles.some(
    (m) => m.role === role && (scope?.shopId === undefined || m.shopId === scope.shopId) && (scope?.companyId === undefined || m.companyId === scope.companyId),
  );
}

/** The company whose prices and limits apply to a caller: the one it buys for or runs, if any. */
export function companyOf(p: Principal | null): string | null {
  return p?.roles.find((r) => (r.role === 'company_buyer' || r.role === 'company_admin') && r.companyId)?.companyId ?? null;
}

/** The caller works for the shop (owner or staff). */
export function isShopStaff(p: Principal, shopId: string): boolean {
  return hasRole(p, 'merchant_owner', { shopId }) || hasRole(p, 'merchant_staff', { shopId });
}

/** A merchant's route on a shop: anyone else gets 404, with no hint that the shop exists. */
export function requireShopStaff(p: Principal, shopId: string): void {
  if (!isShopStaff(p, shopId)) throw new NotFoundError('no such shop');
}

/** Identity's published keys, fetched through the sidecar and cached; refetched on an unknown kid (at most every 30 s). */
export function jwksFromIdentity(sidecar: Sidecar, ttlMs = 5 * 60_000): KeySource {
  return cachedJwks(() => sidecar.call(IdentityPublic.jwks, {}), ttlMs);
}

/** One cache of verified tokens per key source: a service's routers (signed-in and optional) share it. */
const verifiedBySource = new WeakMap<KeySource, VerifiedTokens>();
function verifiedTokensOf(source: KeySource): VerifiedTokens {
  const known = verifiedBySource.get(source);
  if (known) return known;
  const made = new VerifiedTokens(source);
  verifiedBySource.set(source, made);
  return made;
}

/** Requires `Authorization: Bearer <access token>`; the verified caller is then `principalOf(req)`. */
export function authenticate(source: KeySource): RequestHandler {
  const verified = verifiedTokensOf(source);
  return async (req, _res, next) => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer ([A-Za-z0-9_.-]+)$/.exec(header);
    if (!match) throw new UnauthenticatedError('an access token is required (Authorization: Bearer …)');
    const claims = await verified.verify(match[1]!);
    principals.set(req, { userId: claims.sub, email: claims.email, roles: claims.roles });
    next();
  };
}

/** Like `authenticate`, but a request without a token passes as anonymous (`principalOrNull` is null). */
export function authenticateOptional(source: KeySource): RequestHandler {
  const strict = authenticate(source);
  return (req, res, next) => {
    if (!req.get('authorization')) {
      next();
      return;
    }
    return strict(req, res, next);
  };
}

export function principalOrNull(req: Request): Principal | null {
  return principals.get(req) ?? null;
}

/** Refuses callers without one of the roles (403). */
export function requireRole(...roles: Role[]): RequestHandler {
  return (req, _res, next) => {
    const p = principalOf(req);
    if (!roles.some((r) => hasRole(p, r))) throw new ForbiddenError('this needs another role');
    next();
  };
}
