import { defineOperations, type ApiOperation } from './operation';
import { listOf } from './list';
import {
  CancelPaymentRequest,
  CreatePaymentRequest,
  CreatePayoutBatchRequest,
  Invoice,
  InvoiceTerms,
  InvoiceTermsRequest,
  LedgerCheck,
  PaymentEligibility,
  PaymentEligibilityRequest,
  PaymentStatusesRequest,
  PaymentIntent,
  PaymentRefund,
  CreateRefundRequest,
  RefundAllRequest,
  RefundStatusesRequest,
  PayoutBatch,
  ShopLedger,
  TopUp,
  TopUpRequest,
  Wallet,
} from './payment';

const app = 'payment' as const;

/** payment's public operations. */
export const PaymentPublic = defineOperations({
  getPayment: { operationId: 'getPayment', method: 'get', path: '/payments/:paymentId', appId: app, summary: "The caller's payment", responses: { 200: { description: 'Payment', schema: PaymentIntent } } },
  providerWebhook: { operationId: 'providerWebhook', method: 'post', path: '/webhooks/provider', appId: app, access: 'anyone', summary: 'Events of the card provider, signed with HMAC (X-Provider-Signature); each applied once, in order',
    responses: { 200: { description: 'Taken' }, 400: { description: 'Bad signature or body' } } },
  checkLedger: { operationId: 'checkLedger', method: 'get', path: '/admin/ledger', appId: app, summary: "The ledger's invariants and every account's balance (platform admin)", responses: { 200: { description: 'Check', schema: LedgerCheck } } },
  createPayoutBatch: { operationId: 'createPayoutBatch', method: 'post', path: '/admin/payouts', appId: app, summary: "Pay out every shop's receivable in one batch (platform admin)", request: CreatePayoutBatchRequest, idempotent: true,
    responses: { 201: { description: 'Batch', schema: PayoutBatch } } },
  listPayoutBatches: { operationId: 'listPayoutBatches', method: 'get', path: '/admin/payouts', appId: app, summary: 'Payout batches, newest first (platform admin)', responses: { 200: { description: 'Batches', schema: listOf(PayoutBatch) } } },
  getWallet: { operationId: 'getWallet', method: 'get', path: '/wallet', appId: app, summary: "The caller's wallet: balance and latest movements", responses: { 200: { description: 'Wallet', schema: Wallet } } },
  topUpWallet: { operationId: 'topUpWallet', method: 'post', path: '/wallet/top-ups', appId: app, summary: 'Add money to the wallet by card (pay on the hosted page)', request: TopUpRequest, idempotent: true,
    example: { amount: { amount: 10_000, currency: 'CNY' } },
    responses: { 201: { description: 'Top-up', schema: TopUp } } },
  getTopUp: { operationId: 'getTopUp', method: 'get', path: '/wallet/top-ups/:topUpId', appId: app, summary: "One of the caller's top-ups", responses: { 200: { description: 'Top-up', schema: TopUp } } },
  putInvoiceTerms: { operationId: 'putInvoiceTerms', method: 'put', path: '/admin/companies/:companyId/invoice-terms', appId: app, summary: "Set an approved company's credit line for paying on invoice (platform admin)", request: InvoiceTermsRequest,
    responses: { 200: { description: 'Terms', schema: InvoiceTerms }, 409: { description: 'The company is not approved' } } },
  getInvoiceTerms: { operationId: 'getInvoiceTerms', method: 'get', path: '/companies/:companyId/invoice-terms', appId: app, summary: "A company's credit line and what is outstanding (its members, platform admins)", responses: { 200: { description: 'Terms', schema: InvoiceTerms } } },
  listInvoices: { operationId: 'listInvoices', method: 'get', path: '/companies/:companyId/invoices', appId: app, summary: "A company's invoices, newest first (its members, platform admins)", responses: { 200: { description: 'Invoices', schema: listOf(Invoice) } } },
  settleInvoice: { operationId: 'settleInvoice', method: 'post', path: '/admin/invoices/:paymentId/settlement', appId: app, summary: "Record that a company paid an invoice (platform admin)", idempotent: true,
    responses: { 200: { description: 'Invoice', schema: Invoice } } },
  getShopLedger: { operationId: 'getShopLedger', method: 'get', path: '/shops/:shopId/ledger', appId: app, summary: "A shop's money: in escrow, released, paid out", responses: { 200: { description: 'Ledger', schema: listOf(ShopLedger) } } },
});
export const PaymentOperations: readonly ApiOperation[] = Object.values(PaymentPublic);

export const PaymentInternal = defineOperations({
  createPayment: { operationId: 'createPayment', method: 'post', path: '/internal/payments', appId: app, internal: true, callers: ['order'], summary: 'Pay for an order (idempotent by order id)', request: CreatePaymentRequest,
    responses: { 200: { description: 'Intent', schema: PaymentIntent } } },
  checkPaymentEligibility: { operationId: 'checkPaymentEligibility', method: 'post', path: '/internal/payments/eligibility', appId: app, internal: true, callers: ['order'], summary: 'May this buyer pay this amount this way (wallet balance, invoice limits)?', request: PaymentEligibilityRequest,
    responses: { 200: { description: 'Verdict', schema: PaymentEligibility } } },
  createRefund: { operationId: 'createRefund', method: 'post', path: '/internal/refunds', appId: app, internal: true, callers: ['order'], summary: "Give part of a sub-order's money back the way it was paid (idempotent by refund id)", request: CreateRefundRequest,
    responses: { 200: { description: 'Refund', schema: PaymentRefund }, 409: { description: 'Not captured, or more than is left of the sub-order' } } },
  refundPayment: { operationId: 'refundPayment', method: 'post', path: '/internal/payments/:paymentId/refund', appId: app, internal: true, callers: ['order'], summary: 'Give all that is left of a payment back (an order cancelled after its payment was captured)', request: RefundAllRequest,
    responses: { 200: { description: 'Refunds', schema: listOf(PaymentRefund) } } },
  paymentStatuses: { operationId: 'paymentStatuses', method: 'post', path: '/internal/payments/statuses', appId: app, internal: true, callers: ['order'], summary: 'What became of these payments (order asks when a result event is late)', request: PaymentStatusesRequest,
    responses: { 200: { description: 'Payments (those that exist)', schema: listOf(PaymentIntent) } } },
  refundStatuses: { operationId: 'refundStatuses', method: 'post', path: '/internal/refunds/statuses', appId: app, internal: true, callers: ['order'], summary: 'What became of these refunds (order asks when a refund result event is late)', request: RefundStatusesRequest,
    responses: { 200: { description: 'Refunds (those that exist)', schema: listOf(PaymentRefund) } } },
  cancelPayment: { operationId: 'cancelPayment', method: 'post', path: '/internal/payments/:paymentId/cancel', appId: app, internal: true, callers: ['order'], summary: 'Give up an unpaid payment', request: CancelPaymentRequest,
    responses: { 200: { description: 'Intent', schema: PaymentIntent }, 409: { description: 'Already captured' } } },
});
