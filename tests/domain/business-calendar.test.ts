import { describe, expect, it } from 'vitest';
import type { BusinessCalendar } from '../../src/domain/business-calendar.ts';
import {
  addBusinessMinutes,
  addDays,
  addMonths,
  addWorkingDays,
  businessMinutesBetween,
  daysBetween,
  isOpenAt,
  isoWeekday,
  isWorkingDay,
  localDate,
  nextOpening,
  nextWorkingDay,
  parseBusinessDays,
  parseBusinessHours,
  zonedParts,
  zonedTimeToInstant,
} from '../../src/domain/business-calendar.ts';
import { isJapaneseHoliday } from '../../src/domain/japanese-holidays.ts';
import { prng } from '../support/seeded-random.ts';

const MINUTE = 60_000;

/** A Tokyo wall time such as '2026-01-09T17:55'. */
const jst = (wall: string) => new Date(`${wall}+09:00`);

const tokyo: BusinessCalendar = {
  timezone: 'Asia/Tokyo',
  openMinute: 9 * 60,
  closeMinute: 18 * 60,
  days: [1, 2, 3, 4, 5],
  holidays: isJapaneseHoliday,
};

const newYork: BusinessCalendar = {
  timezone: 'America/New_York',
  openMinute: 9 * 60,
  closeMinute: 17 * 60,
  days: [1, 2, 3, 4, 5],
  holidays: () => false,
};

describe('calendar dates', () => {
  it.each([
    ['1969-12-31', 3],
    ['1970-01-01', 4],
    ['2024-02-29', 4],
    ['2026-01-12', 1],
    ['2026-01-17', 6],
    ['2026-01-18', 7],
  ])('isoWeekday(%s) = %i', (ymd, weekday) => {
    expect(isoWeekday(ymd)).toBe(weekday);
  });

  it.each([
    ['2026-01-31', 1, '2026-02-01'],
    ['2024-02-28', 1, '2024-02-29'],
    ['2026-03-01', -1, '2026-02-28'],
    ['2026-12-31', 1, '2027-01-01'],
    ['2024-01-01', 365, '2024-12-31'],
    ['2026-05-05', 0, '2026-05-05'],
  ])('addDays(%s, %i) = %s', (ymd, n, expected) => {
    expect(addDays(ymd, n)).toBe(expected);
  });

  it.each([
    ['2026-01-31', 1, '2026-02-28'],
    ['2024-01-31', 1, '2024-02-29'],
    ['2026-03-31', -1, '2026-02-28'],
    ['2026-08-31', 1, '2026-09-30'],
    ['2026-11-15', 3, '2027-02-15'],
    ['2026-01-15', -1, '2025-12-15'],
    ['2026-05-31', 12, '2027-05-31'],
    ['2024-02-29', 12, '2025-02-28'],
  ])('addMonths(%s, %i) = %s, clamped to the month end', (ymd, n, expected) => {
    expect(addMonths(ymd, n)).toBe(expected);
  });

  it.each([
    ['2026-01-01', '2026-12-31', 364],
    ['2024-01-01', '2025-01-01', 366],
    ['2026-01-10', '2026-01-09', -1],
    ['2026-03-07', '2026-03-09', 2],
  ])('daysBetween(%s, %s) = %i', (a, b, expected) => {
    expect(daysBetween(a, b)).toBe(expected);
  });

  it.each(['2026-02-30', '2026-1-1', '2026/01/01', '', '2026-13-01'])('rejects %j', (bad) => {
    expect(() => addDays(bad, 1)).toThrow(/YYYY-MM-DD/);
    expect(() => isoWeekday(bad)).toThrow(/YYYY-MM-DD/);
    expect(() => addMonths(bad, 1)).toThrow(/YYYY-MM-DD/);
  });
});

