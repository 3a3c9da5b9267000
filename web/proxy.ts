import type { NextRequest } from 'next/server';
import createMiddleware from 'next-intl/middleware';
import { routing } from './i18n/routing';
import { ACCESS_COOKIE, clearSession, REFRESH_COOKIE, REFRESHED_COOKIE, refreshTokens, secondsLeft, VISITOR_COOKIE, VISITOR_ID, writeSession } from './lib/session';
import { config as webConfig } from './lib/config';

const intl = createMiddleware(routing);

/**
 * Refreshes in flight or just done, by refresh token: a browser that loads
 * several pages (or a page and its prefetches) at once sends the same token
 * with each, and they share one refresh and get the same pair. Across web
 * replicas identity's short reuse grace does the same job.
 */
const refreshing = new Map<string, Promise<Awaited<ReturnType<typeof refreshTokens>>>>();
const SHARED_FOR_MS = 10_000;
function sharedRefresh(token: string): ReturnType<typeof refreshTokens> {
  let pending = refreshing.get(token);
  if (!pending) {
    pending = refreshTokens(token);
    refreshing.set(token, pending);
    const forget = () => setTimeout(() => refreshing.delete(token), SHARED_FOR_MS).unref();
    // a failure (identity down) is not kept: the next request tries again
    pending.then(forget, () => refreshing.delete(token));
  }
  return pending;
}

/**
 * Before every page: a session whose access token runs out within a minute
 * is refreshed here (pages cannot set cookies while they render), and the
 * new token goes on to the page as well as back to the browser. So is one
 * whose page asks for roles granted since sign-in (`?roles=fresh`, at most
 * once in 15 s; `?roles=again` when the visitor asks). Then the path
 * without a language goes to the visitor's (cookie, Accept-Language, else
 * zh-CN).
 */
export default async function proxy(req: NextRequest) {
  const refresh = req.cookies.get(REFRESH_COOKIE)?.value;
  const roles = req.nextUrl.searchParams.get('roles');
  const wantsRoles = roles === 'again' || (roles === 'fresh' && !req.cookies.get(REFRESHED_COOKIE));
  let outcome: 'kept' | 'refreshed' | 'ended' = 'kept';
  let pair: Awaited<ReturnType<typeof refreshTokens>> = null;
  if (wantsRoles) req.cookies.set(REFRESHED_COOKIE, '1');
  if (refresh && (wantsRoles || secondsLeft(req.cookies.get(ACCESS_COOKIE)?.value) < 60)) {
    try {
      pair = await sharedRefresh(refresh);
      outcome = pair ? 'refreshed' : 'ended';
    } catch {
      // identity is down: the page renders signed out, the refresh is tried on the next request
    }
    if (pair) {
      req.cookies.set(ACCESS_COOKIE, pair.accessToken);
      req.cookies.set(REFRESH_COOKIE, pair.refreshToken);
    } else if (outcome === 'ended') {
      req.cookies.delete(ACCESS_COOKIE);
      req.cookies.delete(REFRESH_COOKIE);
    }
  }
  // a visitor without an id gets one now, seen by this page already (analytics counts views by it)
  const visitor = req.cookies.get(VISITOR_COOKIE)?.value;
  const newVisitor = visitor && VISITOR_ID.test(visitor) ? null : crypto.randomUUID().replace(/-/g, '');
  if (newVisitor) req.cookies.set(VISITOR_COOKIE, newVisitor);
  const res = intl(req);
  if (newVisitor) res.cookies.set(VISITOR_COOKIE, newVisitor, { httpOnly: true, sameSite: 'lax', secure: webConfig().SESSION_SECURE_COOKIES, path: '/', maxAge: 365 * 86_400 });
  if (wantsRoles) res.cookies.set(REFRESHED_COOKIE, '1', { httpOnly: true, sameSite: 'lax', path: '/', maxAge: 15 });
  if (pair) writeSession(res.cookies, pair);
  else if (outcome === 'ended') clearSession(res.cookies);
  return res;
}

export const config = {
  // pages only: not the API gateway, health endpoints, the sidecar's callbacks (/dapr/subscribe,
  // /dapr/config: a redirect there is an error in daprd's log), Next's files or anything with a dot
  matcher: ['/((?!api|healthz|readyz|dapr|_next|_vercel|.*\\..*).*)'],
};
