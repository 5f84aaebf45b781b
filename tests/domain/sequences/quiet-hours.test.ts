import { describe, expect, it } from 'vitest';
import {
  isSendAllowedAt,
  nextAllowedMoment,
  parseQuietHours,
  type SendWindow,
} from '../../../src/domain/sequences/quiet-hours.ts';

const jst = (wall: string) => new Date(`${wall}+09:00`);
const ALL_DAYS = [1, 2, 3, 4, 5, 6, 7];
const tokyo = (quiet: string, stepDays = ALL_DAYS): SendWindow => ({
  quiet: parseQuietHours(quiet),
  stepDays,
  timezone: 'Asia/Tokyo',
});

describe('parseQuietHours', () => {
  it.each([
    ['21:00-09:00', { startMinute: 1260, endMinute: 540 }],
    ['12:00-13:30', { startMinute: 720, endMinute: 810 }],
    ['22:00-24:00', { startMinute: 1320, endMinute: 1440 }],
    ['0:00-7:00', { startMinute: 0, endMinute: 420 }],
    ['２１：００〜０９：００', { startMinute: 1260, endMinute: 540 }],
  ])('reads %j', (text, expected) => {
    expect(parseQuietHours(text)).toEqual(expected);
  });

  it.each(['', '  ', 'none', 'NONE'])('reads %j as no quiet hours', (text) => {
    expect(parseQuietHours(text)).toBeNull();
  });

  it.each(['21:00', '21:00-25:00', '24:00-09:00', 'night', '21:00-09:00-10:00'])('refuses %j', (text) => {
    expect(() => parseQuietHours(text)).toThrow(/expected HH:MM-HH:MM/);
  });

  it.each(['09:00-09:00', '00:00-24:00'])('refuses %j, whose start is its end', (text) => {
    expect(() => parseQuietHours(text)).toThrow(/start and end are the same time/);
  });
});

describe('nextAllowedMoment in Tokyo with 21:00-09:00', () => {
  const window = tokyo('21:00-09:00');

  it.each([
    ['2026-06-10T12:00', '2026-06-10T12:00'],
    ['2026-06-10T09:00', '2026-06-10T09:00'],
    ['2026-06-10T20:59', '2026-06-10T20:59'],
    ['2026-06-10T21:00', '2026-06-11T09:00'],
    ['2026-06-10T23:59', '2026-06-11T09:00'],
    ['2026-06-11T00:00', '2026-06-11T09:00'],
    ['2026-06-11T08:59', '2026-06-11T09:00'],
    ['2026-01-31T22:30', '2026-02-01T09:00'],
    ['2028-02-28T21:30', '2028-02-29T09:00'],
    ['2026-12-31T21:00', '2027-01-01T09:00'],
  ])('moves %s to %s', (due, expected) => {
    expect(nextAllowedMoment(jst(due), window)).toEqual(jst(expected));
  });

  it('waits out the last seconds before the end', () => {
    expect(nextAllowedMoment(new Date('2026-06-11T08:59:59.999+09:00'), window)).toEqual(
      jst('2026-06-11T09:00'),
    );
  });
});

describe('nextAllowedMoment with other windows', () => {
  it('keeps a window within one day: 12:00-13:00', () => {
    const lunch = tokyo('12:00-13:00');
    expect(nextAllowedMoment(jst('2026-06-10T12:30'), lunch)).toEqual(jst('2026-06-10T13:00'));
    expect(nextAllowedMoment(jst('2026-06-10T23:30'), lunch)).toEqual(jst('2026-06-10T23:30'));
  });

  it('sends at any hour with no quiet hours', () => {
    const none = tokyo('');
    expect(nextAllowedMoment(jst('2026-06-10T03:00'), none)).toEqual(jst('2026-06-10T03:00'));
  });

  it('ends a window at 24:00 at the next midnight', () => {
    expect(nextAllowedMoment(jst('2026-06-30T22:10'), tokyo('22:00-24:00'))).toEqual(jst('2026-07-01T00:00'));
  });

  it('skips days that are not step days, then their quiet hours', () => {
    // 2026-06-12 is a Friday; steps Monday to Friday only.
    const weekdays = tokyo('21:00-09:00', [1, 2, 3, 4, 5]);
    expect(nextAllowedMoment(jst('2026-06-12T22:00'), weekdays)).toEqual(jst('2026-06-15T09:00'));
    expect(nextAllowedMoment(jst('2026-06-13T12:00'), weekdays)).toEqual(jst('2026-06-15T09:00'));
    expect(nextAllowedMoment(jst('2026-06-12T15:00'), weekdays)).toEqual(jst('2026-06-12T15:00'));
  });

  it('steps on Sundays only across a year end', () => {
    // 2026-12-31 is a Thursday; the next Sunday is 2027-01-03.
    expect(nextAllowedMoment(jst('2026-12-31T10:00'), tokyo('21:00-09:00', [7]))).toEqual(
      jst('2027-01-03T09:00'),
    );
  });

  it('reads the wall clock of New York across the spring-forward day', () => {
    const newYork: SendWindow = {
      quiet: parseQuietHours('21:00-09:00'),
      stepDays: ALL_DAYS,
      timezone: 'America/New_York',
    };
    // 2026-03-08 is the short night; 09:00 that morning is EDT.
    expect(nextAllowedMoment(new Date('2026-03-07T23:00:00-05:00'), newYork)).toEqual(
      new Date('2026-03-08T09:00:00-04:00'),
    );
    // 2026-11-01 is the long night; 09:00 that morning is EST.
    expect(nextAllowedMoment(new Date('2026-10-31T22:00:00-04:00'), newYork)).toEqual(
      new Date('2026-11-01T09:00:00-05:00'),
    );
  });

  it('waits out the repeated hour of a fall-back night in New York', () => {
    // Quiet 00:00-01:30: on 2026-11-01 the clocks read 01:00-02:00 twice; the second 01:10 is quiet too.
    const newYork: SendWindow = {
      quiet: parseQuietHours('00:00-01:30'),
      stepDays: ALL_DAYS,
      timezone: 'America/New_York',
    };
    const secondReading = new Date('2026-11-01T01:10:00-05:00');
    const moment = nextAllowedMoment(secondReading, newYork);
    expect(moment).toEqual(new Date('2026-11-01T01:30:00-05:00'));
    expect(isSendAllowedAt(moment, newYork)).toBe(true);
  });

  it('refuses an empty list of step days', () => {
    expect(() => nextAllowedMoment(jst('2026-06-10T12:00'), tokyo('', []))).toThrow(/STEP_DAYS/);
  });
});
