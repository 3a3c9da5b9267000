import { z } from 'zod';
import { defineEvent } from './events';
import { Money, NonNegativeMoney } from './money';
import { CommissionBps } from './shops';

/**
 * Payments: intents paid by card through the provider, from the buyer's
 * wallet, or on invoice (approved companies, within the buyer's spending
 * limit and the company's credit line); the provider's webhooks; and a
 * double-entry ledger in which every posting sums to zero.
 */
export const PaymentMethod = z.enum(['card', 'wallet', 'invoice']);
export type PaymentMethod = z.infer<typeof PaymentMethod>;
export const PaymentStatus = z.enum(['created', 'requires_payment', 'processing', 'succeeded', 'failed', 'cancelled']);
export type PaymentStatus = z.infer<typeof PaymentStatus>;

export const PaymentSplit = z
  .object({
    subOrderId: z.string().min(1).max(100),
    shopId: z.uuid(),
    /** what the buyer pays for the sub-order */
    amount: NonNegativeMoney,
    commissionBps: CommissionBps,
    /** what the platform's coupons took off it: paid to the shop from the platform's promotions account; commission is on amount + this */
    platformDiscount: NonNegativeMoney.optional(),
  })
  .strict();
export type PaymentSplit = z.infer<typeof PaymentSplit>;

/** order → payment: pay for an order; the same order id again answers the same intent. */
export const CreatePaymentRequest = z
  .object({
    orderId: z.string().min(1).max(100),
    buyerUserId: z.uuid(),
    amount: NonNegativeMoney,
    method: PaymentMethod,
    /** the company the buyer buys for (pay on invoice), and as what: its admin has no per-order limit */
    companyId: z.uuid().nullable().optional(),
    companyRole: z.enum(['admin', 'buyer']).nullable().optional(),
    splits: z.array(PaymentSplit).min(1).max(50),
    returnUrl: z.url().optional(),
    description: z.string().max(200).optional(),
  })
  .strict()
  .superRefine((r, ctx) => {
    const sum = r.splits.reduce((a, s) => a + s.amount.amount, 0);
    if (sum !== r.amount.amount) ctx.addIssue({ code: 'custom', path: ['splits'], message: `splits add up to ${sum}, not ${r.amount.amount}` });
    if (r.splits.some((s) => s.amount.currency !== r.amount.currency || (s.platformDiscount && s.platformDiscount.currency !== r.amount.currency))) ctx.addIssue({ code: 'custom', path: ['splits'], message: 'every split is in the amount currency' });
  });
export type CreatePaymentRequest = z.infer<typeof CreatePaymentRequest>;

