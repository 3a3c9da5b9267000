import { randomUUID } from 'node:crypto';
import type { Transaction } from '@emporium/kit';
import type {
  ApplyShopRequest,
  InviteStaffRequest,
  PublicShop,
  Shop,
  ShopDecisionRequest,
  ShopStatus,
  ShopStaffIds,
  StaffInvitation,
  StaffMember,
  UpdateShopRequest,
} from '@emporium/contracts';
import { MAX_OPEN_STAFF_INVITATIONS } from '@emporium/contracts';
import { ConflictError, ForbiddenError, hasRole, NotFoundError, type Principal } from '@emporium/kit';
import type { ShopRecord } from '../data/shop-repository';
import type { ShopContext } from './shop-context';

export class ApplicationOpenError extends ConflictError {
  override readonly code = 'application_open';
}
export class ShopTransitionError extends ConflictError {
  override readonly code = 'shop_status_conflict';
}
export class InvitationExistsError extends ConflictError {
  override readonly code = 'invitation_exists';
}

export class InvitationLimitError extends ConflictError {
  override readonly code = 'invitation_limit';
}

type Access = 'admin' | 'owner' | 'staff';

/** Who the caller is to this shop. Anyone else gets 404, as if the shop did not exist. */
async function accessTo(ctx: ShopContext, caller: Principal, shopId: string): Promise<{ shop: ShopRecord; access: Access }> {
  const shop = await ctx.shops.byId(shopId);
  if (shop) {
    if (hasRole(caller, 'platform_admin')) return { shop, access: 'admin' };
    if (shop.ownerUserId === caller.userId) return { shop, access: 'owner' };
    if (await ctx.shops.staffRole(shopId, caller.userId)) return { shop, access: 'staff' };
  }
  throw new NotFoundError('no such shop');
}

function view(shop: ShopRecord, access: Access): Shop {
  const account = shop.settlementAccount;
  return {
    id: shop.id,
    ownerUserId: shop.ownerUserId,
    name: shop.name,
    description: shop.description,
    contactEmail: shop.contactEmail,
    contactPhone: shop.contactPhone,
    status: shop.status,
    statusReason: shop.statusReason,
    commissionBps: shop.commissionBps,
    settlementAccount: access === 'staff' ? { ...account, accountNumber: `****${account.accountNumber.slice(-4)}` } : account,
    createdAt: shop.createdAt.toISOString(),
  };
}

/** A signed-in user applies to open a shop; an admin reviews it. */
export async function applyForShop(ctx: ShopContext, caller: Principal, input: ApplyShopRequest): Promise<Shop> {
  const id = randomUUID();
  await ctx.db.transaction(async (t) => {
    const created = await ctx.shops.insert({ id, ownerUserId: caller.userId, ...input, commissionBps: ctx.defaultCommissionBps }, t);
    if (!created) throw new ApplicationOpenError('you have an application under review already');
    await ctx.events.stage(t, 'shop.applied', { shopId: id, ownerUserId: caller.userId, name: input.name });
  });
  return view((await ctx.shops.byId(id))!, 'owner');
}

export async function getShop(ctx: ShopContext, caller: Principal, shopId: string): Promise<Shop> {
  const { shop, access } = await accessTo(ctx, caller, shopId);
  return view(shop, access);
}

/** What the storefront shows: approved shops only. */
export async function getPublicShop(ctx: ShopContext, shopId: string): Promise<PublicShop> {
  const shop = await ctx.shops.byId(shopId);
  if (shop?.status !== 'approved') throw new NotFoundError('no such shop');
  return { id: shop.id, name: shop.name, description: shop.description, status: shop.status };
}

export async function myShops(ctx: ShopContext, caller: Principal): Promise<(Shop & { myRole: StaffMember['role'] })[]> {
  return (await ctx.shops.ofUser(caller.userId)).map(({ shop, role }) => ({ ...view(shop, role === 'merchant_owner' ? 'owner' : 'staff'), myRole: role }));
}

