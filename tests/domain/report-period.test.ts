import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  dayCount,
  lastWeek,
  MAX_PERIOD_DAYS,
  namedPeriod,
  parsePeriod,
  periodInstants,
} from '../../src/domain/report-period.ts';

const TODAY = '2026-12-02'; // a Wednesday

describe('report periods', () => {
  it('reads the words in English and Japanese, seen from today', () => {
    expect(parsePeriod('today', TODAY)).toEqual({
      kind: 'period',
      period: { kind: 'today', firstDay: TODAY, lastDay: TODAY },
    });
    expect(parsePeriod('今週', TODAY)).toEqual({
      kind: 'period',
      period: { kind: 'week', firstDay: '2026-11-30', lastDay: '2026-12-06' },
    });
    expect(parsePeriod('ＭＯＮＴＨ', TODAY)).toEqual({
      kind: 'period',
      period: { kind: 'month', firstDay: '2026-12-01', lastDay: '2026-12-31' },
    });
    expect(parsePeriod('quarter', TODAY)).toEqual({
      kind: 'period',
      period: { kind: 'quarter', firstDay: '2026-10-01', lastDay: '2026-12-31' },
    });
    expect(parsePeriod('quarter', '2026-05-31')).toMatchObject({
      period: { firstDay: '2026-04-01', lastDay: '2026-06-30' },
    });
  });

  it('reads a month and a range of dates, both days included', () => {
    expect(parsePeriod('2024-02', TODAY)).toEqual({
      kind: 'period',
      period: { kind: 'month_of', firstDay: '2024-02-01', lastDay: '2024-02-29' },
    });
    expect(parsePeriod('2026-11-01..2026-11-15', TODAY)).toEqual({
      kind: 'period',
      period: { kind: 'range', firstDay: '2026-11-01', lastDay: '2026-11-15' },
    });
  });

  it('refuses what is not a period, a reversed range and one over a year', () => {
    for (const word of ['yesterday', '2026-13', '2026-02-30..2026-03-01', '11/30', '']) {
      expect(parsePeriod(word, TODAY)).toEqual({ kind: 'invalid', word, problem: 'unknown' });
    }
    expect(parsePeriod('2026-11-15..2026-11-01', TODAY)).toMatchObject({ problem: 'reversed' });
    expect(parsePeriod('2025-01-01..2026-01-02', TODAY)).toMatchObject({ problem: 'too_long' });
    expect(parsePeriod('2024-01-01..2024-12-31', TODAY)).toMatchObject({ kind: 'period' });
  });

  it('last week is the ISO week before the one holding today', () => {
    expect(lastWeek('2026-11-30')).toEqual({ kind: 'range', firstDay: '2026-11-23', lastDay: '2026-11-29' });
    expect(lastWeek('2026-12-06')).toEqual({ kind: 'range', firstDay: '2026-11-23', lastDay: '2026-11-29' });
  });

  it('a period is whole local days: Tokyo midnight to midnight', () => {
    const { from, to } = periodInstants(namedPeriod('today', TODAY), 'Asia/Tokyo');
    expect(from.toISOString()).toBe('2026-12-01T15:00:00.000Z');
    expect(to.toISOString()).toBe('2026-12-02T15:00:00.000Z');
  });

  it('every named period holds today, starts a week on Monday, and is at most a year long', () => {
    const day = fc.date({ min: new Date('2000-01-01'), max: new Date('2100-12-31'), noInvalidDate: true });
    fc.assert(
      fc.property(day, fc.constantFrom('today', 'week', 'month', 'quarter' as const), (date, name) => {
        const today = date.toISOString().slice(0, 10);
        const period = namedPeriod(name, today);
        expect(period.firstDay <= today && today <= period.lastDay).toBe(true);
        expect(dayCount(period)).toBeLessThanOrEqual(MAX_PERIOD_DAYS);
        if (name === 'week') expect(dayCount(period)).toBe(7);
        if (name === 'week') expect(new Date(`${period.firstDay}T00:00:00Z`).getUTCDay()).toBe(1);
      }),
    );
  });
});
