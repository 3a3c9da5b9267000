import { z } from 'zod';
import { Price } from './catalog';
import { defineEvent } from './events';
import { bilingual } from './i18n';

/**
 * Membership (会员): a points ledger and growth value per user.
 *
 * Points are earned in lots (one per completed sub-order, one per positive
 * adjustment), each with the day it expires; whatever takes points (an
 * expiry, a negative adjustment, later a checkout) takes them from the lot
 * that expires first. Every change is an entry of the append-only ledger,
 * with the balance after it: the balance is the sum of the entries and the
 * sum of what is left of unexpired lots, always.
 *
 * Growth value counts what a member has bought (it never expires and is never
 * spent); levels and their benefits are computed from it.
 */
/** How points are spent at checkout: so many points are worth one yuan (100 minor units), at most a share of the goods. */
export const PointsSpendRules = z
  .object({
    pointsPerYuan: z.number().int().min(1).max(10_000),
    /** the largest share of the goods (after full-reduction, coupons and the level discount) points may pay, in basis points */
    maxShareBps: z.number().int().min(0).max(10_000),
  })
  .strict();
export type PointsSpendRules = z.infer<typeof PointsSpendRules>;

/** revoke: points a sub-order earned, taken back when it is refunded after it completed (a return) */
export const PointsEntryKind = z.enum(['earn', 'adjust', 'expire', 'spend', 'return', 'revoke']);
export type PointsEntryKind = z.infer<typeof PointsEntryKind>;

export const PointsEntry = z
  .object({
    /** increasing: a later entry has a greater id (a keyset cursor) */
    id: z.string().regex(/^\d+$/),
    kind: PointsEntryKind,
    /** signed: what the entry added (+) or took (−) */
    points: z.number().int(),
    balanceAfter: z.number().int().min(0),
    orderId: z.uuid().nullable(),
    subOrderId: z.uuid().nullable(),
    /** an earned or added lot's expiry */
    expiresAt: z.iso.datetime().nullable(),
    note: z.string().nullable(),
    at: z.iso.datetime(),
  })
  .strict();
export type PointsEntry = z.infer<typeof PointsEntry>;

/**
 * A rung of the level ladder: reached at `minGrowth`, with its benefits (a
 * discount on goods in basis points, a free-shipping threshold lower than the
 * shops', a birthday coupon from an `issued` platform template).
 */
export const MemberLevel = z
  .object({
    level: z.number().int().min(0).max(9),
    name: bilingual(20),
    minGrowth: z.number().int().min(0).max(100_000_000),
    /** 200 is 2 % off goods */
    discountBps: z.number().int().min(0).max(2_000),
    /** shipping is free from this much (null: the shop's own rule) */
    freeShippingAbove: Price.nullable(),
    birthdayCouponTemplateId: z.uuid().nullable(),
  })
  .strict();
export type MemberLevel = z.infer<typeof MemberLevel>;

/** The whole ladder, replaced at once: level 0 from growth 0, one rung per level, growth and benefits rising. */
export const PutLevelsRequest = z
  .object({ levels: z.array(MemberLevel).min(1).max(10) })
  .strict()
  .superRefine((r, ctx) => {
    r.levels.forEach((l, i) => {
      if (l.level !== i) ctx.addIssue({ code: 'custom', message: `level ${i} here`, path: ['levels', i, 'level'] });
      if (i === 0 && l.minGrowth !== 0) ctx.addIssue({ code: 'custom', message: 'level 0 starts at 0', path: ['levels', 0, 'minGrowth'] });
      const prev = r.levels[i - 1];
      if (prev && l.minGrowth <= prev.minGrowth) ctx.addIssue({ code: 'custom', message: 'more growth than the level below', path: ['levels', i, 'minGrowth'] });
      if (prev && l.discountBps < prev.discountBps) ctx.addIssue({ code: 'custom', message: 'at least the discount of the level below', path: ['levels', i, 'discountBps'] });
    });
  });
export type PutLevelsRequest = z.infer<typeof PutLevelsRequest>;
export const LevelLadder = z.object({ items: z.array(MemberLevel) }).strict();
export type LevelLadder = z.infer<typeof LevelLadder>;


/** What a member brings to the quote (marketing): their level's benefits, the points they can use and how points are spent. */
export const MemberBenefits = z
  .object({
    userId: z.uuid(),
    level: z.number().int(),
    name: bilingual(20),
    discountBps: z.number().int(),
    freeShippingAbove: Price.nullable(),
    /** usable now: what the lots not yet expired hold */
    points: z.number().int().min(0),
    spend: PointsSpendRules,
  })
  .strict();
export type MemberBenefits = z.infer<typeof MemberBenefits>;

