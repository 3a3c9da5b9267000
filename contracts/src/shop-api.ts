import { defineOperations, type ApiOperation } from './operation';
import { ShopStats } from './dashboard';
import { listOf as items } from './list';
import {
  ApplyShopRequest,
  CommissionRequest,
  InviteStaffRequest,
  MAX_OPEN_STAFF_INVITATIONS,
  PublicShop,
  Shop,
  ShopDecisionRequest,
  StaffInvitation,
  ShopStaffIds,
  StaffMember,
  SuspendShopRequest,
  UpdateShopRequest,
} from './shops';

const app = 'shop' as const;

/** shop's HTTP operations. */
export const ShopPublic = defineOperations({
  getPublicShop: { operationId: 'getPublicShop', method: 'get', path: '/public/shops/:shopId', appId: app, access: 'anyone', summary: 'An approved shop as shoppers see it', responses: { 200: { description: 'Shop', schema: PublicShop } } },
  applyForShop: { operationId: 'applyForShop', method: 'post', path: '/shops', appId: app, summary: 'Apply to open a shop', request: ApplyShopRequest, idempotent: true,
    responses: { 201: { description: 'Pending review', schema: Shop }, 409: { description: 'An application is open already' } } },
  myShops: { operationId: 'myShops', method: 'get', path: '/shops/mine', appId: app, summary: 'Shops I own or work for', responses: { 200: { description: 'Shops', schema: items(Shop.extend({ myRole: StaffMember.shape.role })) } } },
  getShop: { operationId: 'getShop', method: 'get', path: '/shops/:shopId', appId: app, summary: 'A shop (its owner, staff or an admin)', responses: { 200: { description: 'Shop', schema: Shop } } },
  updateShop: { operationId: 'updateShop', method: 'patch', path: '/shops/:shopId', appId: app, summary: "Change the shop's profile (owner)", request: UpdateShopRequest, responses: { 200: { description: 'Shop', schema: Shop } } },
  inviteStaff: { operationId: 'inviteStaff', method: 'post', path: '/shops/:shopId/staff-invitations', appId: app, summary: `Invite staff by e-mail (owner); at most ${MAX_OPEN_STAFF_INVITATIONS} open at once`, request: InviteStaffRequest, idempotent: true,
    responses: { 201: { description: 'Invited', schema: StaffInvitation }, 409: { description: 'This address has an open invitation (invitation_exists), or the shop has as many open as it may (invitation_limit: revoke one first)' } } },
  revokeStaffInvitation: { operationId: 'revokeStaffInvitation', method: 'post', path: '/shops/:shopId/staff-invitations/:invitationId/revoke', appId: app, summary: 'Withdraw an invitation nobody has accepted (owner); one revoked already answers as it is', idempotent: true,
    responses: { 200: { description: 'Revoked', schema: StaffInvitation }, 409: { description: 'Accepted already' } } },
  listShopStaffInvitations: { operationId: 'listShopStaffInvitations', method: 'get', path: '/shops/:shopId/staff-invitations', appId: app, summary: "The shop's invitations not yet accepted (its owner)", responses: { 200: { description: 'Invitations', schema: items(StaffInvitation) } } },
  listStaff: { operationId: 'listStaff', method: 'get', path: '/shops/:shopId/staff', appId: app, summary: 'Staff of a shop', responses: { 200: { description: 'Staff', schema: items(StaffMember) } } },
  myStaffInvitations: { operationId: 'myStaffInvitations', method: 'get', path: '/me/staff-invitations', appId: app, summary: 'Open staff invitations for my e-mail', responses: { 200: { description: 'Invitations', schema: items(StaffInvitation) } } },
  acceptStaffInvitation: { operationId: 'acceptStaffInvitation', method: 'post', path: '/me/staff-invitations/:invitationId/accept', appId: app, summary: 'Join a shop as staff', idempotent: true,
    responses: { 201: { description: 'Joined', schema: StaffMember } } },
  listShops: { operationId: 'listShops', method: 'get', path: '/admin/shops', appId: app, summary: 'Shops, optionally by status (platform admin)', responses: { 200: { description: 'Shops', schema: items(Shop) } } },
  decideShop: { operationId: 'decideShop', method: 'post', path: '/admin/shops/:shopId/decision', appId: app, summary: 'Approve (optionally with a commission) or reject with a reason', request: ShopDecisionRequest, idempotent: true,
    responses: { 200: { description: 'Decided', schema: Shop }, 409: { description: 'Not pending' } } },
  setCommission: { operationId: 'setCommission', method: 'put', path: '/admin/shops/:shopId/commission', appId: app, summary: "Set a shop's commission (platform admin)", request: CommissionRequest, responses: { 200: { description: 'Shop', schema: Shop } } },
  suspendShop: { operationId: 'suspendShop', method: 'post', path: '/admin/shops/:shopId/suspend', appId: app, summary: 'Suspend a shop: its products leave the storefront', request: SuspendShopRequest, idempotent: true,
    responses: { 200: { description: 'Suspended', schema: Shop }, 409: { description: 'Not approved' } } },
  resumeShop: { operationId: 'resumeShop', method: 'post', path: '/admin/shops/:shopId/resume', appId: app, summary: 'Resume a suspended shop', idempotent: true, responses: { 200: { description: 'Approved again', schema: Shop } } },
  shopStats: { operationId: 'shopStats', method: 'get', path: '/admin/stats/shops', appId: app, summary: 'Shops per status (platform admin)', responses: { 200: { description: 'Counts', schema: ShopStats } } },
});
export const ShopOperations: readonly ApiOperation[] = Object.values(ShopPublic);

/** Called by other services through their sidecars (never routed by the gateway). */
export const ShopInternal = defineOperations({
  shopStaffIds: { operationId: 'shopStaffIds', method: 'get', path: '/internal/shops/:shopId/staff', appId: app, internal: true, callers: ['notification'], summary: "Who works for a shop (owner first), to write to them about the shop's inbox",
    responses: { 200: { description: 'Staff', schema: ShopStaffIds }, 404: { description: 'No such shop' } } },
});
