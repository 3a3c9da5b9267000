import { z } from 'zod';
import { Price } from './catalog';
import { CategoryPathParam, CouponScope } from './coupons';
import { bilingual } from './i18n';

/**
 * Full-reduction (满减 / 满折): a shop's activity that takes money off its own
 * goods once they come to a threshold, in tiers (满 300 减 30, 满 500 减 80),
 * every time the threshold is reached again (每满 200 减 20), or as a
 * percentage (满 500 打 9 折). No claiming: it applies to every buyer in its
 * window. marketing's quote applies the best one per shop, before coupons.
 */

const PositivePrice = Price.refine((p) => p.amount > 0, { message: 'must be above zero', path: ['amount'] });

export const ReductionTier = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('amount-off'), threshold: PositivePrice, off: PositivePrice }).strict(),
  z
    .object({
      kind: z.literal('percent-off'),
      threshold: PositivePrice,
      /** 10 is 10 % off (打 9 折) */
      percentOff: z.number().int().min(1).max(90),
    })
    .strict(),
]);
export type ReductionTier = z.infer<typeof ReductionTier>;

const MAX_WINDOW_MS = 366 * 24 * 3600 * 1000;

export const CreateReductionRequest = z
  .object({
    name: bilingual(60),
    /** one to five tiers of one kind, thresholds and discounts rising */
    tiers: z.array(ReductionTier).min(1).max(5),
    /** every threshold reached again takes the amount off again (每满 X 减 Y): one amount-off tier only */
    repeat: z.boolean().default(false),
    /** which of the shop's goods count (other shops' goods never do) */
    scope: CouponScope,
    startsAt: z.iso.datetime(),
    endsAt: z.iso.datetime(),
  })
  .strict()
  .refine((r) => new Set(r.tiers.map((t) => t.kind)).size === 1, { message: 'the tiers of one activity are of one kind', path: ['tiers'] })
  .refine((r) => new Set(r.tiers.flatMap((t) => [t.threshold.currency, ...(t.kind === 'amount-off' ? [t.off.currency] : [])])).size === 1, { message: 'the amounts share one currency', path: ['tiers'] })
  .superRefine((r, ctx) => {
    r.tiers.forEach((t, i) => {
      // 满 100 减 100 would make goods free
      if (t.kind === 'amount-off' && t.off.amount >= t.threshold.amount) ctx.addIssue({ code: 'custom', message: 'must be below the threshold', path: ['tiers', i, 'off', 'amount'] });
      const prev = r.tiers[i - 1];
      if (!prev) return;
      if (t.threshold.amount <= prev.threshold.amount) ctx.addIssue({ code: 'custom', message: 'thresholds rise from tier to tier', path: ['tiers', i, 'threshold', 'amount'] });
      const more = t.kind === 'amount-off' && prev.kind === 'amount-off' ? t.off.amount > prev.off.amount : t.kind === 'percent-off' && prev.kind === 'percent-off' ? t.percentOff > prev.percentOff : true;
      if (!more) ctx.addIssue({ code: 'custom', message: 'a higher tier takes more off', path: ['tiers', i] });
    });
  })
  .refine((r) => !r.repeat || (r.tiers.length === 1 && r.tiers[0]!.kind === 'amount-off'), { message: 'repeats only with one amount-off tier', path: ['repeat'] })
  .refine((r) => Date.parse(r.endsAt) > Date.parse(r.startsAt), { message: 'must be after startsAt', path: ['endsAt'] })
  .refine((r) => Date.parse(r.endsAt) > Date.now(), { message: 'must be in the future', path: ['endsAt'] })
  .refine((r) => Date.parse(r.endsAt) - Date.parse(r.startsAt) <= MAX_WINDOW_MS, { message: 'an activity runs for at most a year', path: ['endsAt'] });
export type CreateReductionRequest = z.infer<typeof CreateReductionRequest>;

export const ReductionStatus = z.enum(['active', 'paused']);
/** Where an activity is in its window. */
export const ReductionPhase = z.enum(['upcoming', 'running', 'ended']);

export const Reduction = z
  .object({
    id: z.uuid(),
    shopId: z.uuid(),
    name: bilingual(60),
    tiers: z.array(ReductionTier),
    repeat: z.boolean(),
    scope: CouponScope,
    startsAt: z.iso.datetime(),
    endsAt: z.iso.datetime(),
    status: ReductionStatus,
    phase: ReductionPhase,
    createdAt: z.iso.datetime(),
  })
  .strict();
export type Reduction = z.infer<typeof Reduction>;

export const SetReductionStatusRequest = z.object({ status: ReductionStatus }).strict();

/** Running activities that reach a product (its shop's, by scope). */
export const ReductionQuery = z
  .object({
    shopId: z.uuid(),
    productId: z.uuid().optional(),
    /** with productId */
    categoryPath: CategoryPathParam.optional(),
  })
  .strict()
  .refine((q) => !q.categoryPath || q.productId, { message: 'only with productId', path: ['categoryPath'] });
