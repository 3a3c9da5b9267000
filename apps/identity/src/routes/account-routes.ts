import { Router } from 'express';
import { AddressInput, IdentityInternal, ChangePasswordRequest, CompanyDecisionRequest, CompanyStatus, InviteBuyerRequest, RegisterCompanyRequest, SpendingLimitRequest, UpdateProfileRequest } from '@emporium/contracts';
import { authenticate, countAll, countBy, idempotencyKeyOf, idempotent, serve, parseWith, principalOf, requireRole, uuidFromKey, type KeySource } from '@emporium/kit';
import { addAddress, address, addresses, removeAddress, replaceAddress } from '../domain/addresses';
import { z } from 'zod';
import { changePassword, me, updateProfile } from '../domain/accounts';
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

  router.get('/me', signedIn, async (req, res) => {
    res.json(await me(ctx, principalOf(req).userId));
  });
  router.patch('/me', signedIn, async (req, res) => {
    res.json(await updateProfile(ctx, principalOf(req).userId, parseWith(UpdateProfileRequest, req.body)));
  });
  router.post('/me/password', signedIn, once, async (req, res) => {
    res.json(await changePassword(ctx, principalOf(req).userId, parseWith(ChangePasswordRequest, req.body)));
  });
  router.get('/me/addresses', signedIn, async (req, res) => {
    res.json({ items: await addresses(ctx, principalOf(req).userId) });
  });
  router.post('/me/addresses', signedIn, async (req, res) => {
    const caller = principalOf(req);
    const input = parseWith(AddressInput, req.body);
    res.status(201).json(await addAddress(ctx, caller.userId, uuidFromKey('address', caller.userId, idempotencyKeyOf(req)), input));
  });
  router.put('/me/addresses/:addressId', signedIn, async (req, res) => {
    res.json(await replaceAddress(ctx, principalOf(req).userId, uuidParam(req, 'addressId'), parseWith(AddressInput, req.body)));
  });
  router.delete('/me/addresses/:addressId', signedIn, async (req, res) => {
    await removeAddress(ctx, principalOf(req).userId, uuidParam(req, 'addressId'));
    res.status(204).end();
  });
  // order takes a snapshot of the address a checkout names
  serve(router, IdentityInternal.addressForOrder, async (req, res) => {
    res.json(await address(ctx, uuidParam(req, 'userId'), uuidParam(req, 'addressId')));
  });
  router.get('/me/invitations', signedIn, async (req, res) => {
    res.json({ items: await myInvitations(ctx, principalOf(req)) });
  });
  router.post('/me/invitations/:invitationId/accept', signedIn, once, async (req, res) => {
    res.status(201).json(await acceptInvitation(ctx, principalOf(req), uuidParam(req, 'invitationId')));
  });

  router.post('/companies', signedIn, once, async (req, res) => {
    res.status(201).json(await registerCompany(ctx, principalOf(req), parseWith(RegisterCompanyRequest, req.body)));
  });
  router.get('/companies/:companyId', signedIn, async (req, res) => {
    res.json(await getCompany(ctx, principalOf(req), uuidParam(req, 'companyId')));
  });
  router.post('/companies/:companyId/invitations', signedIn, once, async (req, res) => {
    res.status(201).json(await inviteBuyer(ctx, principalOf(req), uuidParam(req, 'companyId'), parseWith(InviteBuyerRequest, req.body)));
  });
  router.get('/companies/:companyId/buyers', signedIn, async (req, res) => {
    res.json({ items: await listBuyers(ctx, principalOf(req), uuidParam(req, 'companyId')) });
  });
  router.put('/companies/:companyId/buyers/:userId/spending-limit', signedIn, async (req, res) => {
    const { spendingLimit } = parseWith(SpendingLimitRequest, req.body);
    res.json(await setSpendingLimit(ctx, principalOf(req), uuidParam(req, 'companyId'), uuidParam(req, 'userId'), spendingLimit));
  });

  const admin = [signedIn, requireRole('platform_admin')];
  router.get('/admin/stats/identity', ...admin, async (_req, res) => {
    res.json({ users: await countAll(ctx.db, 'users'), companies: await countBy(ctx.db, 'companies', 'status') });
  });
  router.get('/admin/companies', ...admin, async (req, res) => {
    const { status } = parseWith(z.object({ status: CompanyStatus.optional() }).strict(), req.query, 'query');
    res.json({ items: await listCompanies(ctx, status) });
  });
  router.post('/admin/companies/:companyId/decision', ...admin, once, async (req, res) => {
    res.json(await decideCompany(ctx, uuidParam(req, 'companyId'), parseWith(CompanyDecisionRequest, req.body)));
  });
  return router;
}
