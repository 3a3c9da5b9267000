/**
 * Which lots a taking of points takes from: the lot that expires first, then
 * the next (ties by when it was earned, then by id), each as far as it goes.
 * Pure; null when the lots hold fewer points than asked.
 */
export interface OpenLot {
  id: string;
  pointsLeft: number;
  expiresAt: Date;
  earnedAt: Date;
}

export function takeFromLots(lots: readonly OpenLot[], points: number): { lotId: string; points: number }[] | null {
  if (!Number.isInteger(points) || points <= 0) throw new RangeError('points to take must be a positive whole number');
  const ordered = [...lots].filter((l) => l.pointsLeft > 0).sort((a, b) => a.expiresAt.getTime() - b.expiresAt.getTime() || a.earnedAt.getTime() - b.earnedAt.getTime() || a.id.localeCompare(b.id));
  const taken: { lotId: string; points: number }[] = [];
  let left = points;
  for (const lot of ordered) {
    if (left === 0) break;
    const n = Math.min(lot.pointsLeft, left);
    taken.push({ lotId: lot.id, points: n });
    left -= n;
  }
  return left === 0 ? taken : null;
}

/** Points a sub-order earns: per whole yuan kept (100 minor units), rounded down. */
export function pointsFor(keptMinor: number, pointsPerYuan: number): number {
  return Math.floor(Math.max(0, keptMinor) / 100) * pointsPerYuan;
}

/** The highest rung of the ladder the growth reaches, and the one after it (null at the top). Pure. */
export function levelOf<L extends { level: number; minGrowth: number }>(ladder: readonly L[], growth: number): { current: L; next: L | null } {
  const sorted = [...ladder].sort((a, b) => a.minGrowth - b.minGrowth);
  if (sorted.length === 0) throw new RangeError('the ladder has no level');
  let current = sorted[0]!;
  for (const l of sorted) if (l.minGrowth <= growth) current = l;
  const next = sorted.find((l) => l.minGrowth > growth) ?? null;
  return { current, next };
}
