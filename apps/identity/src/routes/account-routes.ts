import { Router } from 'express';
import { AddressInput, FindUserQuery, IdentityInternal, ChangePasswordRequest, CompanyDecisionRequest, CompanyStatus, InviteBuyerRequest, RegisterCompanyRequest, SpendingLimitRequest, UpdateProfileRequest, IdentityPublic } from '@emporium/contracts';
import { authenticate, countAll, countBy, idempotencyKeyOf, idempotent, serve, parseWith, principalOf, requireRole, uuidFromKey, type KeySource } from '@emporium/kit';
import { addAddress, address, addresses, removeAddress, replaceAddress } from '../domain/addresses';
import { z } from 'zod';
import { changePassword, findUser, me, updateProfile, userBrief, userContact } from '../domain/accounts';
import {
  acceptInvitation,
  decideCompany,
  getCompany,
  inviteBuyer,
  listBuyers,
  listCompanies,
  myInvitations,
  registerCompany,
  setSpendingLimit,
} from '../domain/companies';
import type { IdentityContext } from '../domain/identity-context';
import { uuidParam } from './request-context';

/** Routes for signed-in users: their account, their companies, and the admin's company review. */
export function accountRoutes(ctx: IdentityContext, keys: KeySource): Router {
  const router = Router();
  const { db, logger } = ctx;
  const signedIn = authenticate(keys);
  const once = idempotent({ db, logger, caller: (req) => principalOf(req).userId });

  serve(router, IdentityPublic.me, signedIn, async (req, res) => {
    res.json(await me(ctx, principalOf(req).userId));
  });
  serve(router, IdentityPublic.updateProfile, signedIn, async (req, res) => {
    res.json(await updateProfile(ctx, principalOf(req).userId, parseWith(UpdateProfileRequest, req.body)));
  });
  serve(router, IdentityPublic.changePassword, signedIn, once, async (req, res) => {
    res.json(await changePassword(ctx, principalOf(req).userId, parseWith(ChangePasswordRequest, req.body)));
  });
  serve(router, IdentityPublic.listAddresses, signedIn, async (req, res) => {
    res.json({ items: await addresses(ctx, principalOf(req).userId) });
  });
  serve(router, IdentityPublic.addAddress, signedIn, async (req, res) => {
    const caller = principalOf(req);
    const input = parseWith(AddressInput, req.body);
    res.status(201).json(await addAddress(ctx, caller.userId, uuidFromKey('address', caller.userId, idempotencyKeyOf(req)), input));
  });
  serve(router, IdentityPublic.replaceAddress, signedIn, async (req, res) => {
    res.json(await replaceAddress(ctx, principalOf(req).userId, uuidParam(req, 'addressId'), parseWith(AddressInput, req.body)));
  });
  serve(router, IdentityPublic.removeAddress, signedIn, async (req, res) => {
    await removeAddress(ctx, principalOf(req).userId, uuidParam(req, 'addressId'));
    res.status(204).end();
  });
  // order takes a snapshot of the address a checkout names
  serve(router, IdentityInternal.addressForOrder, async (req, res) => {
    res.json(await address(ctx, uuidParam(req, 'userId'), uuidParam(req, 'addressId')));
  });
  serve(router, IdentityInternal.userContact, async (req, res) => {
    res.json(await userContact(ctx, uuidParam(req, 'userId')));
  });
  serve(router, IdentityInternal.userBrief, async (req, res) => {
    res.json(await userBrief(ctx, uuidParam(req, 'userId')));
  });
  serve(router, IdentityPublic.myInvitations, signedIn, async (req, res) => {
    res.json({ items: await myInvitations(ctx, principalOf(req)) });
  });
  serve(router, IdentityPublic.acceptInvitation, signedIn, once, async (req, res) => {
    res.status(201).json(await acceptInvitation(ctx, principalOf(req), uuidParam(req, 'invitationId')));
  });

  serve(router, IdentityPublic.registerCompany, signedIn, once, async (req, res) => {
    res.status(201).json(await registerCompany(ctx, principalOf(req), parseWith(RegisterCompanyRequest, req.body)));
  });
  serve(router, IdentityPublic.getCompany, signedIn, async (req, res) => {
    res.json(await getCompany(ctx, principalOf(req), uuidParam(req, 'companyId')));
  });
  serve(router, IdentityPublic.inviteBuyer, signedIn, once, async (req, res) => {
    res.status(201).json(await inviteBuyer(ctx, principalOf(req), uuidParam(req, 'companyId'), parseWith(InviteBuyerRequest, req.body)));
  });
  serve(router, IdentityPublic.listBuyers, signedIn, async (req, res) => {
    res.json({ items: await listBuyers(ctx, principalOf(req), uuidParam(req, 'companyId')) });
  });
  serve(router, IdentityPublic.setSpendingLimit, signedIn, async (req, res) => {
    const { spendingLimit } = parseWith(SpendingLimitRequest, req.body);
    res.json(await setSpendingLimit(ctx, principalOf(req), uuidParam(req, 'companyId'), uuidParam(req, 'userId'), spendingLimit));
  });

  const admin = [signedIn, requireRole('platform_admin')];
  serve(router, IdentityPublic.findUser, ...admin, async (req, res) => {
    res.json(await findUser(ctx, parseWith(FindUserQuery, req.query, 'query').login));
  });
  serve(router, IdentityPublic.identityStats, ...admin, async (_req, res) => {
    res.json({ users: await countAll(ctx.db, 'users'), companies: await countBy(ctx.db, 'companies', 'status') });
  });
  serve(router, IdentityPublic.listCompanies, ...admin, async (req, res) => {
    const { status } = parseWith(z.object({ status: CompanyStatus.optional() }).strict(), req.query, 'query');
    res.json({ items: await listCompanies(ctx, status) });
  });
  serve(router, IdentityPublic.decideCompany, ...admin, once, async (req, res) => {
    res.json(await decideCompany(ctx, uuidParam(req, 'companyId'), parseWith(CompanyDecisionRequest, req.body)));
  });
  return router;
}
