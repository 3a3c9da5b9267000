import { IdentityPublic, pathOf, TokenPair } from '@emporium/contracts';
import { config } from './config';

/**
 * The shopper's session: identity's tokens in two httpOnly, SameSite=Lax
 * cookies, never readable by scripts. The proxy (proxy.ts) refreshes the
 * access token before it runs out, so pages always see a live one; a refresh
 * token that identity refuses ends the session.
 */
export const ACCESS_COOKIE = 'emporium_at';
export const REFRESH_COOKIE = 'emporium_rt';
/** Set for a few seconds by the proxy when a page asked for new roles (?roles=fresh), so it does not ask again in a loop. */
export const REFRESHED_COOKIE = 'emporium_refreshed';

/**
 * A first-party visitor id (random, no personal data), kept a year: what
 * analytics counts product views and carts by. Set by the proxy on the first
 * page; pages only read it.
 */
export const VISITOR_COOKIE = 'emporium_vid';
export const VISITOR_ID = /^[A-Za-z0-9_-]{16,64}$/;

export interface CookieJar {
  set(name: string, value: string, options: { httpOnly: boolean; sameSite: 'lax'; secure: boolean; path: string; maxAge: number }): unknown;
  delete(name: string): unknown;
}

export function writeSession(jar: CookieJar, pair: TokenPair): void {
  const secure = config().SESSION_SECURE_COOKIES;
  jar.set(ACCESS_COOKIE, pair.accessToken, { httpOnly: true, sameSite: 'lax', secure, path: '/', maxAge: pair.expiresIn });
  jar.set(REFRESH_COOKIE, pair.refreshToken, { httpOnly: true, sameSite: 'lax', secure, path: '/', maxAge: pair.refreshExpiresIn });
}

export function clearSession(jar: CookieJar): void {
  jar.delete(ACCESS_COOKIE);
  jar.delete(REFRESH_COOKIE);
}

/**
 * The claims of an access token, unverified: web reads them only to decide
 * what to show and when to refresh; the services verify every token they get.
 */
export function claimsOf(accessToken: string | undefined): { exp?: unknown; roles?: unknown } {
  if (!accessToken) return {};
  try {
    return JSON.parse(Buffer.from(accessToken.split('.')[1] ?? '', 'base64url').toString('utf8')) as { exp?: unknown; roles?: unknown };
  } catch {
    return {};
  }
}

/** Seconds the access token has left (its `exp`); 0 when unreadable. */
export function secondsLeft(accessToken: string | undefined, now = Date.now()): number {
  const { exp } = claimsOf(accessToken);
  return typeof exp === 'number' ? Math.max(0, exp - Math.floor(now / 1000)) : 0;
}

/** identity's new pair for a refresh token, through web's sidecar; null when identity refuses it. */
export async function refreshTokens(refreshToken: string): Promise<TokenPair | null> {
  const { DAPR_HOST, DAPR_HTTP_PORT, DAPR_API_TOKEN, GATEWAY_TIMEOUT_MS } = config();
  // the proxy cannot use lib/data (server-only): the registry still names the app and the path
  const op = IdentityPublic.refresh;
  const res = await fetch(`http://${DAPR_HOST}:${DAPR_HTTP_PORT}/v1.0/invoke/${op.appId}/method${pathOf(op)}`, {
    method: op.method.toUpperCase(),
    headers: { 'content-type': 'application/json', ...(DAPR_API_TOKEN ? { 'dapr-api-token': DAPR_API_TOKEN } : {}) },
    body: JSON.stringify({ refreshToken }),
    signal: AbortSignal.timeout(GATEWAY_TIMEOUT_MS),
  });
  if (res.status === 401 || res.status === 400 || res.status === 403) return null;
  if (!res.ok) throw new Error(`identity answered ${res.status} to a refresh`);
  return TokenPair.parse(await res.json());
}
