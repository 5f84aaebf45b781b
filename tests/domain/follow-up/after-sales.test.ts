import { describe, expect, it } from 'vitest';
import type { AfterSalesStep } from '../../../src/domain/follow-up/after-sales.ts';
import {
  DEFAULT_AFTER_SALES_CALENDAR,
  nextAfterSalesDate,
} from '../../../src/domain/follow-up/after-sales.ts';
import { addDays } from '../../../src/domain/follow-up/ymd.ts';
import { prng } from '../../support/seeded-random.ts';

/** The dates a customer is followed on when every after-sales touch happens on its due date. */
function schedule(handover: string, calendar: readonly AfterSalesStep[], count: number): string[] {
  const dates: string[] = [];
  let last: string | null = null;
  for (let i = 0; i < count; i++) {
    last = nextAfterSalesDate(handover, last, calendar);
    dates.push(last);
  }
  return dates;
}

describe('nextAfterSalesDate', () => {
  it('follows 1 month, 6 months, 1 year, then every year, for years', () => {
    expect(schedule('2024-04-10', DEFAULT_AFTER_SALES_CALENDAR, 8)).toEqual([
      '2024-05-10',
      '2024-10-10',
      '2025-04-10',
      '2026-04-10',
      '2027-04-10',
      '2028-04-10',
      '2029-04-10',
      '2030-04-10',
    ]);
  });

  it('clamps month ends without drifting, leap days included', () => {
    expect(schedule('2024-01-31', DEFAULT_AFTER_SALES_CALENDAR, 5)).toEqual([
      '2024-02-29',
      '2024-07-31',
      '2025-01-31',
      '2026-01-31',
      '2027-01-31',
    ]);
    expect(schedule('2024-02-29', DEFAULT_AFTER_SALES_CALENDAR, 6)).toEqual([
      '2024-03-29',
      '2024-08-29',
      '2025-02-28',
      '2026-02-28',
      '2027-02-28',
      '2028-02-29',
    ]);
  });

  it.each([
    [null, '2024-05-10'],
    ['2024-03-01', '2024-05-10'], // a touch before the handover
    ['2024-05-09', '2024-05-10'],
    ['2024-05-10', '2024-10-10'],
    ['2024-06-20', '2024-10-10'], // an unplanned visit in between does not skip the 6-month one
    ['2025-04-09', '2025-04-10'],
    ['2025-04-11', '2026-04-10'],
    ['2031-12-31', '2032-04-10'],
  ])('after a last after-sales touch on %s, next is %s', (last, expected) => {
    expect(nextAfterSalesDate('2024-04-10', last, DEFAULT_AFTER_SALES_CALENDAR)).toBe(expected);
  });

  it('reads the steps in any order and repeats after the last fixed one', () => {
    const calendar: AfterSalesStep[] = [{ everyMonthsAfter: 6 }, { months: 3 }];
    expect(schedule('2024-04-10', calendar, 4)).toEqual([
      '2024-07-10',
      '2025-01-10',
      '2025-07-10',
      '2026-01-10',
    ]);
    const shuffled: AfterSalesStep[] = [
      { everyMonthsAfter: 12 },
      { months: 12 },
      { months: 1 },
      { months: 6 },
    ];
    expect(schedule('2024-04-10', shuffled, 6)).toEqual(
      schedule('2024-04-10', DEFAULT_AFTER_SALES_CALENDAR, 6),
    );
  });

  it('keeps following yearly when a calendar has no repeating step', () => {
    expect(schedule('2024-04-10', [{ months: 1 }], 3)).toEqual(['2024-05-10', '2025-05-10', '2026-05-10']);
    expect(schedule('2024-04-10', [], 2)).toEqual(['2025-04-10', '2026-04-10']);
  });

  it('gives the first calendar date after the last touch (property)', () => {
    const random = prng(12);
    for (let run = 0; run < 300; run++) {
      const handover = addDays('2015-01-01', Math.floor(random() * 3650));
      const all = schedule(handover, DEFAULT_AFTER_SALES_CALENDAR, 14);
      const last = addDays(handover, Math.floor(random() * 3650) - 30);
      const next = nextAfterSalesDate(handover, last, DEFAULT_AFTER_SALES_CALENDAR);
      expect(next, `${handover} ${last}`).toBe(all.find((date) => date > last));
    }
  });
});
