import type { ApiOperation } from './api';
import { listOf } from './list';
import { CancelPaymentRequest, CreatePaymentRequest, CreatePayoutBatchRequest, LedgerCheck, PaymentIntent, PayoutBatch, ShopLedger } from './payment';

const app = 'payment' as const;

/** payment's public operations. */
export const PaymentOperations: readonly ApiOperation[] = [
  { operationId: 'getPayment', method: 'get', path: '/payments/:paymentId', appId: app, summary: "The caller's payment", responses: { 200: { description: 'Payment', schema: PaymentIntent } } },
  { operationId: 'providerWebhook', method: 'post', path: '/webhooks/provider', appId: app, summary: 'Events of the card provider, signed with HMAC (X-Provider-Signature); each applied once, in order',
    responses: { 200: { description: 'Taken' }, 400: { description: 'Bad signature or body' } } },
  { operationId: 'checkLedger', method: 'get', path: '/admin/ledger', appId: app, summary: "The ledger's invariants and every account's balance (platform admin)", responses: { 200: { description: 'Check', schema: LedgerCheck } } },
  { operationId: 'createPayoutBatch', method: 'post', path: '/admin/payouts', appId: app, summary: "Pay out every shop's receivable in one batch (platform admin)", request: CreatePayoutBatchRequest, idempotent: true,
    responses: { 201: { description: 'Batch', schema: PayoutBatch } } },
  { operationId: 'listPayoutBatches', method: 'get', path: '/admin/payouts', appId: app, summary: 'Payout batches, newest first (platform admin)', responses: { 200: { description: 'Batches', schema: listOf(PayoutBatch) } } },
  { operationId: 'getShopLedger', method: 'get', path: '/shops/:shopId/ledger', appId: app, summary: "A shop's money: in escrow, released, paid out", responses: { 200: { description: 'Ledger', schema: listOf(ShopLedger) } } },
];

export const PaymentInternalOperations: readonly ApiOperation[] = [
  { operationId: 'createPayment', method: 'post', path: '/internal/payments', appId: app, summary: 'Pay for an order (idempotent by order id)', request: CreatePaymentRequest, responses: { 200: { description: 'Intent', schema: PaymentIntent } } },
  { operationId: 'cancelPayment', method: 'post', path: '/internal/payments/:paymentId/cancel', appId: app, summary: 'Give up an unpaid payment', request: CancelPaymentRequest,
    responses: { 200: { description: 'Intent', schema: PaymentIntent }, 409: { description: 'Already captured' } } },
];
