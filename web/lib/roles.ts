import { secondsLeft } from './session';

/**
 * The roles in an access token, to decide what to show. Unverified here on
 * purpose: the services verify every token they get, so a forged role shows
 * a page whose every call is refused.
 */
export function rolesOf(accessToken: string | undefined): { role: string; shopId?: string; companyId?: string }[] {
  if (!accessToken || secondsLeft(accessToken) === 0) return [];
  try {
    const claims = JSON.parse(Buffer.from(accessToken.split('.')[1] ?? '', 'base64url').toString('utf8')) as { roles?: unknown };
    return Array.isArray(claims.roles) ? (claims.roles as { role: string }[]) : [];
  } catch {
    return [];
  }
}
