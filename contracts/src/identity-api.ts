import { defineOperations, type ApiOperation } from './operation';
import { IdentityStats } from './dashboard';
import { listOf as items } from './list';
import {
  Address,
  AddressInput,
  ChangePasswordRequest,
  Company,
  CompanyBuyer,
  CompanyDecisionRequest,
  Invitation,
  InviteBuyerRequest,
  Jwks,
  LoginRequest,
  RefreshRequest,
  RegisterCompanyRequest,
  RegisterRequest,
  Session,
  SpendingLimitRequest,
  TokenPair,
  UserBrief,
  UserContact,
  UpdateProfileRequest,
  User,
} from './identity';

const app = 'identity' as const;

/** identity's HTTP operations (served through its sidecar; the gateway exposes them under /api/v1). */
export const IdentityPublic = defineOperations({
  register: { operationId: 'register', method: 'post', path: '/auth/register', appId: app, access: 'anyone', summary: 'Create a shopper account and sign in', request: RegisterRequest, idempotent: true,
    responses: { 201: { description: 'Signed in', schema: Session }, 409: { description: 'The e-mail or phone is taken' } } },
  logIn: { operationId: 'logIn', method: 'post', path: '/auth/login', appId: app, access: 'anyone', summary: 'Log in by e-mail or phone', request: LoginRequest,
    responses: { 200: { description: 'Tokens', schema: TokenPair }, 401: { description: 'Wrong login or password' }, 429: { description: 'Too many failures; see Retry-After' } } },
  refresh: { operationId: 'refresh', method: 'post', path: '/auth/refresh', appId: app, access: 'anyone', summary: 'Trade a refresh token for a new pair (single use; reuse ends the session)', request: RefreshRequest,
    responses: { 200: { description: 'Tokens', schema: TokenPair }, 401: { description: 'Ended, expired or reused' } } },
  logOut: { operationId: 'logOut', method: 'post', path: '/auth/logout', appId: app, access: 'anyone', summary: 'End the session of a refresh token', request: RefreshRequest,
    responses: { 204: { description: 'Ended' } } },
  jwks: { operationId: 'jwks', method: 'get', path: '/.well-known/jwks.json', appId: app, access: 'anyone', callers: ['shop', 'catalog', 'inventory', 'cart', 'order', 'payment', 'marketing', 'membership', 'search', 'analytics', 'notification', 'logistics'], summary: 'Keys that verify access tokens', responses: { 200: { description: 'JWK set', schema: Jwks } } },
  listAddresses: { operationId: 'listAddresses', method: 'get', path: '/me/addresses', appId: app, summary: 'My address book, the default first', responses: { 200: { description: 'Addresses', schema: items(Address) } } },
  addAddress: { operationId: 'addAddress', method: 'post', path: '/me/addresses', appId: app, summary: 'Add an address (the first becomes the default)', request: AddressInput, idempotent: true,
    responses: { 201: { description: 'Address', schema: Address } } },
  replaceAddress: { operationId: 'replaceAddress', method: 'put', path: '/me/addresses/:addressId', appId: app, summary: 'Change an address (isDefault: true makes it the default); orders keep their copy', request: AddressInput, responses: { 200: { description: 'Address', schema: Address } } },
  removeAddress: { operationId: 'removeAddress', method: 'delete', path: '/me/addresses/:addressId', appId: app, summary: 'Remove an address (the oldest left becomes the default)', responses: { 204: { description: 'Removed' } } },
  me: { operationId: 'me', method: 'get', path: '/me', appId: app, summary: 'The signed-in user and roles', responses: { 200: { description: 'User', schema: User } } },
  updateProfile: { operationId: 'updateProfile', method: 'patch', path: '/me', appId: app, summary: 'Change my display name or language', request: UpdateProfileRequest, responses: { 200: { description: 'User', schema: User } } },
  changePassword: { operationId: 'changePassword', method: 'post', path: '/me/password', appId: app, summary: 'Change my password: every other session ends, and this one gets a new pair', request: ChangePasswordRequest, idempotent: true,
    responses: { 200: { description: 'New tokens', schema: TokenPair }, 400: { description: 'currentPassword is wrong, or the new one too short' }, 429: { description: 'Too many wrong passwords' } } },
  myInvitations: { operationId: 'myInvitations', method: 'get', path: '/me/invitations', appId: app, summary: 'Open company invitations for my e-mail', responses: { 200: { description: 'Invitations', schema: items(Invitation) } } },
  acceptInvitation: { operationId: 'acceptInvitation', method: 'post', path: '/me/invitations/:invitationId/accept', appId: app, summary: 'Join a company as a buyer', idempotent: true,
    responses: { 201: { description: 'Joined', schema: CompanyBuyer } } },
  registerCompany: { operationId: 'registerCompany', method: 'post', path: '/companies', appId: app, summary: 'Apply for a company account; the caller becomes its admin', request: RegisterCompanyRequest, idempotent: true,
    responses: { 201: { description: 'Pending review', schema: Company } } },
  getCompany: { operationId: 'getCompany', method: 'get', path: '/companies/:companyId', appId: app, summary: 'A company (its admin or a platform admin)', responses: { 200: { description: 'Company', schema: Company } } },
  inviteBuyer: { operationId: 'inviteBuyer', method: 'post', path: '/companies/:companyId/invitations', appId: app, summary: 'Invite a buyer with a spending limit', request: InviteBuyerRequest, idempotent: true,
    responses: { 201: { description: 'Invited', schema: Invitation } } },
  listBuyers: { operationId: 'listBuyers', method: 'get', path: '/companies/:companyId/buyers', appId: app, summary: 'Buyers of a company', responses: { 200: { description: 'Buyers', schema: items(CompanyBuyer) } } },
  setSpendingLimit: { operationId: 'setSpendingLimit', method: 'put', path: '/companies/:companyId/buyers/:userId/spending-limit', appId: app, summary: "Set a buyer's spending limit", request: SpendingLimitRequest,
    responses: { 200: { description: 'Buyer', schema: CompanyBuyer } } },
  listCompanies: { operationId: 'listCompanies', method: 'get', path: '/admin/companies', appId: app, summary: 'Companies, optionally by status (platform admin)', responses: { 200: { description: 'Companies', schema: items(Company) } } },
  decideCompany: { operationId: 'decideCompany', method: 'post', path: '/admin/companies/:companyId/decision', appId: app, summary: 'Approve or reject a company (platform admin)', request: CompanyDecisionRequest, idempotent: true,
    responses: { 200: { description: 'Decided', schema: Company }, 409: { description: 'Decided already' } } },
  findUser: { operationId: 'findUser', method: 'get', path: '/admin/users', appId: app, summary: 'A user by the e-mail address or phone number they sign in with (login=…; platform admin)',
    responses: { 200: { description: 'The user', schema: UserBrief }, 404: { description: 'No such user' } } },
  identityStats: { operationId: 'identityStats', method: 'get', path: '/admin/stats/identity', appId: app, summary: 'How many users, and companies per status (platform admin)', responses: { 200: { description: 'Counts', schema: IdentityStats } } },
});
export const IdentityOperations: readonly ApiOperation[] = Object.values(IdentityPublic);


/** Called by other services through their sidecars (never routed by the gateway). */
export const IdentityInternal = defineOperations({
  addressForOrder: { operationId: 'addressForOrder', method: 'get', path: '/internal/users/:userId/addresses/:addressId', appId: app, internal: true, callers: ['order'], summary: "One of a user's addresses, for the order's snapshot",
    responses: { 200: { description: 'Address', schema: Address }, 404: { description: 'Not an address of this user' } } },
  userBrief: { operationId: 'userBrief', method: 'get', path: '/internal/users/:userId', appId: app, internal: true, callers: ['marketing', 'membership'], summary: 'That a user exists, with their name and language',
    responses: { 200: { description: 'The user', schema: UserBrief }, 404: { description: 'No such user' } } },
  userContact: { operationId: 'userContact', method: 'get', path: '/internal/contacts/:userId', appId: app, internal: true, callers: ['notification'], summary: "A user's e-mail address and language, to write to them",
    responses: { 200: { description: 'The contact', schema: UserContact }, 404: { description: 'No such user' } } },
});
