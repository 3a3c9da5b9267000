import { Router } from 'express';
import { CancelPaymentRequest, PaymentInternal, CreatePaymentRequest, CreatePayoutBatchRequest, CreateRefundRequest, RefundAllRequest, InvoiceTermsRequest, PaymentEligibilityRequest, PaymentStatusesRequest, RefundStatusesRequest, ProviderEvent, TopUpRequest, PaymentPublic } from '@emporium/contracts';
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
import { applyRefundEvent, createRefund, refundAll, refundStatuses } from '../domain/refunds';
import { applyProviderEvent, cancelPayment, createPayment, eligibility, getPayment, paymentStatuses } from '../domain/payments';
import type { PaymentContext } from '../domain/payment-context';

export function paymentRoutes(ctx: PaymentContext, keys: KeySource): Router {
  const router = Router();
  const signedIn = authenticate(keys);

  serve(router, PaymentPublic.getPayment, signedIn, async (req, res) => {
    const [paymentId] = uuidParams(req, 'paymentId');
    res.json(await getPayment(ctx, principalOf(req), paymentId!));
  });

  // the provider's events: the signature over the raw bytes decides, not who calls
  serve(router, PaymentPublic.providerWebhook, async (req, res) => {
    const verdict = await ctx.provider.verify(rawBodyOf(req) ?? Buffer.alloc(0), req.get('x-provider-signature'));
    if (!verdict.ok) throw new UnauthenticatedError(`webhook refused: ${verdict.reason}`);
    const event = parseWith(ProviderEvent, req.body);
    const outcome = event.type.startsWith('refund.') ? await applyRefundEvent(ctx, event) : await applyProviderEvent(ctx, event);
    ctx.logger.info({ event: event.id, type: event.type, sequence: event.sequence, outcome }, 'provider event');
    res.json({ received: event.id, outcome });
  });

  serve(router, PaymentPublic.checkLedger, signedIn, requireRole('platform_admin'), async (_req, res) => {
    res.json(await checkLedger(ctx.ledger));
  });
  const once = idempotent({ db: ctx.db, logger: ctx.logger, caller: (req) => principalOf(req).userId });
  serve(router, PaymentPublic.createPayoutBatch, signedIn, requireRole('platform_admin'), once, async (req, res) => {
    const { currency } = parseWith(CreatePayoutBatchRequest, req.body ?? {});
    res.status(201).json(await payoutBatch(ctx, currency, principalOf(req).userId));
  });
  serve(router, PaymentPublic.listPayoutBatches, signedIn, requireRole('platform_admin'), async (_req, res) => {
    res.json({ items: await payoutBatches(ctx.ledger) });
  });
  // wallets: the top-up's id comes from the caller's key, so a retry finds the same top-up
  serve(router, PaymentPublic.getWallet, signedIn, async (req, res) => {
    res.json(await wallet(ctx, principalOf(req).userId));
  });
  serve(router, PaymentPublic.topUpWallet, signedIn, async (req, res) => {
    const caller = principalOf(req);
    const id = uuidFromKey('top-up', caller.userId, idempotencyKeyOf(req));
    res.status(201).json(await topUp(ctx, caller.userId, id, parseWith(TopUpRequest, req.body)));
  });
  serve(router, PaymentPublic.getTopUp, signedIn, async (req, res) => {
    const [id] = uuidParams(req, 'topUpId');
    res.json(await getTopUp(ctx, principalOf(req).userId, id!));
  });

  // invoices
  serve(router, PaymentPublic.putInvoiceTerms, signedIn, requireRole('platform_admin'), async (req, res) => {
    const [companyId] = uuidParams(req, 'companyId');
    res.json(await putInvoiceTerms(ctx, principalOf(req), companyId!, parseWith(InvoiceTermsRequest, req.body)));
  });
  serve(router, PaymentPublic.getInvoiceTerms, signedIn, async (req, res) => {
    const [companyId] = uuidParams(req, 'companyId');
    res.json(await invoiceTerms(ctx, companyId!, principalOf(req)));
  });
  serve(router, PaymentPublic.listInvoices, signedIn, async (req, res) => {
    const [companyId] = uuidParams(req, 'companyId');
    res.json({ items: await invoices(ctx, principalOf(req), companyId!) });
  });
  serve(router, PaymentPublic.settleInvoice, signedIn, requireRole('platform_admin'), once, async (req, res) => {
    const [paymentId] = uuidParams(req, 'paymentId');
    res.json(await settleInvoice(ctx, principalOf(req), paymentId!));
  });

  serve(router, PaymentPublic.getShopLedger, signedIn, async (req, res) => {
    const [shopId] = uuidParams(req, 'shopId');
    requireShopStaff(principalOf(req), shopId!);
    res.json({ items: await shopLedger(ctx.ledger, shopId!) });
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
  serve(router, PaymentInternal.refundStatuses, async (req, res) => {
    res.json({ items: await refundStatuses(ctx, parseWith(RefundStatusesRequest, req.body).refundIds) });
  });
  serve(router, PaymentInternal.paymentStatuses, async (req, res) => {
    res.json({ items: await paymentStatuses(ctx, parseWith(PaymentStatusesRequest, req.body).paymentIds) });
  });
  serve(router, PaymentInternal.cancelPayment, async (req, res) => {
    const [paymentId] = uuidParams(req, 'paymentId');
    res.json(await cancelPayment(ctx, paymentId!, parseWith(CancelPaymentRequest, req.body).reason));
  });
  return router;
}