export const PaymentIntent = z
  .object({
    id: z.uuid(),
    orderId: z.string(),
    buyerUserId: z.uuid(),
    method: PaymentMethod,
    amount: NonNegativeMoney,
    status: PaymentStatus,
    /** where the shopper pays (card) */
    hostedUrl: z.string().nullable(),
    failureReason: z.string().nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .strict();
export type PaymentIntent = z.infer<typeof PaymentIntent>;
/**
 * order → payment: what became of payments whose orders still wait for a result (order asks when
 * a result event is late, so an order whose event was lost is paid or cancelled all the same).
 */
export const PaymentStatusesRequest = z.object({ paymentIds: z.array(z.uuid()).min(1).max(100) }).strict();
export type PaymentStatusesRequest = z.infer<typeof PaymentStatusesRequest>;
export const CancelPaymentRequest = z.object({ reason: z.string().min(1).max(200) }).strict();

/** The provider's webhook body (its format, not ours). */
export const ProviderEvent = z.object({
  id: z.string().min(1),
  type: z.string().min(1),
  createdAt: z.string(),
  sequence: z.number().int().min(0),
  data: z.object({ id: z.string(), reference: z.string().optional(), paymentId: z.string().optional(), status: z.string(), failureCode: z.string().nullable().optional() }).loose(),
});
export type ProviderEvent = z.infer<typeof ProviderEvent>;

export const LedgerBalance = z.object({ account: z.string(), balance: Money }).strict();
export const LedgerCheck = z
  .object({
    ok: z.boolean(),
    postings: z.number().int(),
    /** every posting sums to zero */
    unbalancedPostings: z.array(z.string()),
    /** per captured payment: captured = splits + commission */
    capturesNotSplit: z.array(z.string()),
    /** escrow, receivable or wallet accounts below zero */
    negativeEscrow: z.array(z.string()),
    /** payments refunded more than they captured */
    refundsOverCapture: z.array(z.string()),
    balances: z.array(LedgerBalance),
  })
  .strict();
export const ShopLedger = z
  .object({ shopId: z.uuid(), currency: z.string(), inEscrow: Money, released: Money, paidOut: Money })
  .strict();

export const PaymentEvents = [
  defineEvent('payment.succeeded', 1, "An order's payment was captured; each shop's split sits in escrow", {
    paymentId: z.uuid(),
    orderId: z.string(),
    amount: NonNegativeMoney,
    method: PaymentMethod,
  }),
  defineEvent('payment.failed', 1, "An order's payment failed or was cancelled", {
    paymentId: z.uuid(),
    orderId: z.string(),
    reason: z.string(),
  }),
  defineEvent('payment.refunded', 1, 'Money of a paid order went back to the buyer (card, wallet or invoice)', {
    refundId: z.string(),
    paymentId: z.uuid(),
    orderId: z.string(),
    subOrderId: z.string(),
    amount: NonNegativeMoney,
  }),
  defineEvent('payment.refund-failed', 1, 'A refund could not be made', {
    refundId: z.string(),
    paymentId: z.uuid(),
    orderId: z.string(),
    subOrderId: z.string(),
    reason: z.string(),
  }),
] as const;

/** A payout batch: every shop's receivable, paid out at once (platform admin). */
export const PayoutBatch = z
  .object({
    id: z.uuid(),
    currency: z.string(),
    payouts: z.array(z.object({ shopId: z.uuid(), amount: NonNegativeMoney }).strict()),
    total: NonNegativeMoney,
    createdAt: z.iso.datetime(),
  })
  .strict();
export type PayoutBatch = z.infer<typeof PayoutBatch>;
export const CreatePayoutBatchRequest = z.object({ currency: z.string().regex(/^[A-Z]{3}$/).default('CNY') }).strict();

/** order → payment, before a checkout starts: may this buyer pay this much this way? */
export const PaymentEligibilityRequest = z
  .object({ buyerUserId: z.uuid(), companyId: z.uuid().nullable(), companyRole: z.enum(['admin', 'buyer']).nullable(), method: PaymentMethod, amount: NonNegativeMoney })
  .strict();
export const PaymentEligibility = z.object({ ok: z.boolean(), reason: z.string().nullable() }).strict();

/** A buyer's wallet: money held for them (top-ups), spent at checkout. */
export const WalletEntry = z
  .object({ kind: z.enum(['top-up', 'payment', 'refund']), reference: z.string(), amount: Money, at: z.iso.datetime() })
  .strict();
export const Wallet = z.object({ balance: NonNegativeMoney, entries: z.array(WalletEntry) }).strict();
export type Wallet = z.infer<typeof Wallet>;
export const TopUpRequest = z
  .object({
    amount: NonNegativeMoney.refine((m) => m.amount >= 100 && m.amount <= 5_000_000, { message: 'between 1.00 and 50,000.00', path: ['amount'] }),
    returnUrl: z.url().optional(),
  })
  .strict();
export const TopUp = z
  .object({ id: z.uuid(), amount: NonNegativeMoney, status: PaymentStatus, hostedUrl: z.string().nullable(), createdAt: z.iso.datetime() })
  .strict();

/** A company's credit line for paying on invoice (platform admin). */
export const InvoiceTermsRequest = z.object({ creditLimit: NonNegativeMoney, termDays: z.number().int().min(1).max(180) }).strict();
export const InvoiceTerms = z
  .object({
    companyId: z.uuid(),
    creditLimit: NonNegativeMoney,
    termDays: z.number().int(),
    /** invoiced and not yet settled */
    outstanding: NonNegativeMoney,
    available: NonNegativeMoney,
  })
  .strict();
export type InvoiceTerms = z.infer<typeof InvoiceTerms>;
export const Invoice = z
  .object({
    paymentId: z.uuid(),
    orderId: z.string(),
    companyId: z.uuid(),
    buyerUserId: z.uuid(),
    amount: NonNegativeMoney,
    dueAt: z.iso.datetime(),
    settledAt: z.iso.datetime().nullable(),
    createdAt: z.iso.datetime(),
  })
  .strict();
export type Invoice = z.infer<typeof Invoice>;

/** order → payment: give part of a sub-order's money back (idempotent by refund id). */
export const CreateRefundRequest = z
  .object({ refundId: z.string().min(1).max(100), orderId: z.string().min(1).max(100), subOrderId: z.string().min(1).max(100), amount: NonNegativeMoney, reason: z.string().min(1).max(500) })
  .strict();
export type CreateRefundRequest = z.infer<typeof CreateRefundRequest>;
export const PaymentRefund = z
  .object({
    id: z.string(),
    paymentId: z.uuid(),
    orderId: z.string(),
    subOrderId: z.string(),
    amount: NonNegativeMoney,
    status: z.enum(['pending', 'succeeded', 'failed']),
    failureReason: z.string().nullable(),
    createdAt: z.iso.datetime(),
    /** when it last changed: when it succeeded or failed, for a refund that ended */
    updatedAt: z.iso.datetime(),
  })
  .strict();
export type PaymentRefund = z.infer<typeof PaymentRefund>;
export const RefundStatusesRequest = z.object({ refundIds: z.array(z.uuid()).min(1).max(100) }).strict();
export type RefundStatusesRequest = z.infer<typeof RefundStatusesRequest>;
export const RefundAllRequest = z.object({ reason: z.string().min(1).max(500) }).strict();
