import { levelOf, pointsFor, takeFromLots, type OpenLot } from './lots';

const day = (d: number) => new Date(Date.UTC(2026, 0, d));
const lot = (id: string, pointsLeft: number, expires: number, earned = 1): OpenLot => ({ id, pointsLeft, expiresAt: day(expires), earnedAt: day(earned) });

describe('takeFromLots', () => {
  it('when points are taken, then the lot expiring first gives first, each as far as it goes', () => {
    expect(takeFromLots([lot('late', 100, 30), lot('soon', 40, 10), lot('middle', 50, 20)], 70)).toEqual([
      { lotId: 'soon', points: 40 },
      { lotId: 'middle', points: 30 },
    ]);
  });
  it('when two lots expire together, then the one earned first gives first; empty lots are passed over', () => {
    expect(takeFromLots([lot('b', 10, 5, 3), lot('empty', 0, 1), lot('a', 10, 5, 2)], 15)).toEqual([
      { lotId: 'a', points: 10 },
      { lotId: 'b', points: 5 },
    ]);
  });
  it('when the lots hold fewer points than asked, then nothing is taken', () => {
    expect(takeFromLots([lot('a', 10, 5)], 11)).toBeNull();
    expect(takeFromLots([], 1)).toBeNull();
    expect(() => takeFromLots([lot('a', 10, 5)], 0)).toThrow(RangeError);
  });
});

describe('pointsFor', () => {
  it('earns per whole yuan kept, never for a part or a refund beyond it', () => {
    expect([pointsFor(12_999, 1), pointsFor(12_999, 2), pointsFor(99, 1), pointsFor(-5, 1)]).toEqual([129, 258, 0, 0]);
  });
});

describe('levelOf', () => {
  const ladder = [
    { level: 0, minGrowth: 0 },
    { level: 2, minGrowth: 2000 },
    { level: 1, minGrowth: 500 },
  ];
  it('is the highest rung the growth reaches, with the next one to reach', () => {
    expect([0, 499, 500, 1999, 2000, 99_999].map((g) => { const l = levelOf(ladder, g); return [l.current.level, l.next?.level ?? null]; })).toEqual([
      [0, 1],
      [0, 1],
      [1, 2],
      [1, 2],
      [2, null],
      [2, null],
    ]);
  });
});