describe('time zones', () => {
  it.each([
    ['2026-01-15', '09:00', 'America/New_York', '2026-01-15T14:00:00.000Z'],
    ['2026-07-01', '09:00', 'America/New_York', '2026-07-01T13:00:00.000Z'],
    ['2026-03-08', '01:30', 'America/New_York', '2026-03-08T06:30:00.000Z'],
    ['2026-03-08', '03:00', 'America/New_York', '2026-03-08T07:00:00.000Z'],
    // 02:30 does not exist on the spring-forward night: it is read as 03:30 EDT.
    ['2026-03-08', '02:30', 'America/New_York', '2026-03-08T07:30:00.000Z'],
    // 01:30 happens twice on the fall-back night: the first (EDT) one.
    ['2026-11-01', '01:30', 'America/New_York', '2026-11-01T05:30:00.000Z'],
    ['2026-11-01', '00:30', 'America/New_York', '2026-11-01T04:30:00.000Z'],
    ['2026-11-01', '02:00', 'America/New_York', '2026-11-01T07:00:00.000Z'],
    ['2026-03-29', '01:30', 'Europe/London', '2026-03-29T01:30:00.000Z'],
    ['2026-10-25', '01:30', 'Europe/London', '2026-10-25T00:30:00.000Z'],
    ['2026-01-15', '09:00', 'Asia/Kolkata', '2026-01-15T03:30:00.000Z'],
    ['2026-01-01', '00:00', 'Asia/Tokyo', '2025-12-31T15:00:00.000Z'],
    ['2026-01-09', '9:05', 'Asia/Tokyo', '2026-01-09T00:05:00.000Z'],
  ])('zonedTimeToInstant(%s, %s, %s) = %s', (ymd, hhmm, tz, iso) => {
    expect(zonedTimeToInstant(ymd, hhmm, tz).toISOString()).toBe(iso);
  });

  it.each(['24:00', '12:60', '0900', 'noon'])('zonedTimeToInstant rejects the time %j', (hhmm) => {
    expect(() => zonedTimeToInstant('2026-01-09', hhmm, 'Asia/Tokyo')).toThrow(/HH:MM/);
  });

  it.each([
    ['2026-03-08T04:59:00Z', 'America/New_York', '2026-03-07'],
    ['2026-03-08T05:00:00Z', 'America/New_York', '2026-03-08'],
    ['2026-03-09T03:59:00Z', 'America/New_York', '2026-03-08'],
    ['2026-03-09T04:00:00Z', 'America/New_York', '2026-03-09'],
    ['2026-11-01T03:59:00Z', 'America/New_York', '2026-10-31'],
    ['2026-11-01T04:00:00Z', 'America/New_York', '2026-11-01'],
    ['2026-11-02T04:59:00Z', 'America/New_York', '2026-11-01'],
    ['2026-11-02T05:00:00Z', 'America/New_York', '2026-11-02'],
    ['2026-01-14T14:59:59Z', 'Asia/Tokyo', '2026-01-14'],
    ['2026-01-14T15:00:00Z', 'Asia/Tokyo', '2026-01-15'],
  ])('localDate(%s, %s) = %s', (iso, tz, expected) => {
    expect(localDate(new Date(iso), tz)).toBe(expected);
  });

  it('reads midnight as hour 0', () => {
    expect(zonedParts(new Date('2026-01-14T15:00:00Z'), 'Asia/Tokyo')).toEqual({
      year: 2026,
      month: 1,
      day: 15,
      hour: 0,
      minute: 0,
      second: 0,
    });
  });

  it('round-trips every quarter hour of the DST-change days in New York', () => {
    for (const ymd of ['2026-03-08', '2026-11-01']) {
      for (let minute = 0; minute < 24 * 60; minute += 15) {
        const hhmm = `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
        const parts = zonedParts(zonedTimeToInstant(ymd, hhmm, 'America/New_York'), 'America/New_York');
        const inGap = ymd === '2026-03-08' && hhmm.startsWith('02:');
        expect(parts.hour * 60 + parts.minute, `${ymd} ${hhmm}`).toBe(inGap ? minute + 60 : minute);
      }
    }
  });
});

describe('parseBusinessHours', () => {
  it.each([
    ['09:00-18:00', 540, 1080],
    ['9:00-18:00', 540, 1080],
    [' 09:30 - 17:45 ', 570, 1065],
    ['10:00~19:00', 600, 1140],
    ['０９：００〜１８：００', 540, 1080],
    ['10:00-24:00', 600, 1440],
  ])('parses %j', (text, openMinute, closeMinute) => {
    expect(parseBusinessHours(text)).toEqual({ openMinute, closeMinute });
  });

  it.each([
    ['18:00-09:00', /before closing/],
    ['09:00-09:00', /before closing/],
    ['9-18', /HH:MM-HH:MM/],
    ['09:00', /HH:MM-HH:MM/],
    ['', /HH:MM-HH:MM/],
    ['25:00-26:00', /HH:MM-HH:MM/],
    ['09:60-18:00', /HH:MM-HH:MM/],
    ['24:00-24:00', /HH:MM-HH:MM/],
    ['09:00-18:00-20:00', /HH:MM-HH:MM/],
  ])('rejects %j', (text, message) => {
    expect(() => parseBusinessHours(text)).toThrow(message);
  });
});

describe('parseBusinessDays', () => {
  it.each([
    ['1-5', [1, 2, 3, 4, 5]],
    ['1-6', [1, 2, 3, 4, 5, 6]],
    ['1,2,3,5', [1, 2, 3, 5]],
    ['1-5,7', [1, 2, 3, 4, 5, 7]],
    ['1-5,0', [1, 2, 3, 4, 5, 7]],
    ['0,6', [6, 7]],
    ['0-6', [1, 2, 3, 4, 5, 6, 7]],
    [' 5 , 1 - 2 , 2 ', [1, 2, 5]],
    ['１－５', [1, 2, 3, 4, 5]],
  ])('parses %j', (text, days) => {
    expect(parseBusinessDays(text)).toEqual(days);
  });

  it.each([
    ['', /ISO weekdays/],
    ['8', /ISO weekdays/],
    ['mon-fri', /ISO weekdays/],
    ['1-5,', /ISO weekdays/],
    ['1--5', /ISO weekdays/],
    ['5-1', /backwards/],
  ])('rejects %j', (text, message) => {
    expect(() => parseBusinessDays(text)).toThrow(message);
  });
});

describe('working days', () => {
  it.each([
    ['2026-01-09', true],
    ['2026-01-10', false],
    ['2026-01-11', false],
    ['2026-01-12', false],
    ['2026-01-13', true],
    ['2026-05-06', false],
  ])('isWorkingDay(%s) = %s in Tokyo', (ymd, expected) => {
    expect(isWorkingDay(ymd, tokyo)).toBe(expected);
  });

  it.each([
    ['2026-01-13', '2026-01-13'],
    ['2026-01-10', '2026-01-13'],
    ['2026-05-02', '2026-05-07'],
    ['2026-09-19', '2026-09-24'],
  ])('nextWorkingDay(%s) = %s', (ymd, expected) => {
    expect(nextWorkingDay(ymd, tokyo)).toBe(expected);
  });

  it.each([
    ['2026-01-09', 0, '2026-01-09'],
    ['2026-01-09', 1, '2026-01-13'],
    ['2026-01-10', 0, '2026-01-13'],
    ['2026-01-10', 1, '2026-01-14'],
    ['2026-01-05', 5, '2026-01-13'],
    ['2026-04-30', 2, '2026-05-07'],
    ['2025-12-26', 4, '2026-01-02'],
  ])('addWorkingDays(%s, %i) = %s', (ymd, n, expected) => {
    expect(addWorkingDays(ymd, n, tokyo)).toBe(expected);
  });

  it('counts Saturdays for a six-day week', () => {
    expect(addWorkingDays('2026-01-09', 1, { ...tokyo, days: [1, 2, 3, 4, 5, 6] })).toBe('2026-01-10');
  });

  it('rejects a negative or fractional n', () => {
    expect(() => addWorkingDays('2026-01-09', -1, tokyo)).toThrow(RangeError);
    expect(() => addWorkingDays('2026-01-09', 1.5, tokyo)).toThrow(RangeError);
  });

  it('gives up on a calendar without working days instead of looping forever', () => {
    expect(() => nextWorkingDay('2026-01-09', { ...tokyo, days: [] })).toThrow(/No working day/);
    expect(() => addBusinessMinutes(jst('2026-01-09T10:00'), 5, { ...tokyo, holidays: () => true })).toThrow(
      /No working day/,
    );
  });
});

describe('business hours in Tokyo (09:00-18:00, Mon-Fri, national holidays)', () => {
  it.each([
    ['2026-01-14T09:00', true],
    ['2026-01-14T08:59', false],
    ['2026-01-14T17:59', true],
    ['2026-01-14T18:00', false],
    ['2026-01-12T10:00', false],
    ['2026-01-17T10:00', false],
  ])('isOpenAt(%s) = %s', (wall, expected) => {
    expect(isOpenAt(jst(wall), tokyo)).toBe(expected);
  });

  it.each([
    ['2026-01-14T10:00', '2026-01-14T10:00'],
    ['2026-01-14T07:00', '2026-01-14T09:00'],
    ['2026-01-14T18:00', '2026-01-15T09:00'],
    ['2026-01-09T18:30', '2026-01-13T09:00'],
    ['2026-04-30T19:00', '2026-05-01T09:00'],
    ['2026-05-01T18:00', '2026-05-07T09:00'],
  ])('nextOpening(%s) = %s', (from, expected) => {
    expect(nextOpening(jst(from), tokyo)).toEqual(jst(expected));
  });

  it.each([
    ['2026-01-16T17:55', 10, '2026-01-19T09:05', 'Friday evening to Monday morning'],
    ['2026-01-09T17:55', 10, '2026-01-13T09:05', 'over 成人の日 to Tuesday'],
    ['2026-01-14T10:00', 30, '2026-01-14T10:30', 'within the day'],
    ['2026-01-14T17:50', 10, '2026-01-14T18:00', 'ending exactly at closing time'],
    ['2026-01-14T18:00', 0, '2026-01-15T09:00', 'zero minutes at closing time'],
    ['2026-01-14T07:00', 0, '2026-01-14T09:00', 'zero minutes before opening'],
    ['2026-01-14T07:00', 60, '2026-01-14T10:00', 'starting before opening'],
    ['2026-01-14T20:00', 60, '2026-01-15T10:00', 'overnight'],
    ['2026-01-14T12:00', 540, '2026-01-15T12:00', 'a full business day'],
    ['2026-01-17T10:00', 10, '2026-01-19T09:10', 'from a Saturday'],
    ['2026-05-01T17:30', 60, '2026-05-07T09:30', 'over Golden Week'],
    ['2026-09-18T17:00', 120, '2026-09-24T10:00', 'over Silver Week'],
    ['2025-12-31T17:00', 120, '2026-01-02T10:00', 'over 元日'],
  ])('addBusinessMinutes(%s, %i) = %s (%s)', (from, minutes, expected) => {
    expect(addBusinessMinutes(jst(from), minutes, tokyo)).toEqual(jst(expected));
  });

  it('rejects negative minutes', () => {
    expect(() => addBusinessMinutes(jst('2026-01-14T10:00'), -1, tokyo)).toThrow(RangeError);
  });

  it.each([
    ['2026-01-14T10:00', '2026-01-14T10:30', 30, 'within the day'],
    ['2026-01-14T17:00', '2026-01-15T10:00', 120, 'overnight'],
    ['2026-01-14T19:00', '2026-01-15T08:00', 0, 'night only'],
    ['2026-01-14T12:00', '2026-01-14T11:00', 0, 'end before start'],
    ['2026-01-14T12:00', '2026-01-14T12:00', 0, 'empty span'],
    ['2026-01-16T17:00', '2026-01-19T10:00', 120, 'over a weekend'],
    ['2026-01-09T17:00', '2026-01-13T10:00', 120, 'over a holiday Monday'],
    ['2026-05-01T17:00', '2026-05-07T10:00', 120, 'over Golden Week'],
    ['2026-01-19T00:00', '2026-01-26T00:00', 5 * 540, 'a plain week'],
    ['2026-01-01T00:00', '2027-01-01T00:00', 244 * 540, 'all of 2026 (244 working days)'],
  ])('businessMinutesBetween(%s, %s) = %i (%s)', (from, to, expected) => {
    expect(businessMinutesBetween(jst(from), jst(to), tokyo)).toBe(expected);
  });

  it('counts seconds as fractions of a minute', () => {
    expect(businessMinutesBetween(jst('2026-01-14T17:59:30'), jst('2026-01-15T09:00:30'), tokyo)).toBe(1);
    expect(addBusinessMinutes(jst('2026-01-14T17:59:30'), 1, tokyo)).toEqual(jst('2026-01-15T09:00:30'));
  });

  it('adds up over ten years, day by day rather than minute by minute', () => {
    let sum = 0;
    for (let year = 2026; year < 2036; year++) {
      sum += businessMinutesBetween(jst(`${year}-01-01T00:00`), jst(`${year + 1}-01-01T00:00`), tokyo);
    }
    expect(businessMinutesBetween(jst('2026-01-01T00:00'), jst('2036-01-01T00:00'), tokyo)).toBe(sum);
    expect(sum % 540).toBe(0);
  });
});

describe('business hours across DST in New York (09:00-17:00, Mon-Fri)', () => {
  it('counts the spring-forward weekend by the wall clock', () => {
    const fridayFour = new Date('2026-03-06T21:00:00Z'); // 16:00 EST
    const mondayTen = new Date('2026-03-09T14:00:00Z'); // 10:00 EDT
    expect(businessMinutesBetween(fridayFour, mondayTen, newYork)).toBe(120);
    expect(addBusinessMinutes(fridayFour, 120, newYork)).toEqual(mondayTen);
    expect(nextOpening(new Date('2026-03-06T22:00:00Z'), newYork)).toEqual(new Date('2026-03-09T13:00:00Z'));
  });

  it('counts the fall-back weekend by the wall clock', () => {
    const fridayFour = new Date('2026-10-30T20:00:00Z'); // 16:00 EDT
    const mondayTen = new Date('2026-11-02T15:00:00Z'); // 10:00 EST
    expect(businessMinutesBetween(fridayFour, mondayTen, newYork)).toBe(120);
    expect(addBusinessMinutes(fridayFour, 120, newYork)).toEqual(mondayTen);
  });

  it('gives a round-the-clock calendar 23 and 25 hour days when the clocks change', () => {
    const always: BusinessCalendar = {
      ...newYork,
      openMinute: 0,
      closeMinute: 24 * 60,
      days: [1, 2, 3, 4, 5, 6, 7],
    };
    const midnight = (ymd: string) => zonedTimeToInstant(ymd, '00:00', 'America/New_York');
    expect(businessMinutesBetween(midnight('2026-03-08'), midnight('2026-03-09'), always)).toBe(23 * 60);
    expect(businessMinutesBetween(midnight('2026-11-01'), midnight('2026-11-02'), always)).toBe(25 * 60);
    expect(businessMinutesBetween(midnight('2026-11-02'), midnight('2026-11-03'), always)).toBe(24 * 60);
  });

  it('opens 01:00-04:00 for only two hours on the spring-forward night', () => {
    const night: BusinessCalendar = { ...newYork, openMinute: 60, closeMinute: 240, days: [7] };
    const sunday = { start: new Date('2026-03-08T00:00:00Z'), end: new Date('2026-03-09T00:00:00Z') };
    expect(businessMinutesBetween(sunday.start, sunday.end, night)).toBe(120);
  });
});

describe('properties over random instants (seeded)', () => {
  const random = prng(20_260_109);
  const rangeStart = jst('2024-01-01T00:00').getTime();
  const rangeMinutes = (jst('2028-01-01T00:00').getTime() - rangeStart) / MINUTE;
  const cases = Array.from({ length: 300 }, () => ({
    start: new Date(rangeStart + Math.floor(random() * rangeMinutes) * MINUTE),
    minutes: Math.floor(random() * 5000),
    extra: 1 + Math.floor(random() * 600),
  }));

  it('counts back exactly the minutes it added, and not one minute earlier', () => {
    for (const { start, minutes } of cases) {
      const end = addBusinessMinutes(start, minutes, tokyo);
      const label = `${start.toISOString()} + ${minutes}`;
      expect(businessMinutesBetween(start, end, tokyo), label).toBe(minutes);
      if (minutes > 0) {
        expect(isOpenAt(new Date(end.getTime() - MINUTE), tokyo), label).toBe(true);
        expect(businessMinutesBetween(start, new Date(end.getTime() - MINUTE), tokyo), label).toBe(
          minutes - 1,
        );
      }
    }
  });

  it('moves forward monotonically as minutes grow', () => {
    for (const { start, minutes, extra } of cases) {
      const sooner = addBusinessMinutes(start, minutes, tokyo).getTime();
      const later = addBusinessMinutes(start, minutes + extra, tokyo).getTime();
      expect(sooner).toBeGreaterThanOrEqual(start.getTime());
      expect(later).toBeGreaterThan(sooner);
    }
  });

  it('finds the next opening with no open time before it', () => {
    for (const { start } of cases) {
      const opening = nextOpening(start, tokyo);
      expect(isOpenAt(opening, tokyo)).toBe(true);
      expect(businessMinutesBetween(start, opening, tokyo)).toBe(0);
      if (isOpenAt(start, tokyo)) expect(opening).toEqual(start);
    }
  });

  it('lands addWorkingDays on working days, exactly n of them on, monotonically', () => {
    for (const { start, extra } of cases) {
      const ymd = localDate(start, tokyo.timezone);
      const n = extra % 30;
      const landed = addWorkingDays(ymd, n, tokyo);
      expect(isWorkingDay(landed, tokyo)).toBe(true);
      const first = nextWorkingDay(ymd, tokyo);
      let between = 0;
      for (let day = addDays(first, 1); day <= landed; day = addDays(day, 1)) {
        if (isWorkingDay(day, tokyo)) between++;
      }
      expect(between).toBe(n);
      expect(daysBetween(landed, addWorkingDays(ymd, n + 1, tokyo))).toBeGreaterThan(0);
    }
  });
});
