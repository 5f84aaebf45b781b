import { describe, expect, it } from 'vitest';
import { addDays } from '../../src/domain/business-calendar.ts';
import {
  isJapaneseHoliday,
  japaneseHolidayName,
  japaneseHolidaysIn,
} from '../../src/domain/japanese-holidays.ts';

// Lists as published by the Cabinet Office (内閣府「国民の祝日について」).
const expectedByYear: Record<number, Array<[string, string]>> = {
  2024: [
    ['2024-01-01', '元日'],
    ['2024-01-08', '成人の日'],
    ['2024-02-11', '建国記念の日'],
    ['2024-02-12', '振替休日'],
    ['2024-02-23', '天皇誕生日'],
    ['2024-03-20', '春分の日'],
    ['2024-04-29', '昭和の日'],
    ['2024-05-03', '憲法記念日'],
    ['2024-05-04', 'みどりの日'],
    ['2024-05-05', 'こどもの日'],
    ['2024-05-06', '振替休日'],
    ['2024-07-15', '海の日'],
    ['2024-08-11', '山の日'],
    ['2024-08-12', '振替休日'],
    ['2024-09-16', '敬老の日'],
    ['2024-09-22', '秋分の日'],
    ['2024-09-23', '振替休日'],
    ['2024-10-14', 'スポーツの日'],
    ['2024-11-03', '文化の日'],
    ['2024-11-04', '振替休日'],
    ['2024-11-23', '勤労感謝の日'],
  ],
  2025: [
    ['2025-01-01', '元日'],
    ['2025-01-13', '成人の日'],
    ['2025-02-11', '建国記念の日'],
    ['2025-02-23', '天皇誕生日'],
    ['2025-02-24', '振替休日'],
    ['2025-03-20', '春分の日'],
    ['2025-04-29', '昭和の日'],
    ['2025-05-03', '憲法記念日'],
    ['2025-05-04', 'みどりの日'],
    ['2025-05-05', 'こどもの日'],
    ['2025-05-06', '振替休日'],
    ['2025-07-21', '海の日'],
    ['2025-08-11', '山の日'],
    ['2025-09-15', '敬老の日'],
    ['2025-09-23', '秋分の日'],
    ['2025-10-13', 'スポーツの日'],
    ['2025-11-03', '文化の日'],
    ['2025-11-23', '勤労感謝の日'],
    ['2025-11-24', '振替休日'],
  ],
  2026: [
    ['2026-01-01', '元日'],
    ['2026-01-12', '成人の日'],
    ['2026-02-11', '建国記念の日'],
    ['2026-02-23', '天皇誕生日'],
    ['2026-03-20', '春分の日'],
    ['2026-04-29', '昭和の日'],
    ['2026-05-03', '憲法記念日'],
    ['2026-05-04', 'みどりの日'],
    ['2026-05-05', 'こどもの日'],
    ['2026-05-06', '振替休日'],
    ['2026-07-20', '海の日'],
    ['2026-08-11', '山の日'],
    ['2026-09-21', '敬老の日'],
    ['2026-09-22', '国民の休日'],
    ['2026-09-23', '秋分の日'],
    ['2026-10-12', 'スポーツの日'],
    ['2026-11-03', '文化の日'],
    ['2026-11-23', '勤労感謝の日'],
  ],
};

describe('japaneseHolidaysIn', () => {
  it.each([2024, 2025, 2026])('lists every holiday of %i in date order', (year) => {
    const expected = (expectedByYear[year] ?? []).map(([date, name]) => ({ date, name }));
    expect(japaneseHolidaysIn(year)).toEqual(expected);
  });

  it('refuses years whose rules are not implemented', () => {
    expect(() => japaneseHolidaysIn(1999)).toThrow(/2000-2099/);
    expect(() => japaneseHolidaysIn(2100)).toThrow(/2000-2099/);
    expect(() => japaneseHolidayName('2100-01-01')).toThrow(/2000-2099/);
  });

  it('hands out a fresh list, so a caller cannot corrupt the next answer', () => {
    japaneseHolidaysIn(2026).splice(0);
    expect(japaneseHolidaysIn(2026)).toHaveLength(18);
  });
});

