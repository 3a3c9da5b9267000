import type { Reduction, ReductionTier } from '@emporium/contracts';
import { apportion, inScope, type CouponLine } from './coupon-math';

/**
 * What full-reduction (满减 / 满折) takes off a selection, pure. The rules:
 * - An activity counts its own shop's lines in its scope, at what they cost
 *   after tier, company and flash-sale prices (never list prices).
 * - The highest tier reached applies (满 300 减 30, 满 500 减 80: 520 takes
 *   80 off); a repeating activity takes its amount off once per threshold
 *   reached (每满 200 减 20: 520 takes 40 off); a percentage rounds down.
 * - No line in scope goes below one minor unit.
 * - One activity per shop, the one that takes most off (ties: the earliest
 *   ending, then the id); activities never stack with each other. Coupons
 *   come after, on what is left.
 */
export type ReductionTerms = Pick<Reduction, 'id' | 'shopId' | 'name' | 'tiers' | 'repeat' | 'scope' | 'endsAt'>;

export function reductionCurrency(r: Pick<Reduction, 'tiers'>): string {
  return r.tiers[0]!.threshold.currency;
}

function tierOff(tier: ReductionTier, eligible: number): number {
  return tier.kind === 'amount-off' ? tier.off.amount : Math.floor((eligible * tier.percentOff) / 100);
}

/** What the activity takes off `eligible` (before the one-unit floor), and the tier reached (-1: none). */
export function reductionOff(r: Pick<Reduction, 'tiers' | 'repeat'>, eligible: number): { off: number; tier: number } {
  let tier = -1;
  r.tiers.forEach((t, i) => {
    if (eligible >= t.threshold.amount) tier = i;
  });
  if (tier < 0) return { off: 0, tier };
  const t = r.tiers[tier]!;
  const off = r.repeat && t.kind === 'amount-off' ? Math.floor(eligible / t.threshold.amount) * t.off.amount : tierOff(t, eligible);
  return { off, tier };
}

/** The next step up: how much more the lines in scope need, and what the activity would then take off in all; null at the top. */
export function nextStep(r: Pick<Reduction, 'tiers' | 'repeat'>, eligible: number): { shortBy: number; saves: number } | null {
  const first = r.tiers[0]!;
  if (r.repeat && first.kind === 'amount-off') {
    const times = Math.floor(eligible / first.threshold.amount) + 1;
    return { shortBy: times * first.threshold.amount - eligible, saves: times * first.off.amount };
  }
  const next = r.tiers.find((t) => t.threshold.amount > eligible);
  return next ? { shortBy: next.threshold.amount - eligible, saves: tierOff(next, next.threshold.amount) } : null;
}

export interface ReductionFit {
  reduction: ReductionTerms;
  eligible: number;
  discount: number;
  /** by line index; 0 outside its scope */
  shares: number[];
  next: { shortBy: number; saves: number } | null;
}

/** The activity against the lines (its shop's in scope): what it takes off each line, and the next step. */
export function fitReduction(r: ReductionTerms, lines: readonly CouponLine[]): ReductionFit {
  const within = lines.map((l) => inScope(r, l));
  const eligible = lines.reduce((a, l, i) => a + (within[i] ? l.amount : 0), 0);
  const weights = lines.map((l, i) => (within[i] ? Math.max(0, l.amount - 1) : 0));
  const discount = Math.min(reductionOff(r, eligible).off, weights.reduce((a, w) => a + w, 0));
  return { reduction: r, eligible, discount, shares: apportion(discount, weights), next: eligible > 0 ? nextStep(r, eligible) : null };
}

/**
 * Per shop, the activity that takes most off (it applies), and the hint for the cart: of the steps
 * that would save more than what applies now, the one that needs least more.
 */
export function bestReductions(reductions: readonly ReductionTerms[], lines: readonly CouponLine[], currency: string): { applied: ReductionFit[]; hints: Map<string, ReductionFit> } {
  const fits = reductions.filter((r) => reductionCurrency(r) === currency).map((r) => fitReduction(r, lines));
  const applied: ReductionFit[] = [];
  const hints = new Map<string, ReductionFit>();
  for (const shopId of [...new Set(fits.map((f) => f.reduction.shopId))]) {
    const mine = fits.filter((f) => f.reduction.shopId === shopId && f.eligible > 0);
    const best = [...mine].sort((a, b) => b.discount - a.discount || a.reduction.endsAt.localeCompare(b.reduction.endsAt) || a.reduction.id.localeCompare(b.reduction.id))[0];
    if (best && best.discount > 0) applied.push(best);
    const now = best?.discount ?? 0;
    const hint = mine.filter((f) => f.next && f.next.saves > now).sort((a, b) => a.next!.shortBy - b.next!.shortBy || b.next!.saves - a.next!.saves)[0];
    if (hint) hints.set(shopId, hint);
  }
  return { applied, hints };
}
