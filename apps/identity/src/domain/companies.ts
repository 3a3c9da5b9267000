import { randomUUID } from 'node:crypto';
import type {
  Company,
  CompanyBuyer,
  CompanyDecisionRequest,
  Invitation,
  InviteBuyerRequest,
  NonNegativeMoney,
  RegisterCompanyRequest,
} from '@emporium/contracts';
import { ConflictError, hasRole, NotFoundError, type Principal } from '@emporium/kit';
import type { CompanyRecord } from '../data/company-repository';
import type { IdentityContext } from './identity-context';

export class CompanyExistsError extends ConflictError {
  override readonly code = 'company_exists';
}
export class CompanyNotApprovedError extends ConflictError {
  override readonly code = 'company_not_approved';
}
export class AlreadyDecidedError extends ConflictError {
  override readonly code = 'company_already_decided';
}
export class InvitationExistsError extends ConflictError {
  override readonly code = 'invitation_exists';
}

/** The public view: who administers the company stays inside identity. */
const view = (c: CompanyRecord): Company => ({
  id: c.id,
  name: c.name,
  taxId: c.taxId,
  contactEmail: c.contactEmail,
  contactPhone: c.contactPhone,
  address: c.address,
  status: c.status,
  rejectionReason: c.rejectionReason,
  createdAt: c.createdAt,
});

/**
 * The company if the caller administers it or is a platform admin. Anyone
 * else gets 404, as if it did not exist: ids of other companies leak nothing.
 */
async function companyFor(ctx: IdentityContext, caller: Principal, companyId: string): Promise<CompanyRecord> {
  const company = await ctx.companies.byId(companyId);
  if (!company) throw new NotFoundError('no such company');
  if (hasRole(caller, 'platform_admin') || hasRole(caller, 'company_admin', { companyId })) return company;
  throw new NotFoundError('no such company');
}

/** A signed-in user applies for a company account and becomes its admin; an admin approves it later. */
export async function registerCompany(ctx: IdentityContext, caller: Principal, input: RegisterCompanyRequest): Promise<Company> {
  const id = randomUUID();
  await ctx.db.transaction(async (t) => {
    const inserted = await ctx.companies.insert(
      { id, name: input.name, taxId: input.taxId, contactEmail: input.contactEmail.toLowerCase(), contactPhone: input.contactPhone ?? null, address: input.address, adminUserId: caller.userId },
      t,
    );
    if (!inserted) throw new CompanyExistsError('a company with this tax id is registered');
    await ctx.users.grant(caller.userId, 'company_admin', id, t);
    await ctx.events.stage(t, 'company.registered', { companyId: id, name: input.name, adminUserId: caller.userId });
  });
  return view((await ctx.companies.byId(id))!);
}

export async function getCompany(ctx: IdentityContext, caller: Principal, companyId: string): Promise<Company> {
  return view(await companyFor(ctx, caller, companyId));
}

export async function listCompanies(ctx: IdentityContext, status?: Company['status']): Promise<Company[]> {
  return (await ctx.companies.list(status)).map(view);
}

export async function decideCompany(ctx: IdentityContext, companyId: string, input: CompanyDecisionRequest): Promise<Company> {
  await ctx.db.transaction(async (t) => {
    const company = await ctx.companies.byId(companyId, t, true);
    if (!company) throw new NotFoundError('no such company');
    if (company.status !== 'pending') throw new AlreadyDecidedError(`the company is ${company.status} already`);
    if (input.decision === 'approve') {
      await ctx.companies.decide(companyId, 'approved', null, t);
      await ctx.events.stage(t, 'company.approved', { companyId, name: company.name });
    } else {
      await ctx.companies.decide(companyId, 'rejected', input.reason, t);
      await ctx.events.stage(t, 'company.rejected', { companyId, name: company.name, reason: input.reason });
    }
  });
  return view((await ctx.companies.byId(companyId))!);
}

/** The company admin invites a buyer by e-mail with a spending limit; the person accepts after signing in. */
export async function inviteBuyer(ctx: IdentityContext, caller: Principal, companyId: string, input: InviteBuyerRequest): Promise<Invitation> {
  const company = await companyFor(ctx, caller, companyId);
  if (company.status !== 'approved') throw new CompanyNotApprovedError('the company is not approved yet');
  const id = randomUUID();
  const created = await ctx.companies.invite({ id, companyId, email: input.email.toLowerCase(), limit: input.spendingLimit });
  if (!created) throw new InvitationExistsError('this address has an open invitation already');
  return (await ctx.companies.invitations({ id }))[0]!;
}

/** Open invitations addressed to the caller's e-mail. */
export async function myInvitations(ctx: IdentityContext, caller: Principal): Promise<Invitation[]> {
  const user = await ctx.users.byId(caller.userId);
  if (!user?.email) return [];
  return ctx.companies.invitations({ email: user.email, status: 'pending' });
}

export async function acceptInvitation(ctx: IdentityContext, caller: Principal, invitationId: string): Promise<CompanyBuyer> {
  const user = await ctx.users.byId(caller.userId);
  const joined = await ctx.db.transaction(async (t) => {
    const [invitation] = await ctx.companies.invitations({ id: invitationId }, t, true);
    // someone else's invitation is as good as none
    if (!invitation || !user?.email || invitation.email !== user.email) throw new NotFoundError('no such invitation');
    if (invitation.status !== 'pending') throw new ConflictError(`the invitation is ${invitation.status}`);
    await ctx.companies.accept(invitationId, caller.userId, t);
    await ctx.companies.addBuyer(invitation.companyId, caller.userId, invitation.spendingLimit, t);
    await ctx.users.grant(caller.userId, 'company_buyer', invitation.companyId, t);
    await ctx.events.stage(t, 'company-buyer.joined', { companyId: invitation.companyId, userId: caller.userId, spendingLimit: invitation.spendingLimit });
    return invitation;
  });
  return (await ctx.companies.buyers(joined.companyId, caller.userId))[0]!;
}

export async function listBuyers(ctx: IdentityContext, caller: Principal, companyId: string): Promise<CompanyBuyer[]> {
  await companyFor(ctx, caller, companyId);
  return ctx.companies.buyers(companyId);
}

export async function setSpendingLimit(ctx: IdentityContext, caller: Principal, companyId: string, userId: string, limit: NonNegativeMoney): Promise<CompanyBuyer> {
  await companyFor(ctx, caller, companyId);
  await ctx.db.transaction(async (t) => {
    if (!(await ctx.companies.setLimit(companyId, userId, limit, t))) throw new NotFoundError('no such buyer in this company');
    await ctx.events.stage(t, 'company-buyer.limit-changed', { companyId, userId, spendingLimit: limit });
  });
  return (await ctx.companies.buyers(companyId, userId))[0]!;
}
