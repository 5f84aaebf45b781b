import { describe, expect, it } from 'vitest';
import { daysSinceTouch, isNeglected } from '../../../src/domain/follow-up/neglect.ts';

const created = new Date('2024-01-01T00:00:00+09:00');
const touched = new Date('2024-03-01T10:00:00+09:00');
const afterTouch = (days: number, ms = 0) => new Date(touched.getTime() + days * 86_400_000 + ms);

describe('daysSinceTouch', () => {
  it.each([
    [touched, afterTouch(0), 0],
    [touched, afterTouch(1, -1), 0],
    [touched, afterTouch(1), 1],
    [touched, afterTouch(30), 30],
    [touched, afterTouch(-2), 0],
    [null, new Date('2024-01-31T00:00:00+09:00'), 30],
  ])('from %s to %s is %d whole days', (lastTouchAt, now, days) => {
    expect(daysSinceTouch(lastTouchAt, created, now)).toBe(days);
  });
});

describe('isNeglected', () => {
  it.each([
    [afterTouch(29), false],
    [afterTouch(30, -1), false],
    [afterTouch(30), true],
    [afterTouch(31), true],
    [afterTouch(365), true],
  ])('a lead touched on 03-01 10:00 seen at %s: neglected %s', (now, neglected) => {
    expect(isNeglected(touched, created, now, 30)).toBe(neglected);
  });

  it('counts from creation when nobody ever touched the lead', () => {
    expect(isNeglected(null, created, new Date('2024-01-30T23:59:59+09:00'), 30)).toBe(false);
    expect(isNeglected(null, created, new Date('2024-01-31T00:00:00+09:00'), 30)).toBe(true);
  });

  it('follows the configured number of days', () => {
    expect(isNeglected(touched, created, afterTouch(7), 7)).toBe(true);
    expect(isNeglected(touched, created, afterTouch(7), 8)).toBe(false);
  });
});
