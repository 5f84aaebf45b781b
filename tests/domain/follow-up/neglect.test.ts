import { describe, expect, it } from 'vitest';
import { daysSinceTouch, isNeglected } from '../../../src/domain/follow-up/neglect.ts';

const created = '2024-01-01';
const touched = '2024-03-01';

describe('daysSinceTouch (calendar days on business dates)', () => {
  it.each([
    [touched, '2024-03-01', 0],
    // A touch late yesterday is 1 day ago this morning, though fewer than 24 hours passed.
    [touched, '2024-03-02', 1],
    [touched, '2024-03-31', 30],
    // A touch dated in the future (clock skew) counts as today.
    [touched, '2024-02-28', 0],
    [null, '2024-01-31', 30],
  ])('from %s to %s is %d days', (lastTouchDate, today, days) => {
    expect(daysSinceTouch(lastTouchDate, created, today)).toBe(days);
  });
});

describe('isNeglected', () => {
  it.each([
    ['2024-03-30', false],
    ['2024-03-31', true],
    ['2024-04-01', true],
    ['2025-03-01', true],
  ])('a lead touched on 03-01 seen on %s: neglected %s', (today, neglected) => {
    expect(isNeglected(touched, created, today, 30)).toBe(neglected);
  });

  it('counts from creation when nobody ever touched the lead', () => {
    expect(isNeglected(null, created, '2024-01-30', 30)).toBe(false);
    expect(isNeglected(null, created, '2024-01-31', 30)).toBe(true);
  });

  it('follows the configured number of days', () => {
    expect(isNeglected(touched, created, '2024-03-08', 7)).toBe(true);
    expect(isNeglected(touched, created, '2024-03-08', 8)).toBe(false);
  });
});
