import { birthdaysOn, localDay } from './birthdays';

describe('birthdays', () => {
  it('reads the calendar day in the platform time zone, not the server’s', () => {
    // 17:30 UTC on 31 December is already 1 January in Shanghai
    const now = new Date('2026-12-31T17:30:00Z');
    expect(localDay(now, 'Asia/Shanghai')).toEqual({ year: 2027, month: 1, day: 1 });
    expect(localDay(now, 'UTC')).toEqual({ year: 2026, month: 12, day: 31 });
  });

  it('celebrates 29 February on 28 February of a common year, and on its own day in a leap year', () => {
    expect(birthdaysOn({ year: 2027, month: 2, day: 28 })).toEqual(['02-28', '02-29']);
    expect(birthdaysOn({ year: 2028, month: 2, day: 28 })).toEqual(['02-28']);
    expect(birthdaysOn({ year: 2028, month: 2, day: 29 })).toEqual(['02-29']);
    expect(birthdaysOn({ year: 2026, month: 7, day: 4 })).toEqual(['07-04']);
  });
});