export async function updateShop(ctx: ShopContext, caller: Principal, shopId: string, input: UpdateShopRequest): Promise<Shop> {
  const { access } = await accessTo(ctx, caller, shopId);
  if (access === 'staff') throw new ForbiddenError('only the owner changes the shop profile');
  await ctx.db.transaction((t) => ctx.shops.updateProfile(shopId, input, t));
  return view((await ctx.shops.byId(shopId))!, access);
}

/** Allowed status changes; anything else is refused with 409. */
const transitions: Record<ShopStatus, ShopStatus[]> = {
  pending: ['approved', 'rejected'],
  approved: ['suspended'],
  suspended: ['approved'],
  rejected: [],
};

async function transition(ctx: ShopContext, shopId: string, to: ShopStatus, reason: string | null, after: (shop: ShopRecord, t: Transaction) => Promise<void>): Promise<Shop> {
  await ctx.db.transaction(async (t) => {
    const shop = await ctx.shops.byId(shopId, t, true);
    if (!shop) throw new NotFoundError('no such shop');
    if (!transitions[shop.status].includes(to)) throw new ShopTransitionError(`a ${shop.status} shop cannot become ${to}`);
    await ctx.shops.setStatus(shopId, to, reason, t);
    await after(shop, t);
  });
  return view((await ctx.shops.byId(shopId))!, 'admin');
}

export async function decideShop(ctx: ShopContext, shopId: string, input: ShopDecisionRequest): Promise<Shop> {
  if (input.decision === 'reject') {
    return transition(ctx, shopId, 'rejected', input.reason, (shop, t) =>
      ctx.events.stage(t, 'shop.rejected', { shopId, ownerUserId: shop.ownerUserId, reason: input.reason }).then(() => undefined),
    );
  }
  return transition(ctx, shopId, 'approved', null, async (shop, t) => {
    const commissionBps = input.commissionBps ?? shop.commissionBps;
    await ctx.shops.setCommission(shopId, commissionBps, t);
    await ctx.shops.addStaff(shopId, shop.ownerUserId, 'merchant_owner', t);
    await ctx.events.stage(t, 'shop.approved', { shopId, ownerUserId: shop.ownerUserId, name: shop.name, commissionBps });
  });
}

export async function suspendShop(ctx: ShopContext, shopId: string, reason: string): Promise<Shop> {
  return transition(ctx, shopId, 'suspended', reason, (_shop, t) => ctx.events.stage(t, 'shop.suspended', { shopId, reason }).then(() => undefined));
}

export async function resumeShop(ctx: ShopContext, shopId: string): Promise<Shop> {
  await ctx.db.transaction(async (t) => {
    const shop = await ctx.shops.byId(shopId, t, true);
    if (!shop) throw new NotFoundError('no such shop');
    if (shop.status !== 'suspended') throw new ShopTransitionError(`a ${shop.status} shop cannot be resumed`);
    await ctx.shops.setStatus(shopId, 'approved', null, t);
    await ctx.events.stage(t, 'shop.resumed', { shopId });
  });
  return view((await ctx.shops.byId(shopId))!, 'admin');
}

export async function setCommission(ctx: ShopContext, shopId: string, commissionBps: number): Promise<Shop> {
  await ctx.db.transaction(async (t) => {
    const shop = await ctx.shops.byId(shopId, t, true);
    if (!shop) throw new NotFoundError('no such shop');
    await ctx.shops.setCommission(shopId, commissionBps, t);
    await ctx.events.stage(t, 'shop.commission-changed', { shopId, commissionBps });
  });
  return view((await ctx.shops.byId(shopId))!, 'admin');
}

export async function listShops(ctx: ShopContext, status?: ShopStatus): Promise<Shop[]> {
  return (await ctx.shops.list(status)).map((s) => view(s, 'admin'));
}

