import { claimsOf, secondsLeft } from './session';

/**
 * The roles in a live access token, to decide what to show. Unverified on
 * purpose: the services verify every token they get, so a forged role shows
 * a page whose every call is refused.
 */
export function rolesOf(accessToken: string | undefined): { role: string; shopId?: string; companyId?: string }[] {
  if (secondsLeft(accessToken) === 0) return [];
  const { roles } = claimsOf(accessToken);
  return Array.isArray(roles) ? (roles as { role: string }[]) : [];
}
