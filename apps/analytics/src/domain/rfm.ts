import type { RfmGroup } from '@emporium/contracts';

/**
 * RFM scoring against fixed thresholds (a shop of any size reads the same
 * group the same way; quantiles would move with the crowd): recency in days
 * since the last paid order, frequency in orders and monetary in minor units
 * over the last year, each scored 1 (worst) to 5 (best).
 */
const RECENCY_DAYS = [7, 30, 90, 180] as const; // at most this many days: 5, 4, 3, 2; else 1
const FREQUENCY = [10, 5, 3, 2] as const; // at least this many orders: 5, 4, 3, 2; else 1
const MONETARY = [500_000, 200_000, 80_000, 20_000] as const; // at least this many fen: 5, 4, 3, 2; else 1

export function scores(recencyDays: number, frequency: number, monetary: number): { r: number; f: number; m: number } {
  const atMost = (v: number, limits: readonly number[]) => 5 - limits.filter((l) => v > l).length;
  const atLeast = (v: number, limits: readonly number[]) => {
    const i = limits.findIndex((l) => v >= l);
    return i === -1 ? 1 : 5 - i;
  };
  return { r: atMost(recencyDays, RECENCY_DAYS), f: atLeast(frequency, FREQUENCY), m: atLeast(monetary, MONETARY) };
}

/** The group a buyer's scores put them in, the first rule that holds. */
export function groupOf(s: { r: number; f: number; m: number }): RfmGroup {
  if (s.r >= 4 && s.f >= 4 && s.m >= 4) return 'champion';
  if (s.r >= 3 && s.f >= 4) return 'loyal';
  if (s.r >= 4 && s.f === 1) return 'new';
  if (s.r >= 4) return 'promising';
  if (s.r <= 2 && (s.f >= 3 || s.m >= 4)) return 'at_risk';
  if (s.r <= 2) return 'hibernating';
  return 'needs_attention';
}
