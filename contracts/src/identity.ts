import { z } from 'zod';
import { NonNegativeMoney } from './money';
import { defineEvent } from './events';

/** Identity: users, credentials, sessions, roles; B2B companies, their buyers and limits. */

export const Locale = z.enum(['zh-CN', 'en']).describe('UI language');
export type Locale = z.infer<typeof Locale>;

export const Role = z.enum(['shopper', 'merchant_owner', 'merchant_staff', 'platform_admin', 'company_admin', 'company_buyer']);
export type Role = z.infer<typeof Role>;

/** One role of a user; shop and company roles name their shop or company. */
export const Membership = z
  .object({
    role: Role,
    shopId: z.uuid().optional(),
    companyId: z.uuid().optional(),
  })
  .strict();
export type Membership = z.infer<typeof Membership>;

export const Email = z.email().max(254).describe('E-mail address; compared case-insensitively');
export const Phone = z
  .string()
  .regex(/^\+[1-9]\d{6,14}$/, 'must be an E.164 number such as +8613800138000')
  .describe('Phone number in E.164 form');
export const Password = z.string().min(10, 'must be at least 10 characters').max(128);

export const RegisterRequest = z
  .object({
    email: Email.optional(),
    phone: Phone.optional(),
    password: Password,
    displayName: z.string().trim().min(1).max(80),
    locale: Locale.default('zh-CN'),
  })
  .strict()
  .refine((r) => r.email !== undefined || r.phone !== undefined, { path: ['email'], message: 'an e-mail address or a phone number is required' });
export type RegisterRequest = z.infer<typeof RegisterRequest>;

export const LoginRequest = z
  .object({
    login: z.string().trim().min(3).max(254).describe('E-mail address or E.164 phone number'),
    password: z.string().min(1).max(128),
  })
  .strict();
export type LoginRequest = z.infer<typeof LoginRequest>;

export const RefreshRequest = z.object({ refreshToken: z.string().min(20).max(200) }).strict();
export type RefreshRequest = z.infer<typeof RefreshRequest>;

export const TokenPair = z
  .object({
    tokenType: z.literal('Bearer'),
    accessToken: z.string(),
    expiresIn: z.number().int().describe('Seconds until the access token expires'),
    refreshToken: z.string().describe('Single use: each refresh returns a new one; reusing an old one ends the session'),
    refreshExpiresIn: z.number().int(),
  })
  .strict();
export type TokenPair = z.infer<typeof TokenPair>;

