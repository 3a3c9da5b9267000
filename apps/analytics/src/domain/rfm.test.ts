import { groupOf, scores } from './rfm';

describe('RFM', () => {
  it('when figures sit on a threshold, then they take the better score', () => {
    expect(scores(7, 10, 500_000)).toEqual({ r: 5, f: 5, m: 5 });
    expect(scores(8, 9, 499_999)).toEqual({ r: 4, f: 4, m: 4 });
    expect(scores(181, 1, 0)).toEqual({ r: 1, f: 1, m: 1 });
    expect(scores(90, 3, 80_000)).toEqual({ r: 3, f: 3, m: 3 });
  });

  it('when buyers differ, then each lands in the group marketers would name', () => {
    expect(groupOf(scores(2, 12, 900_000))).toBe('champion');
    expect(groupOf(scores(60, 6, 50_000))).toBe('loyal');
    expect(groupOf(scores(3, 1, 10_000))).toBe('new');
    expect(groupOf(scores(20, 2, 10_000))).toBe('promising');
    expect(groupOf(scores(200, 4, 10_000))).toBe('at_risk');
    expect(groupOf(scores(200, 1, 10_000))).toBe('hibernating');
    expect(groupOf(scores(60, 2, 10_000))).toBe('needs_attention');
  });
});
