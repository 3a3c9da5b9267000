import 'server-only';
import { cookies, headers } from 'next/headers';
import { type z } from 'zod';
import { type TokenPair, type User, type AddressInput, type ChangePasswordRequest, type UpdateProfileRequest, IdentityPublic } from '@emporium/contracts';
import { ACCESS_COOKIE, REFRESH_COOKIE } from '../session';
import { call, ServiceError } from './sidecar';

/** The access token of this request's session (the proxy has refreshed it), if any. */
export async function sessionToken(): Promise<string | undefined> {
  return (await cookies()).get(ACCESS_COOKIE)?.value;
}

export async function refreshTokenOfSession(): Promise<string | undefined> {
  return (await cookies()).get(REFRESH_COOKIE)?.value;
}

/**
 * identity's tokens for a login and password; null when identity refuses them (429 is thrown on).
 * identity counts failed sign-ins per client address: the shopper's, as web's server found it
 * (web/gateway/src/main.ts), goes along, or every shopper would share web's one address.
 */
export async function logIn(login: string, password: string): Promise<TokenPair | null> {
  const address = (await headers()).get('x-forwarded-for');
  try {
    return await call(IdentityPublic.logIn, { body: { login, password }, ...(address ? { headers: { 'x-forwarded-for': address } } : {}) });
  } catch (err) {
    if (err instanceof ServiceError && (err.status === 401 || err.status === 400)) return null;
    throw err;
  }
}

export async function logOut(refreshToken: string): Promise<void> {
  await call(IdentityPublic.logOut, { body: { refreshToken } }).catch(() => undefined);
}

/** The signed-in user, or null when the session is gone. */
export async function me(): Promise<z.infer<typeof User> | null> {
  const token = await sessionToken();
  if (!token) return null;
  try {
    return await call(IdentityPublic.me, { token });
  } catch (err) {
    if (err instanceof ServiceError && err.status === 401) return null;
    throw err;
  }
}

export async function updateProfile(token: string, change: UpdateProfileRequest) {
  return call(IdentityPublic.updateProfile, { token, body: change });
}

/** identity's new pair for this session; every other session of the user has ended. */
export async function changePassword(token: string, key: string, body: ChangePasswordRequest) {
  return call(IdentityPublic.changePassword, { token, body, headers: { 'idempotency-key': key } });
}

export async function replaceAddress(token: string, addressId: string, input: AddressInput) {
  return call(IdentityPublic.replaceAddress, { params: { addressId }, token, body: input });
}

export async function removeAddress(token: string, addressId: string) {
  await call(IdentityPublic.removeAddress, { params: { addressId }, token });
}