export const User = z
  .object({
    id: z.uuid(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    displayName: z.string(),
    locale: Locale,
    /** YYYY-MM-DD; null until the user gives it (once) */
    birthday: z.iso.date().nullable(),
    roles: z.array(Membership),
    createdAt: z.iso.datetime(),
  })
  .strict();
export type User = z.infer<typeof User>;

export const Session = z.object({ user: User, tokens: TokenPair }).strict();

/** Who a user is, for another service that must know the user exists (e.g. before issuing a coupon to them). */
export const UserBrief = z.object({ id: z.uuid(), displayName: z.string(), locale: Locale, createdAt: z.iso.datetime() }).strict();
export type UserBrief = z.infer<typeof UserBrief>;

/** Where and how to write to a user: their e-mail (none for an account made by phone) and language, for notification's e-mail. */
export const UserContact = z.object({ id: z.uuid(), email: z.string().nullable(), displayName: z.string(), locale: Locale }).strict();
export type UserContact = z.infer<typeof UserContact>;
/** A user by the e-mail address or phone number they sign in with (platform admins). */
export const FindUserQuery = z.object({ login: z.string().trim().min(3).max(254) }).strict();
export type Session = z.infer<typeof Session>;

/** Claims of an access token (EdDSA JWT, keys published at /.well-known/jwks.json). */
export const AccessClaims = z.object({
  iss: z.literal('emporium-identity'),
  aud: z.literal('emporium'),
  sub: z.uuid(),
  email: z.string().nullable().describe('The account e-mail when it has one (invitations are matched on it)'),
  roles: z.array(Membership),
  iat: z.number().int(),
  exp: z.number().int(),
  jti: z.string(),
});
export type AccessClaims = z.infer<typeof AccessClaims>;

export const Jwks = z.object({
  keys: z.array(z.object({ kty: z.literal('OKP'), crv: z.literal('Ed25519'), x: z.string(), kid: z.string(), alg: z.literal('EdDSA'), use: z.literal('sig') })),
});
export type Jwks = z.infer<typeof Jwks>;

// ---- B2B companies -------------------------------------------------------

export const CompanyStatus = z.enum(['pending', 'approved', 'rejected']);

export const RegisterCompanyRequest = z
  .object({
    name: z.string().trim().min(2).max(120),
    taxId: z.string().trim().regex(/^[0-9A-Z]{8,20}$/, 'must be 8-20 digits or capital letters (e.g. a unified social credit code)'),
    contactEmail: Email,
    contactPhone: Phone.optional(),
    address: z.string().trim().min(5).max(300),
  })
  .strict();
export type RegisterCompanyRequest = z.infer<typeof RegisterCompanyRequest>;

export const Company = z
  .object({
    id: z.uuid(),
    name: z.string(),
    taxId: z.string(),
    contactEmail: z.string(),
    contactPhone: z.string().nullable(),
    address: z.string(),
    status: CompanyStatus,
    rejectionReason: z.string().nullable(),
    createdAt: z.iso.datetime(),
  })
  .strict();
export type Company = z.infer<typeof Company>;

export const CompanyDecisionRequest = z.discriminatedUnion('decision', [
  z.object({ decision: z.literal('approve') }).strict(),
  z.object({ decision: z.literal('reject'), reason: z.string().trim().min(3).max(500) }).strict(),
]);
export type CompanyDecisionRequest = z.infer<typeof CompanyDecisionRequest>;

export const InviteBuyerRequest = z
  .object({
    email: Email,
    spendingLimit: NonNegativeMoney.describe('Most one order may cost without approval'),
  })
  .strict();
export type InviteBuyerRequest = z.infer<typeof InviteBuyerRequest>;

export const Invitation = z
  .object({
    id: z.uuid(),
    companyId: z.uuid(),
    companyName: z.string(),
    email: z.string(),
    spendingLimit: NonNegativeMoney,
    status: z.enum(['pending', 'accepted', 'revoked']),
    createdAt: z.iso.datetime(),
  })
  .strict();
export type Invitation = z.infer<typeof Invitation>;

export const CompanyBuyer = z
  .object({
    userId: z.uuid(),
    companyId: z.uuid(),
    displayName: z.string(),
    email: z.string().nullable(),
    spendingLimit: NonNegativeMoney,
    joinedAt: z.iso.datetime(),
  })
  .strict();
export type CompanyBuyer = z.infer<typeof CompanyBuyer>;

export const SpendingLimitRequest = z.object({ spendingLimit: NonNegativeMoney }).strict();
export type SpendingLimitRequest = z.infer<typeof SpendingLimitRequest>;

// ---- events ---------------------------------------------------------------

export const IdentityEvents = [
  defineEvent('user.registered', 1, 'A person created an account', {
    userId: z.uuid(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    displayName: z.string(),
    locale: Locale,
  }),
  defineEvent('user.birthday-set', 1, 'A user gave their birthday (once)', { userId: z.uuid(), birthday: z.iso.date() }),
  defineEvent('company.registered', 1, 'A company applied to buy on invoice and company prices', {
    companyId: z.uuid(),
    name: z.string(),
    adminUserId: z.uuid(),
  }),
  defineEvent('company.approved', 1, 'An admin approved a company', { companyId: z.uuid(), name: z.string() }),
  defineEvent('company.rejected', 1, 'An admin rejected a company', { companyId: z.uuid(), name: z.string(), reason: z.string() }),
  defineEvent('company-buyer.joined', 1, 'A user accepted an invitation and buys for a company', {
    companyId: z.uuid(),
    userId: z.uuid(),
    spendingLimit: NonNegativeMoney,
  }),
  defineEvent('company-buyer.limit-changed', 1, "A company admin changed what one of its buyers' orders may cost", {
    companyId: z.uuid(),
    userId: z.uuid(),
    spendingLimit: NonNegativeMoney,
  }),
] as const;

// ---- address book ---------------------------------------------------------

/** Where a buyer's parcels go (mainland China format: province, city, district, street). */
/** A birthday: a real date in the past, from 1900 on. */
export const Birthday = z.iso
  .date()
  .refine((d) => d >= '1900-01-01', 'from 1900 on')
  .refine((d) => d <= new Date().toISOString().slice(0, 10), 'not in the future');

/**
 * What a user may change of their profile; e-mail and phone are login names and stay as registered.
 * The birthday is given once (a birthday coupon is not a thing to move around the calendar): giving
 * another one later is a 409.
 */
export const UpdateProfileRequest = z
  .object({ displayName: z.string().trim().min(1).max(80).optional(), locale: Locale.optional(), birthday: Birthday.optional() })
  .strict()
  .refine((r) => r.displayName !== undefined || r.locale !== undefined || r.birthday !== undefined, { message: 'change at least one field' });
export type UpdateProfileRequest = z.infer<typeof UpdateProfileRequest>;

/** A new password; every other session ends, and the caller gets a fresh pair. */
export const ChangePasswordRequest = z.object({ currentPassword: z.string().min(1).max(128), newPassword: Password }).strict();
export type ChangePasswordRequest = z.infer<typeof ChangePasswordRequest>;

export const AddressInput = z
  .object({
    recipient: z.string().trim().min(1).max(60),
    phone: Phone,
    province: z.string().trim().min(1).max(40),
    city: z.string().trim().min(1).max(40),
    district: z.string().trim().min(1).max(40),
    street: z.string().trim().min(3).max(200),
    postalCode: z.string().trim().regex(/^\d{6}$/, 'six digits').optional(),
    isDefault: z.boolean().default(false),
  })
  .strict();
export type AddressInput = z.infer<typeof AddressInput>;
export const Address = AddressInput.extend({ id: z.uuid(), postalCode: z.string().nullable(), createdAt: z.iso.datetime() }).strict();
export type Address = z.infer<typeof Address>;
