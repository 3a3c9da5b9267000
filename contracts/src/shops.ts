import { z } from 'zod';
import { defineEvent } from './events';
import { bilingual } from './i18n';
import { Email, Phone } from './identity';

/** Shops: merchant applications, review, profile, staff, commission, suspension. */

export const ShopStatus = z.enum(['pending', 'approved', 'rejected', 'suspended']);
export type ShopStatus = z.infer<typeof ShopStatus>;

export const SettlementAccount = z
  .object({
    accountName: z.string().trim().min(2).max(120),
    bankName: z.string().trim().min(2).max(120),
    accountNumber: z.string().regex(/^[0-9]{8,34}$/, 'must be 8-34 digits'),
  })
  .strict()
  .describe('Where payouts go');
export type SettlementAccount = z.infer<typeof SettlementAccount>;

/** Commission in basis points: 500 = 5 %. Set by a platform admin only. */
export const CommissionBps = z.number().int().min(0).max(5000).describe('Commission in basis points (1/100 %)');

export const ApplyShopRequest = z
  .object({
    name: bilingual(60),
    description: bilingual(2000),
    contactEmail: Email,
    contactPhone: Phone,
    settlementAccount: SettlementAccount,
  })
  .strict();
export type ApplyShopRequest = z.infer<typeof ApplyShopRequest>;

/** What the owner may change; status, commission and ownership are not among it. */
export const UpdateShopRequest = z
  .object({
    name: bilingual(60).optional(),
    description: bilingual(2000).optional(),
    contactEmail: Email.optional(),
    contactPhone: Phone.optional(),
    settlementAccount: SettlementAccount.optional(),
  })
  .strict()
  .refine((r) => Object.keys(r).length > 0, { message: 'change at least one field' });
export type UpdateShopRequest = z.infer<typeof UpdateShopRequest>;

export const Shop = z
  .object({
    id: z.uuid(),
    ownerUserId: z.uuid(),
    name: bilingual(60),
    description: bilingual(2000),
    contactEmail: z.string(),
    contactPhone: z.string(),
    status: ShopStatus,
    statusReason: z.string().nullable(),
    commissionBps: CommissionBps,
    /** Shown in full to the owner and admins; masked (last 4 digits) to staff. */
    settlementAccount: SettlementAccount.extend({ accountNumber: z.string() }),
    createdAt: z.iso.datetime(),
  })
  .strict();
export type Shop = z.infer<typeof Shop>;

/** What shoppers see of a shop. */
export const PublicShop = Shop.pick({ id: true, name: true, description: true, status: true });
export type PublicShop = z.infer<typeof PublicShop>;

export const ShopDecisionRequest = z.discriminatedUnion('decision', [
  z.object({ decision: z.literal('approve'), commissionBps: CommissionBps.optional() }).strict(),
  z.object({ decision: z.literal('reject'), reason: z.string().trim().min(3).max(500) }).strict(),
]);
export type ShopDecisionRequest = z.infer<typeof ShopDecisionRequest>;

export const CommissionRequest = z.object({ commissionBps: CommissionBps }).strict();
export const SuspendShopRequest = z.object({ reason: z.string().trim().min(3).max(500) }).strict();

export const StaffRole = z.enum(['merchant_staff']);
/** Invitations a shop may have open (sent, neither accepted nor revoked) at once: each one e-mails an address. */
export const MAX_OPEN_STAFF_INVITATIONS = 20;

export const InviteStaffRequest = z.object({ email: Email, role: StaffRole.default('merchant_staff') }).strict();
export type InviteStaffRequest = z.infer<typeof InviteStaffRequest>;

export const StaffInvitation = z
  .object({
    id: z.uuid(),
    shopId: z.uuid(),
    shopName: bilingual(60),
    email: z.string(),
    role: StaffRole,
    status: z.enum(['pending', 'accepted', 'revoked']),
    createdAt: z.iso.datetime(),
  })
  .strict();
export type StaffInvitation = z.infer<typeof StaffInvitation>;

export const StaffMember = z
  .object({
    shopId: z.uuid(),
    userId: z.uuid(),
    role: z.enum(['merchant_owner', 'merchant_staff']),
    /** the address the invitation went to (null for the owner, who applied) */
    email: z.string().nullable(),
    joinedAt: z.iso.datetime(),
  })
  .strict();
export type StaffMember = z.infer<typeof StaffMember>;

/** The users of a shop, for services that write to them (their contacts are identity's). */
export const ShopStaffIds = z.object({ items: z.array(z.object({ userId: z.uuid(), role: StaffMember.shape.role }).strict()).max(1000) }).strict();
export type ShopStaffIds = z.infer<typeof ShopStaffIds>;

export const ShopEvents = [
  defineEvent('shop.applied', 1, 'A merchant applied to open a shop', { shopId: z.uuid(), ownerUserId: z.uuid(), name: bilingual(60) }),
  defineEvent('shop.approved', 1, 'An admin approved a shop; its owner may sell', {
    shopId: z.uuid(),
    ownerUserId: z.uuid(),
    name: bilingual(60),
    commissionBps: CommissionBps,
  }),
  defineEvent('shop.rejected', 1, 'An admin rejected a shop application', { shopId: z.uuid(), ownerUserId: z.uuid(), reason: z.string() }),
  defineEvent('shop.suspended', 1, "A shop's products leave the storefront and cannot be bought", { shopId: z.uuid(), reason: z.string() }),
  defineEvent('shop.resumed', 1, 'A suspended shop sells again', { shopId: z.uuid() }),
  defineEvent('shop.commission-changed', 1, "An admin set a shop's commission", { shopId: z.uuid(), commissionBps: CommissionBps }),
  defineEvent('shop-staff.invited', 1, 'A shop owner invited someone by e-mail to work for the shop (they may have no account yet)', {
    invitationId: z.uuid(),
    shopId: z.uuid(),
    shopName: bilingual(60),
    email: z.string().max(254),
    role: StaffRole,
  }),
  defineEvent('shop-staff.joined', 1, 'A user accepted an invitation to work for a shop', { shopId: z.uuid(), userId: z.uuid(), role: StaffRole }),
] as const;
