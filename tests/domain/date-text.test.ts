import { describe, expect, it } from 'vitest';
import { type DateTextOptions, dayText, momentText, monthText } from '../../src/domain/date-text.ts';

const now = new Date('2026-11-30T00:05:00Z'); // Monday 09:05 in Tokyo
const ja: DateTextOptions = { locale: 'ja', timezone: 'Asia/Tokyo', now };
const en: DateTextOptions = { locale: 'en', timezone: 'Asia/Tokyo', now };

describe('dates as people read them', () => {
  it('writes a business date with its weekday and no year in the current year', () => {
    expect(dayText('2026-12-01', ja)).toBe('12月1日(火)');
    expect(dayText('2026-12-01', en)).toBe('Tue, Dec 1');
  });

  it('adds the year only when the date is in another year', () => {
    expect(dayText('2027-01-30', ja)).toBe('2027年1月30日(土)');
    expect(dayText('2027-01-30', en)).toBe('Sat, Jan 30, 2027');
    expect(dayText('2025-12-31', ja)).toBe('2025年12月31日(水)');
  });

  it('writes a moment with the time on the 24-hour clock, in the business time zone', () => {
    // 2026-12-01 00:05 UTC is 09:05 in Tokyo, still 2026-11-30 in UTC's calendar.
    const at = new Date('2026-12-01T00:05:00Z');
    expect(momentText(at, ja)).toBe('12月1日(火) 9:05');
    expect(momentText(at, en)).toBe('Tue, Dec 1, 9:05');
    expect(momentText(new Date('2026-12-01T09:30:00Z'), ja)).toBe('12月1日(火) 18:30');
    expect(dayText(new Date('2026-11-30T15:30:00Z'), ja)).toBe('12月1日(火)');
  });

  it('judges "this year" in the business time zone, not in UTC', () => {
    // New Year's Eve 23:30 UTC is already 2027 in Tokyo: 2027 dates need no year.
    const newYear = { ...ja, now: new Date('2026-12-31T15:30:00Z') };
    expect(dayText('2027-01-04', newYear)).toBe('1月4日(月)');
    expect(momentText(new Date('2026-12-31T14:00:00Z'), newYear)).toBe('2026年12月31日(木) 23:00');
  });

  it('writes a month of purchase timing', () => {
    expect(monthText('2026-12', ja)).toBe('12月');
    expect(monthText('2027-03', ja)).toBe('2027年3月');
    expect(monthText('2026-12', en)).toBe('December');
    expect(monthText('2027-03', en)).toBe('March 2027');
  });

  it('never writes a date as numerals only', () => {
    for (const opts of [ja, en]) {
      for (const text of [
        dayText('2027-01-30', opts),
        momentText(new Date('2027-03-04T01:02:00Z'), opts),
        monthText('2027-03', opts),
      ]) {
        expect(text).not.toMatch(/\d+[/-]\d+[/-]\d+|\d+\/\d+/);
      }
    }
  });

  it('refuses a malformed date instead of printing nonsense', () => {
    expect(() => dayText('2026/12/01', ja)).toThrow(/YYYY-MM-DD/);
    expect(() => dayText('2026-02-30', ja)).toThrow();
  });
});
