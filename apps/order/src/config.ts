import { z } from 'zod';

/** order's own settings beside the kit's. */
export const orderConfig = {
  PAYMENT_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(86_400).default(900).describe('How long checkout waits for the payment before it cancels the order'),
  AUTO_CONFIRM_SECONDS: z.coerce.number().int().min(1).default(7 * 86_400).describe('A delivered sub-order the buyer has not confirmed completes this long after its delivery'),
  RETURN_WINDOW_DAYS: z.coerce.number().int().min(0).max(90).default(7).describe("Days after delivery a shop's buyers may ask to return goods, for shops without a policy of their own (七天无理由退货)"),
  PAYMENT_RESULT_SWEEP_MS: z.coerce.number().int().min(100).default(5_000).describe("How often orders still waiting for their payment's result, approved refunds still waiting for theirs and group-buy sub-orders still waiting for their group are looked at"),
  PAYMENT_RESULT_AFTER_SECONDS: z.coerce.number().int().min(1).default(10).describe("An order waiting this long since its last change asks payment what became of its payment (and again as often), in case the result's event was lost; an approved refund the same, this long after its approval, and a group-buy sub-order asks marketing how its group ended"),
  RESULT_GRACE_MS: z.coerce.number().int().min(0).default(10_000).describe("A result a sweep learns by asking (a payment's, a refund's, a group's end) is applied only once it is this old, so the question does not race the result's own event still on its way"),
  AUTO_CONFIRM_SWEEP_MS: z.coerce.number().int().min(100).default(60_000).describe('How often delivered sub-orders are checked for auto-confirmation'),
  DEFAULT_COMMISSION_BPS: z.coerce.number().int().min(0).max(5000).default(500).describe("Commission of a shop whose rate order has not heard of yet"),
  REFUND_TIMEOUT_SECONDS: z.coerce.number().int().min(1).default(86_400).describe("How long a refund waits for the provider's answer before it is marked failed"),
  CHECKOUT_ADMISSION_TARGET_MS: z.coerce.number().int().min(50).max(60_000).default(1000).describe('A checkout answered slower than this means checkouts are backing up: fewer are let in at once (admission control)'),
  CHECKOUT_ADMISSION_MIN: z.coerce.number().int().min(1).max(10_000).default(4).describe('Checkouts always let in at once, however slow the answers'),
  CHECKOUT_ADMISSION_MAX: z.coerce.number().int().min(1).max(10_000).default(256).describe('Checkouts let in at once at most; past the current limit a checkout is refused with 503 and Retry-After'),
} as const;