export const PointsAccount = z
  .object({
    userId: z.uuid(),
    points: z.number().int().min(0),
    growth: z.number().int().min(0),
    /** the member's level by growth, and how much more growth the next one needs */
    level: z.object({ level: z.number().int(), name: bilingual(20), next: z.object({ level: z.number().int(), name: bilingual(20), growthNeeded: z.number().int().min(1) }).strict().nullable() }).strict(),
    /** the points of the lots that expire next, and when (null: nothing to expire) */
    nextExpiry: z.object({ points: z.number().int().min(1), at: z.iso.datetime() }).strict().nullable(),
    /** how points are earned: per yuan (100 minor units) a completed sub-order kept, valid for so many days; and how they are spent at checkout */
    rules: z.object({ pointsPerYuan: z.number().int().min(0), validDays: z.number().int().min(1), spend: PointsSpendRules }).strict(),
  })
  .strict();
export type PointsAccount = z.infer<typeof PointsAccount>;

/** A page of entries, newest first; `before` is the id of the last entry of the page before. */
export const PointsEntriesQuery = z.object({ before: z.string().regex(/^\d{1,19}$/).optional(), limit: z.coerce.number().int().min(1).max(100).default(20) }).strict();
export const PointsEntryPage = z.object({ items: z.array(PointsEntry), nextBefore: z.string().nullable() }).strict();
export type PointsEntryPage = z.infer<typeof PointsEntryPage>;

/** A platform admin adds points (compensation, a campaign) or takes them (a correction); always with a reason. */
export const AdjustPointsRequest = z
  .object({
    points: z
      .number()
      .int()
      .min(-1_000_000)
      .max(1_000_000)
      .refine((n) => n !== 0, 'not zero'),
    reason: z.string().trim().min(3).max(200),
  })
  .strict();
export type AdjustPointsRequest = z.infer<typeof AdjustPointsRequest>;

/**
 * order → membership: hold the points a checkout spends (a `spend` entry, from the lots expiring
 * first), with each sub-order's part so a refund of a sub-order gives back its share.
 */
export const HoldPointsRequest = z
  .object({
    orderId: z.uuid(),
    userId: z.uuid(),
    points: z.number().int().min(1).max(100_000_000),
    parts: z
      .array(z.object({ subOrderId: z.uuid(), points: z.number().int().min(0), total: Price }).strict())
      .min(1)
      .max(100),
  })
  .strict()
  .refine((r) => r.parts.reduce((a, p) => a + p.points, 0) === r.points, { message: 'the parts add up to the points', path: ['parts'] });
export type HoldPointsRequest = z.infer<typeof HoldPointsRequest>;

export const PointsHold = z
  .object({ orderId: z.uuid(), userId: z.uuid(), points: z.number().int(), status: z.enum(['held', 'released']), balanceAfter: z.number().int().min(0) })
  .strict();
export type PointsHold = z.infer<typeof PointsHold>;

/**
 * A points activity (积分活动): sub-orders paid in its window (of one shop, or of every shop) earn
 * their points multiplied, once they complete. The best activity at the time of payment counts.
 */
export const CreatePointsActivityRequest = z
  .object({
    name: bilingual(60),
    /** 200 is double points */
    multiplierPercent: z.number().int().min(101).max(1_000),
    /** only this shop's sub-orders (null: every shop's) */
    shopId: z.uuid().nullable().default(null),
    startsAt: z.iso.datetime(),
    endsAt: z.iso.datetime(),
  })
  .strict()
  .refine((r) => Date.parse(r.endsAt) > Date.parse(r.startsAt), { message: 'must be after startsAt', path: ['endsAt'] })
  .refine((r) => Date.parse(r.endsAt) > Date.now(), { message: 'must be in the future', path: ['endsAt'] })
  .refine((r) => Date.parse(r.endsAt) - Date.parse(r.startsAt) <= 92 * 86_400_000, { message: 'at most 92 days', path: ['endsAt'] });
export type CreatePointsActivityRequest = z.infer<typeof CreatePointsActivityRequest>;

export const PointsActivity = z
  .object({
    id: z.uuid(),
    name: bilingual(60),
    multiplierPercent: z.number().int(),
    shopId: z.uuid().nullable(),
    startsAt: z.iso.datetime(),
    endsAt: z.iso.datetime(),
    status: z.enum(['upcoming', 'running', 'ended']),
    createdAt: z.iso.datetime(),
  })
  .strict();
export type PointsActivity = z.infer<typeof PointsActivity>;

export const MembershipEvents = [
  defineEvent('member.level-changed', 1, 'A member reached another level (growth rose, or the ladder changed)', {
    userId: z.uuid(),
    from: z.number().int(),
    to: z.number().int(),
  }),
] as const;
