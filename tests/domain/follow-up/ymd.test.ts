import { describe, expect, it } from 'vitest';
import { addDays, addMonths, daysBetween } from '../../../src/domain/follow-up/ymd.ts';

describe('calendar-date arithmetic', () => {
  it.each([
    ['2024-01-31', 1, '2024-02-29'],
    ['2023-01-31', 1, '2023-02-28'],
    ['2024-02-29', 12, '2025-02-28'],
    ['2024-02-29', 48, '2028-02-29'],
    ['2024-08-31', 6, '2025-02-28'],
    ['2024-11-30', 3, '2025-02-28'],
    ['2024-12-15', 1, '2025-01-15'],
    ['2024-03-31', -1, '2024-02-29'],
    ['2024-01-15', -13, '2022-12-15'],
  ])('%s + %i months = %s (clamped at month end)', (ymd, months, expected) => {
    expect(addMonths(ymd, months)).toBe(expected);
  });

  it.each([
    ['2024-02-28', 1, '2024-02-29'],
    ['2024-02-29', 1, '2024-03-01'],
    ['2023-12-31', 1, '2024-01-01'],
    ['2024-03-01', -1, '2024-02-29'],
    ['2024-01-01', 366, '2025-01-01'],
  ])('%s + %i days = %s', (ymd, days, expected) => {
    expect(addDays(ymd, days)).toBe(expected);
    expect(daysBetween(ymd, expected)).toBe(days);
  });
});