describe('japaneseHolidayName', () => {
  it.each([
    // Equinoxes: the formula against announced dates, including the rarer 9/22 and 3/19.
    ['2000-03-20', '春分の日'],
    ['2012-09-22', '秋分の日'],
    ['2016-03-20', '春分の日'],
    ['2019-03-21', '春分の日'],
    ['2020-09-22', '秋分の日'],
    ['2023-03-21', '春分の日'],
    ['2023-09-23', '秋分の日'],
    ['2027-03-21', '春分の日'],
    ['2027-09-23', '秋分の日'],
    ['2028-09-22', '秋分の日'],
    ['2092-03-19', '春分の日'],
    // Accession of the Reiwa Emperor (2019): 4/30 and 5/2 are 国民の休日 between 祝日.
    ['2019-04-30', '国民の休日'],
    ['2019-05-01', '天皇の即位の日'],
    ['2019-05-02', '国民の休日'],
    ['2019-05-06', '振替休日'],
    ['2019-10-22', '即位礼正殿の儀の行われる日'],
    // Tokyo Olympics moves.
    ['2020-07-23', '海の日'],
    ['2020-07-24', 'スポーツの日'],
    ['2020-08-10', '山の日'],
    ['2021-07-22', '海の日'],
    ['2021-07-23', 'スポーツの日'],
    ['2021-08-08', '山の日'],
    ['2021-08-09', '振替休日'],
    // The Emperor's birthday across the change of era.
    ['2018-12-23', '天皇誕生日'],
    ['2018-12-24', '振替休日'],
    ['2020-02-23', '天皇誕生日'],
    ['2020-02-24', '振替休日'],
    // Older rules.
    ['2002-07-20', '海の日'],
    ['2002-09-15', '敬老の日'],
    ['2002-09-16', '振替休日'],
    ['2002-05-04', '国民の休日'],
    ['2006-04-29', 'みどりの日'],
    ['2007-04-29', '昭和の日'],
    ['2007-04-30', '振替休日'],
    ['2015-10-12', '体育の日'],
    // From 2007 the substitute slides past consecutive 祝日.
    ['2009-05-06', '振替休日'],
    ['2008-05-06', '振替休日'],
    // Silver Week.
    ['2009-09-22', '国民の休日'],
    ['2015-09-22', '国民の休日'],
    ['2032-09-21', '国民の休日'],
    // Substitute holidays named in the 2024-2025 calendars.
    ['2024-02-12', '振替休日'],
    ['2024-05-06', '振替休日'],
    ['2024-08-12', '振替休日'],
    ['2024-09-23', '振替休日'],
    ['2024-11-04', '振替休日'],
    ['2025-02-24', '振替休日'],
    ['2025-05-06', '振替休日'],
    ['2025-11-24', '振替休日'],
  ])('names %s %s', (date, name) => {
    expect(japaneseHolidayName(date)).toBe(name);
    expect(isJapaneseHoliday(date)).toBe(true);
  });

  it.each([
    ['2019-02-23', 'no Emperor’s birthday in 2019'],
    ['2019-12-23', 'no Emperor’s birthday in 2019'],
    ['2020-07-20', '海の日 moved in 2020'],
    ['2020-08-11', '山の日 moved in 2020'],
    ['2020-10-12', 'スポーツの日 moved in 2020'],
    ['2021-07-19', '海の日 moved in 2021'],
    ['2021-08-11', '山の日 moved in 2021'],
    ['2021-10-11', 'スポーツの日 moved in 2021'],
    ['2003-05-04', 'a sandwiched Sunday stays a Sunday'],
    ['2015-08-11', 'no 山の日 before 2016'],
    ['2024-12-23', 'Heisei Emperor’s birthday is gone'],
    ['2026-03-21', 'the day after the equinox'],
    ['2026-12-31', 'New Year’s Eve is a company custom, not a national holiday'],
  ])('does not treat %s as a holiday (%s)', (date) => {
    expect(japaneseHolidayName(date)).toBeNull();
    expect(isJapaneseHoliday(date)).toBe(false);
  });

  it('rejects text that is not a YYYY-MM-DD date', () => {
    expect(() => japaneseHolidayName('2026/01/01')).toThrow(/YYYY-MM-DD/);
    expect(() => japaneseHolidayName('2026-1-1')).toThrow(/YYYY-MM-DD/);
  });
});

describe('a day-by-day sweep of 2000-2099', () => {
  it('agrees with the yearly lists on every day and keeps each year to a plausible 15-21 holidays', () => {
    for (let year = 2000; year <= 2099; year++) {
      const listed = new Map(japaneseHolidaysIn(year).map((h) => [h.date, h.name]));
      let found = 0;
      for (let day = `${year}-01-01`; day.startsWith(String(year)); day = addDays(day, 1)) {
        const name = japaneseHolidayName(day);
        expect(name, day).toBe(listed.get(day) ?? null);
        if (name !== null) found++;
      }
      expect(found, String(year)).toBe(listed.size);
      // 2019 is the one year with 22: the accession added four days off.
      if (year === 2019) expect(found).toBe(22);
      else {
        expect(found, String(year)).toBeGreaterThanOrEqual(15);
        expect(found, String(year)).toBeLessThanOrEqual(21);
      }
    }
  });

  it('has both equinoxes every year, in their possible windows', () => {
    for (let year = 2000; year <= 2099; year++) {
      const names = japaneseHolidaysIn(year);
      const vernal = names.find((h) => h.name === '春分の日')?.date;
      const autumnal = names.find((h) => h.name === '秋分の日')?.date;
      expect([`${year}-03-19`, `${year}-03-20`, `${year}-03-21`]).toContain(vernal);
      expect([`${year}-09-22`, `${year}-09-23`]).toContain(autumnal);
    }
  });

  it('never gives a 振替休日 or 国民の休日 on a Sunday', () => {
    for (let year = 2000; year <= 2099; year++) {
      for (const { date, name } of japaneseHolidaysIn(year)) {
        if (name === '振替休日' || name === '国民の休日') {
          expect(new Date(`${date}T00:00:00Z`).getUTCDay(), date).not.toBe(0);
        }
      }
    }
  });
});
