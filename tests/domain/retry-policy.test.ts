import { describe, expect, it } from 'vitest';
import type { BackoffSettings } from '../../src/domain/retry-policy.ts';
import { GIVE_UP_AFTER_MS, retryDelayMs, shouldGiveUp } from '../../src/domain/retry-policy.ts';
import { prng } from '../support/seeded-random.ts';

const defaults: BackoffSettings = { baseMs: 1000, maxMs: 60_000 };
const HOUR = 60 * 60 * 1000;

describe('retryDelayMs', () => {
  it.each([
    [0, 1000],
    [1, 1000],
    [2, 2000],
    [3, 4000],
    [4, 8000],
    [5, 16_000],
    [6, 32_000],
    [7, 60_000],
    [8, 60_000],
    [50, 60_000],
  ])('waits the full exponential delay after attempt %i when random is 1: %i ms', (attempts, expected) => {
    expect(retryDelayMs(attempts, defaults, undefined, 1)).toBe(expected);
  });

  it.each([
    [1, 800],
    [2, 1600],
    [3, 3200],
    [6, 25_600],
    [7, 48_000],
    [50, 48_000],
  ])('waits 80%% of the delay after attempt %i when random is 0: %i ms', (attempts, expected) => {
    expect(retryDelayMs(attempts, defaults, undefined, 0)).toBe(expected);
  });

  it('waits 90% of the delay when random is 0.5', () => {
    expect(retryDelayMs(3, defaults, undefined, 0.5)).toBe(3600);
  });

  it('rounds to whole milliseconds', () => {
    expect(retryDelayMs(1, { baseMs: 3, maxMs: 100 }, undefined, 0.5)).toBe(3); // 2.7
    expect(Number.isInteger(retryDelayMs(2, { baseMs: 7, maxMs: 1000 }, undefined, 0.123))).toBe(true);
  });

  it('stays at the cap, finite, after a huge number of attempts', () => {
    expect(retryDelayMs(10_000, defaults, undefined, 1)).toBe(60_000);
    expect(retryDelayMs(Number.MAX_SAFE_INTEGER, defaults, undefined, 0)).toBe(48_000);
  });

  it('uses the cap when the base is already above it', () => {
    expect(retryDelayMs(1, { baseMs: 5000, maxMs: 2000 }, undefined, 1)).toBe(2000);
  });

  it.each([
    [5000, 5000],
    [0, 0],
    [1, 1],
    [60_000, 60_000],
    [600_000, 600_000],
    [600_001, 600_000],
    [24 * HOUR, 600_000],
  ])('honours Retry-After of %i ms (capped at 10x maxMs): %i ms', (retryAfterMs, expected) => {
    for (const attempts of [1, 5, 20]) {
      for (const random of [0, 0.5, 1]) {
        expect(retryDelayMs(attempts, defaults, retryAfterMs, random)).toBe(expected);
      }
    }
  });

  it('ignores a negative Retry-After and backs off instead', () => {
    expect(retryDelayMs(3, defaults, -1, 1)).toBe(4000);
  });

  it('keeps every generated delay between 80% and 100% of the capped exponential delay', () => {
    const random = prng(2024);
    for (let i = 0; i < 2000; i++) {
      const baseMs = 1 + Math.floor(random() * 5000);
      const maxMs = baseMs + Math.floor(random() * 120_000);
      const attempts = Math.floor(random() * 40);
      const jitter = random();
      const capped = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempts - 1));
      const delay = retryDelayMs(attempts, { baseMs, maxMs }, undefined, jitter);
      expect(delay).toBeGreaterThanOrEqual(Math.floor(capped * 0.8));
      expect(delay).toBeLessThanOrEqual(capped);
      expect(Number.isInteger(delay)).toBe(true);
    }
  });

  it('never waits less after a later attempt, for the same random draw', () => {
    const random = prng(77);
    for (let i = 0; i < 200; i++) {
      const jitter = random();
      let previous = 0;
      for (let attempts = 1; attempts <= 20; attempts++) {
        const delay = retryDelayMs(attempts, defaults, undefined, jitter);
        expect(delay).toBeGreaterThanOrEqual(previous);
        previous = delay;
      }
    }
  });
});

describe('shouldGiveUp', () => {
  const createdAt = new Date('2025-04-01T09:00:00+09:00');
  const after = (ms: number) => new Date(createdAt.getTime() + ms);

  it('gives up an hour before LINE forgets the retry key (23 hours)', () => {
    expect(GIVE_UP_AFTER_MS).toBe(23 * HOUR);
    expect(GIVE_UP_AFTER_MS).toBeLessThan(24 * HOUR);
  });

  it.each([
    ['immediately', 0, false],
    ['after one hour', HOUR, false],
    ['1 ms before 23 hours', 23 * HOUR - 1, false],
    ['at exactly 23 hours', 23 * HOUR, true],
    ['1 ms after 23 hours', 23 * HOUR + 1, true],
    ['after 24 hours', 24 * HOUR, true],
    ['after a week', 7 * 24 * HOUR, true],
    ['when the clock reads before createdAt', -HOUR, false],
  ])('decides %s: %s', (_label, elapsedMs, expected) => {
    expect(shouldGiveUp(createdAt, after(elapsedMs))).toBe(expected);
  });
});
