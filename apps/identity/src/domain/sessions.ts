import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Transaction } from '@emporium/kit';
import type { TokenPair } from '@emporium/contracts';
import { signAccessToken, UnauthenticatedError } from '@emporium/kit';
import type { IdentityContext } from './identity-context';

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export class RefreshTokenReusedError extends UnauthenticatedError {
  override readonly code = 'refresh_token_reused';
}

/** Issues an access token and a refresh token; `familyId` continues a session, none starts one. */
export async function issueTokens(ctx: IdentityContext, userId: string, t: Transaction, familyId: string = randomUUID()): Promise<TokenPair> {
  const keys = await ctx.keys();
  const roles = await ctx.users.memberships(userId, t);
  const user = await ctx.users.byId(userId, t);
  const refreshToken = randomBytes(32).toString('base64url');
  const refreshTtl = ctx.settings.refreshTtlDays * 86_400;
  await ctx.sessions.insertToken(
    { id: randomUUID(), familyId, userId, tokenHash: hashToken(refreshToken), expiresAt: new Date(Date.now() + refreshTtl * 1000) },
    t,
  );
  return {
    tokenType: 'Bearer',
    accessToken: signAccessToken({ sub: userId, email: user?.email ?? null, roles }, keys.privateKey, keys.publicKey, ctx.settings.accessTtlSeconds),
    expiresIn: ctx.settings.accessTtlSeconds,
    refreshToken,
    refreshExpiresIn: refreshTtl,
  };
}

/**
 * Trades a refresh token for a new pair. Each refresh token works once: a
 * token presented again (stolen, or replayed) revokes its whole family, so
 * both the thief and the owner must log in again. The one exception is a
 * short grace after rotation (`refreshReuseGraceSeconds`, as Auth0's reuse
 * interval): a browser that loads several pages at once sends the same
 * token from each, through any web replica, and all but the first would
 * otherwise end the session. Within the grace the late ones get a pair of
 * their own in the same family.
 */
export async function refreshSession(ctx: IdentityContext, refreshToken: string): Promise<TokenPair> {
  const outcome = await ctx.db.transaction(async (t) => {
    const token = await ctx.sessions.lockByHash(hashToken(refreshToken), t);
    if (!token || token.revokedAt) return { error: new UnauthenticatedError('the session has ended; log in again') };
    if (token.replacedAt && Date.now() - token.replacedAt.getTime() < ctx.settings.refreshReuseGraceSeconds * 1000 && token.expiresAt.getTime() > Date.now()) {
      return { pair: await issueTokens(ctx, token.userId, t, token.familyId) };
    }
    if (token.replacedAt) {
      await ctx.sessions.revokeFamily(token.familyId, t);
      ctx.logger.warn({ userId: token.userId, familyId: token.familyId }, 'refresh token reused; session family revoked');
      return { error: new RefreshTokenReusedError('this refresh token was used already; every session from it has ended') };
    }
    if (token.expiresAt.getTime() <= Date.now()) return { error: new UnauthenticatedError('the session has expired; log in again') };
    await ctx.sessions.markReplaced(token.id, t);
    return { pair: await issueTokens(ctx, token.userId, t, token.familyId) };
  });
  // the revocation above must commit, so the error is thrown only after the transaction
  if (outcome.error) throw outcome.error;
  return outcome.pair;
}

/** Ends the session the refresh token belongs to. Unknown tokens are ignored (log-out is idempotent). */
export async function logOut(ctx: IdentityContext, refreshToken: string): Promise<void> {
  await ctx.db.transaction(async (t) => {
    const token = await ctx.sessions.lockByHash(hashToken(refreshToken), t);
    if (token) await ctx.sessions.revokeFamily(token.familyId, t);
  });
}
