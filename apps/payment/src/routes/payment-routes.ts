import { Router } from 'express';
import { CancelPaymentRequest, PaymentInternal, CreatePaymentRequest, CreatePayoutBatchRequest, CreateRefundRequest, RefundAllRequest, InvoiceTermsRequest, PaymentEligibilityRequest, ProviderEvent, TopUpRequest } from '@emporium/contracts';
import {
  authenticate,
  idempotencyKeyOf,
  idempotent,
  serve,
  parseWith,
  principalOf,
  rawBodyOf,
  requireRole,
  requireShopStaff,
  UnauthenticatedError,
  uuidFromKey,
  uuidParams,
  type KeySource,
} from '@emporium/kit';
import { getTopUp, invoices, invoiceTerms, putInvoiceTerms, settleInvoice, topUp, wallet } from '../domain/accounts';
import { checkLedger, payoutBatch, payoutBatches, shopLedger } from '../domain/ledger';
import { applyRefundEvent, createRefund, refundAll } from '../domain/refunds';
import { applyProviderEvent, cancelPayment, createPayment, eligibility, getPayment } from '../domain/payments';
import type { PaymentContext } from '../domain/payment-context';

export function paymentRoutes(ctx: PaymentContext, keys: KeySource): Router {
  const router = Router();
  const signedIn = authenticate(keys);

  router.get('/payments/:paymentId', signedIn, async (req, res) => {
    const [paymentId] = uuidParams(req, 'paymentId');
    res.json(await getPayment(ctx, principalOf(req), paymentId!));
  });

  // the provider's events: the signature over the raw bytes decides, not who calls
  router.post('/webhooks/provider', async (req, res) => {
    const verdict = await ctx.provider.verify(rawBodyOf(req) ?? Buffer.alloc(0), req.get('x-provider-signature'));
    if (!verdict.ok) throw new UnauthenticatedError(`webhook refused: ${verdict.reason}`);
    const event = parseWith(ProviderEvent, req.body);
    const outcome = event.type.startsWith('refund.') ? await applyRefundEvent(ctx, event) : await applyProviderEvent(ctx, event);
    ctx.logger.info({ event: event.id, type: event.type, sequence: event.sequence, outcome }, 'provider event');
    res.json({ received: event.id, outcome });
  });

  router.get('/admin/ledger', signedIn, requireRole('platform_admin'), async (_req, res) => {
    res.json(await checkLedger(ctx.db));
  });
  const once = idempotent({ db: ctx.db, logger: ctx.logger, caller: (req) => principalOf(req).userId });
  router.post('/admin/payouts', signedIn, requireRole('platform_admin'), once, async (req, res) => {
    const { currency } = parseWith(CreatePayoutBatchRequest, req.body ?? {});
    res.status(201).json(await payoutBatch(ctx.db, currency, principalOf(req).userId));
  });
  router.get('/admin/payouts', signedIn, requireRole('platform_admin'), async (_req, res) => {
    res.json({ items: await payoutBatches(ctx.db) });
  });
  // wallets: the top-up's id comes from the caller's key, so a retry finds the same top-up
  router.get('/wallet', signedIn, async (req, res) => {
    res.json(await wallet(ctx, principalOf(req).userId));
  });
  router.post('/wallet/top-ups', signedIn, async (req, res) => {
    const caller = principalOf(req);
    const id = uuidFromKey('top-up', caller.userId, idempotencyKeyOf(req));
    res.status(201).json(await topUp(ctx, caller.userId, id, parseWith(TopUpRequest, req.body)));
  });
  router.get('/wallet/top-ups/:topUpId', signedIn, async (req, res) => {
    const [id] = uuidParams(req, 'topUpId');
    res.json(await getTopUp(ctx, principalOf(req).userId, id!));
  });

  // invoices
  router.put('/admin/companies/:companyId/invoice-terms', signedIn, requireRole('platform_admin'), async (req, res) => {
    const [companyId] = uuidParams(req, 'companyId');
    res.json(await putInvoiceTerms(ctx, principalOf(req), companyId!, parseWith(InvoiceTermsRequest, req.body)));
  });
  router.get('/companies/:companyId/invoice-terms', signedIn, async (req, res) => {
    const [companyId] = uuidParams(req, 'companyId');
    res.json(await invoiceTerms(ctx, companyId!, principalOf(req)));
  });
  router.get('/companies/:companyId/invoices', signedIn, async (req, res) => {
    const [companyId] = uuidParams(req, 'companyId');
    res.json({ items: await invoices(ctx, principalOf(req), companyId!) });
  });
  router.post('/admin/invoices/:paymentId/settlement', signedIn, requireRole('platform_admin'), once, async (req, res) => {
    const [paymentId] = uuidParams(req, 'paymentId');
    res.json(await settleInvoice(ctx, principalOf(req), paymentId!));
  });

  router.get('/shops/:shopId/ledger', signedIn, async (req, res) => {
    const [shopId] = uuidParams(req, 'shopId');
    requireShopStaff(principalOf(req), shopId!);
    res.json({ items: await shopLedger(ctx.db, shopId!) });
  });

  serve(router, PaymentInternal.createPayment, async (req, res) => {
    res.json(await createPayment(ctx, parseWith(CreatePaymentRequest, req.body)));
  });
  serve(router, PaymentInternal.checkPaymentEligibility, async (req, res) => {
    res.json(await eligibility(ctx, parseWith(PaymentEligibilityRequest, req.body)));
  });
  serve(router, PaymentInternal.createRefund, async (req, res) => {
    res.json(await createRefund(ctx, parseWith(CreateRefundRequest, req.body)));
  });
  serve(router, PaymentInternal.refundPayment, async (req, res) => {
    const [paymentId] = uuidParams(req, 'paymentId');
    res.json({ items: await refundAll(ctx, paymentId!, parseWith(RefundAllRequest, req.body).reason) });
  });
  serve(router, PaymentInternal.cancelPayment, async (req, res) => {
    const [paymentId] = uuidParams(req, 'paymentId');
    res.json(await cancelPayment(ctx, paymentId!, parseWith(CancelPaymentRequest, req.body).reason));
  });
  return router;
}