export async function inviteStaff(ctx: ShopContext, caller: Principal, shopId: string, input: InviteStaffRequest): Promise<StaffInvitation> {
  const { shop, access } = await accessTo(ctx, caller, shopId);
  if (access === 'staff') throw new ForbiddenError('only the owner invites staff');
  if (shop.status !== 'approved') throw new ShopTransitionError(`a ${shop.status} shop cannot invite staff`);
  const id = randomUUID();
  const email = input.email.toLowerCase();
  await ctx.db.transaction(async (t) => {
    // the shop's row locked: two invitations at once count each other
    await ctx.shops.byId(shopId, t, true);
    const open = await ctx.shops.invitations({ shopId, status: 'pending' }, t);
    if (open.some((i) => i.email === email)) throw new InvitationExistsError('this address has an open invitation already');
    if (open.length >= MAX_OPEN_STAFF_INVITATIONS) {
      throw new InvitationLimitError(`a shop has at most ${MAX_OPEN_STAFF_INVITATIONS} open invitations; revoke one first`);
    }
    if (!(await ctx.shops.invite({ id, shopId, email, role: input.role }, t))) {
      throw new InvitationExistsError('this address has an open invitation already');
    }
    // the invitee may have no account yet: notification writes to the address
    await ctx.events.stage(t, 'shop-staff.invited', { invitationId: id, shopId, shopName: shop.name, email, role: input.role });
  });
  return (await ctx.shops.invitations({ id }))[0]!;
}

/** Withdraws an open invitation (the owner); one revoked already is answered as it is, an accepted one is a conflict. */
export async function revokeStaffInvitation(ctx: ShopContext, caller: Principal, shopId: string, invitationId: string): Promise<StaffInvitation> {
  const { access } = await accessTo(ctx, caller, shopId);
  if (access === 'staff') throw new ForbiddenError('only the owner revokes invitations');
  await ctx.db.transaction(async (t) => {
    const [inv] = await ctx.shops.invitations({ id: invitationId, shopId }, t, true);
    if (!inv) throw new NotFoundError('no such invitation');
    if (inv.status === 'accepted') throw new ConflictError('the invitation was accepted: its holder works for the shop');
    if (inv.status === 'revoked') return;
    await ctx.shops.revokeInvitation(invitationId, t);
  });
  return (await ctx.shops.invitations({ id: invitationId }))[0]!;
}

/** Who works for a shop, owner first: for notification, which writes to them about the shop's inbox. */
export async function shopStaffIds(ctx: ShopContext, shopId: string): Promise<ShopStaffIds> {
  if (!(await ctx.shops.byId(shopId))) throw new NotFoundError('no such shop');
  const staff = await ctx.shops.staff(shopId);
  const rank = (role: string) => (role === 'merchant_owner' ? 0 : 1);
  return { items: staff.sort((a, b) => rank(a.role) - rank(b.role)).map((m) => ({ userId: m.userId, role: m.role })) };
}

export async function listStaff(ctx: ShopContext, caller: Principal, shopId: string): Promise<StaffMember[]> {
  await accessTo(ctx, caller, shopId);
  return ctx.shops.staff(shopId);
}

/** The shop's invitations nobody has accepted yet (its owner only). */
export async function openStaffInvitations(ctx: ShopContext, caller: Principal, shopId: string): Promise<StaffInvitation[]> {
  const { access } = await accessTo(ctx, caller, shopId);
  if (access === 'staff') throw new ForbiddenError('only the owner sees the invitations');
  return ctx.shops.invitations({ shopId, status: 'pending' });
}

export async function myStaffInvitations(ctx: ShopContext, caller: Principal): Promise<StaffInvitation[]> {
  if (!caller.email) return [];
  return ctx.shops.invitations({ email: caller.email.toLowerCase(), status: 'pending' });
}

export async function acceptStaffInvitation(ctx: ShopContext, caller: Principal, invitationId: string): Promise<StaffMember> {
  const invitation = await ctx.db.transaction(async (t) => {
    const [inv] = await ctx.shops.invitations({ id: invitationId }, t, true);
    if (!inv || !caller.email || inv.email !== caller.email.toLowerCase()) throw new NotFoundError('no such invitation');
    if (inv.status !== 'pending') throw new ConflictError(`the invitation is ${inv.status}`);
    await ctx.shops.acceptInvitation(invitationId, caller.userId, t);
    await ctx.shops.addStaff(inv.shopId, caller.userId, inv.role, t);
    await ctx.events.stage(t, 'shop-staff.joined', { shopId: inv.shopId, userId: caller.userId, role: inv.role });
    return inv;
  });
  return (await ctx.shops.staff(invitation.shopId)).find((m) => m.userId === caller.userId)!;
}
