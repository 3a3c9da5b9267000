import { randomUUID } from 'node:crypto';
import type { ChangePasswordRequest, LoginRequest, RegisterRequest, Session, TokenPair, UpdateProfileRequest, User, UserBrief, UserContact } from '@emporium/contracts';
import { ConflictError, NotFoundError, RefusedError, TooManyRequestsError, UnauthenticatedError, ValidationError } from '@emporium/kit';
import type { UserRecord } from '../data/user-repository';
import type { IdentityContext } from './identity-context';
import { decoyHash, hashPassword, verifyPassword } from './passwords';
import { issueTokens } from './sessions';

export class AccountExistsError extends ConflictError {
  override readonly code = 'account_exists';
}

export async function userView(ctx: IdentityContext, user: UserRecord): Promise<User> {
  return {
    id: user.id,
    email: user.email,
    phone: user.phone,
    displayName: user.displayName,
    locale: user.locale,
    birthday: user.birthday,
    roles: await ctx.users.memberships(user.id),
    createdAt: user.createdAt.toISOString(),
  };
}

/** A shopper account; signed in at once. The user, its role, its first session and the event commit together. */
export async function registerUser(ctx: IdentityContext, input: RegisterRequest): Promise<Session> {
  const passwordHash = await hashPassword(input.password, ctx.settings.scryptCost);
  const id = randomUUID();
  const email = input.email?.toLowerCase() ?? null;
  const tokens = await ctx.db.transaction(async (t) => {
    const inserted = await ctx.users.insert({ id, email, phone: input.phone ?? null, passwordHash, displayName: input.displayName, locale: input.locale }, t);
    if (!inserted) throw new AccountExistsError('an account with this e-mail address or phone number exists');
    await ctx.users.grant(id, 'shopper', null, t);
    await ctx.events.stage(t, 'user.registered', { userId: id, email, phone: input.phone ?? null, displayName: input.displayName, locale: input.locale });
    return issueTokens(ctx, id, t);
  });
  const user = await ctx.users.byId(id);
  return { user: await userView(ctx, user!), tokens };
}

/** A user by their login (e-mail address or phone number), for platform admins (404 when none). */
export async function findUser(ctx: IdentityContext, login: string): Promise<UserBrief> {
  const user = await ctx.users.byLogin(login);
  if (!user) throw new NotFoundError('no user signs in with this');
  return userBrief(ctx, user.id);
}

/** That a user exists, for another service (404 when not). */
export async function userContact(ctx: IdentityContext, userId: string): Promise<UserContact> {
  const user = await ctx.users.byId(userId);
  if (!user) throw new NotFoundError('no such user');
  return { id: user.id, email: user.email, displayName: user.displayName, locale: user.locale };
}

export async function userBrief(ctx: IdentityContext, userId: string): Promise<UserBrief> {
  const user = await ctx.users.byId(userId);
  if (!user) throw new NotFoundError('no such user');
  return { id: user.id, displayName: user.displayName, locale: user.locale, createdAt: user.createdAt.toISOString() };
}

/**
 * Logs in by e-mail or phone. Failures are counted per account and per client
 * address; past the limit the answer is 429 with Retry-After, even for the
 * right password. The error never says which of login or password was wrong.
 */
export async function logIn(ctx: IdentityContext, input: LoginRequest, clientAddress: string): Promise<TokenPair> {
  const { loginWindowSeconds: window, maxFailuresPerAccount, maxFailuresPerAddress } = ctx.settings;
  const accountKey = `account:${input.login.toLowerCase()}`;
  const addressKey = `address:${clientAddress}`;
  // counted as a failure until the password proves otherwise, so guesses sent side by side count each other
  const attempt = randomUUID();
  const [accountFailures, addressFailures] = await ctx.sessions.claimAttempt(attempt, [accountKey, addressKey], window);
  if (accountFailures! > maxFailuresPerAccount || addressFailures! > maxFailuresPerAddress) {
    await ctx.sessions.withdrawAttempt(attempt);
    throw new TooManyRequestsError('too many failed log-ins; try again later', window);
  }
  const user = await ctx.users.byLogin(input.login);
  const ok = await verifyPassword(input.password, user?.passwordHash ?? (await decoyHash(ctx.settings.scryptCost)));
  if (!user || !ok) throw new UnauthenticatedError('the login or the password is wrong');
  await ctx.sessions.withdrawAttempt(attempt);
  await ctx.sessions.clearFailures(accountKey);
  return ctx.db.transaction((t) => issueTokens(ctx, user.id, t));
}

export async function me(ctx: IdentityContext, userId: string): Promise<User> {
  const user = await ctx.users.byId(userId);
  if (!user) throw new NotFoundError('no such user');
  return userView(ctx, user);
}

/** Changes the caller's profile. A birthday is given once: the same again changes nothing, another one is refused; the first is told by event (membership's birthday coupon). */
export async function updateProfile(ctx: IdentityContext, userId: string, change: UpdateProfileRequest): Promise<User> {
  await ctx.db.transaction(async (t) => {
    const user = await ctx.users.lock(userId, t);
    if (!user) throw new NotFoundError('no such user');
    const newBirthday = change.birthday !== undefined && user.birthday === null;
    if (change.birthday !== undefined && user.birthday !== null && user.birthday !== change.birthday) throw new RefusedError('birthday_locked', 'birthday', 'the birthday was given already and cannot be changed');
    await ctx.users.updateProfile(userId, change, t);
    if (newBirthday) await ctx.events.stage(t, 'user.birthday-set', { userId, birthday: change.birthday! });
  });
  return me(ctx, userId);
}

/**
 * A new password for a user who knows the current one. Wrong guesses count
 * against the same limit as log-ins (429 past it). Every session of the user
 * ends, and the caller gets a new pair for theirs, in one transaction.
 */
export async function changePassword(ctx: IdentityContext, userId: string, input: ChangePasswordRequest): Promise<TokenPair> {
  const { loginWindowSeconds: window, maxFailuresPerAccount } = ctx.settings;
  const key = `password:${userId}`;
  const user = await ctx.users.byId(userId);
  if (!user) throw new NotFoundError('no such user');
  // a wrong guess until the password proves otherwise, as for log-ins
  const attempt = randomUUID();
  const [failures] = await ctx.sessions.claimAttempt(attempt, [key], window);
  if (failures! > maxFailuresPerAccount) {
    await ctx.sessions.withdrawAttempt(attempt);
    throw new TooManyRequestsError('too many wrong passwords; try again later', window);
  }
  if (!(await verifyPassword(input.currentPassword, user.passwordHash))) {
    throw new ValidationError([{ field: 'currentPassword', code: 'wrong_password', message: 'this is not your current password' }]);
  }
  await ctx.sessions.withdrawAttempt(attempt);
  const passwordHash = await hashPassword(input.newPassword, ctx.settings.scryptCost);
  return ctx.db.transaction(async (t) => {
    await ctx.users.setPasswordHash(userId, passwordHash, t);
    await ctx.sessions.revokeAllOf(userId, t);
    return issueTokens(ctx, userId, t);
  });
}

/**
 * The platform admin: made by the seed script (or `node dist/cli/create-admin.js`),
 * never by a public route. Existing accounts get the role added.
 */
export async function ensurePlatformAdmin(
  ctx: Pick<IdentityContext, 'db' | 'users'> & { settings: Pick<IdentityContext['settings'], 'scryptCost'> },
  input: { email: string; password: string; displayName: string }): Promise<string> {
  const existing = await ctx.users.byLogin(input.email);
  if (existing) {
    await ctx.users.grant(existing.id, 'platform_admin', null);
    return existing.id;
  }
  const id = randomUUID();
  const passwordHash = await hashPassword(input.password, ctx.settings.scryptCost);
  await ctx.db.transaction(async (t) => {
    await ctx.users.insert({ id, email: input.email.toLowerCase(), phone: null, passwordHash, displayName: input.displayName, locale: 'zh-CN' }, t);
    await ctx.users.grant(id, 'platform_admin', null, t);
  });
  return id;
}
