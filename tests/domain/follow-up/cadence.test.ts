import { describe, expect, it } from 'vitest';
import type { NextFollowUpInput, WorkingDays } from '../../../src/domain/follow-up/cadence.ts';
import { isDue, nextFollowUpDate, overdueDays } from '../../../src/domain/follow-up/cadence.ts';
import { DEFAULT_FOLLOW_UP_SETTINGS } from '../../../src/domain/follow-up/default-follow-up-settings.ts';
import type { TimingSegment } from '../../../src/domain/follow-up/purchase-timing.ts';
import { SEGMENT_ORDER } from '../../../src/domain/follow-up/purchase-timing.ts';
import { addDays, daysBetween } from '../../../src/domain/follow-up/ymd.ts';
import { prng } from '../../support/seeded-random.ts';

/** Saturdays, Sundays and the given holidays are not working days. */
function weekdaysExcept(holidays: string[]): WorkingDays {
  const off = new Set(holidays);
  return {
    isWorkingDay: (ymd) => {
      const weekday = new Date(`${ymd}T00:00:00Z`).getUTCDay();
      return weekday !== 0 && weekday !== 6 && !off.has(ymd);
    },
  };
}

// Golden Week 2024: Mon 04-29, Fri 05-03, Sat 05-04, Sun 05-05 and the substitute Mon 05-06.
const workdays = weekdaysExcept(['2024-04-29', '2024-05-03', '2024-05-04', '2024-05-05', '2024-05-06']);

const next = (overrides: Partial<NextFollowUpInput>) =>
  nextFollowUpDate({
    lastAttemptDate: null,
    createdDate: '2024-05-01',
    segment: 'within_1m',
    cadence: DEFAULT_FOLLOW_UP_SETTINGS.cadence,
    snoozedUntil: null,
    workdays,
    ...overrides,
  });

describe('nextFollowUpDate', () => {
  it.each([
    ['2024-05-01', '2024-05-01'],
    ['2024-05-02', '2024-05-02'],
    ['2024-05-03', '2024-05-07'],
    ['2024-05-04', '2024-05-07'],
    ['2024-04-27', '2024-04-30'],
  ])('makes a lead never attempted due at once: created %s -> %s', (createdDate, expected) => {
    for (const segment of SEGMENT_ORDER) expect(next({ createdDate, segment })).toBe(expected);
  });

  it.each([
    ['2024-05-01', '2024-05-08'], // Thu 05-02, then Golden Week, Tue 05-07, Wed 05-08
    ['2024-05-02', '2024-05-09'],
    ['2024-05-10', '2024-05-15'], // Fri -> Mon, Tue, Wed
    ['2024-05-11', '2024-05-15'], // an attempt on a Saturday counts from the next working day
    ['2024-04-26', '2024-05-02'], // Fri -> Tue 04-30, Wed 05-01, Thu 05-02 (04-29 is a holiday)
  ])(
    'calls a within-1-month lead every 3 working days: last attempt %s -> %s',
    (lastAttemptDate, expected) => {
      expect(next({ lastAttemptDate, segment: 'within_1m' })).toBe(expected);
    },
  );

  it.each<[TimingSegment, string, string]>([
    ['within_3m', '2024-05-01', '2024-05-15'],
    ['within_3m', '2024-04-19', '2024-05-07'], // +14 = 05-03, a holiday, rolled to Tue 05-07
    ['within_3m', '2024-05-18', '2024-06-03'], // +14 = Sat 06-01, rolled to Mon 06-03
    ['within_6m', '2024-04-01', '2024-05-01'],
    ['within_6m', '2024-04-04', '2024-05-07'], // +30 = Sat 05-04
    ['within_1y', '2024-03-05', '2024-05-07'], // +60 = Sat 05-04
    ['over_1y', '2024-02-01', '2024-05-01'], // +90 across the leap day
    ['undecided', '2024-01-01', '2024-03-01'],
  ])(
    'checks in on a %s lead after its spacing: last attempt %s -> %s',
    (segment, lastAttemptDate, expected) => {
      expect(next({ lastAttemptDate, segment })).toBe(expected);
    },
  );

  it.each([
    [null, '2024-05-08'],
    ['2024-05-02', '2024-05-08'],
    ['2024-05-08', '2024-05-08'],
    ['2024-05-09', '2024-05-09'],
    ['2024-05-20', '2024-05-20'],
    ['2024-05-25', '2024-05-27'],
    ['2024-05-04', '2024-05-08'],
  ])('lets a later snooze win: snoozed until %s -> %s', (snoozedUntil, expected) => {
    expect(next({ lastAttemptDate: '2024-05-01', snoozedUntil })).toBe(expected);
  });

  it('snoozes a lead never attempted too', () => {
    expect(next({ createdDate: '2024-05-01', snoozedUntil: '2024-05-06' })).toBe('2024-05-07');
  });

  it('leaves a date in the past when the follow-up is late, so it shows as overdue', () => {
    const due = next({ lastAttemptDate: '2024-01-05', segment: 'within_1m' });
    expect(due).toBe('2024-01-10');
    expect(isDue(due, '2024-05-01')).toBe(true);
    expect(overdueDays(due, '2024-05-01')).toBe(112);
  });

  it('falls back to 1 when a hand-made table lacks the spacing', () => {
    const cadence = {
      ...DEFAULT_FOLLOW_UP_SETTINGS.cadence,
      within_1m: { mode: 'personal' as const, channels: ['phone' as const] },
      within_3m: { mode: 'low_load' as const, channels: ['line' as const] },
    };
    expect(next({ cadence, lastAttemptDate: '2024-05-10', segment: 'within_1m' })).toBe('2024-05-13');
    expect(next({ cadence, lastAttemptDate: '2024-05-10', segment: 'within_3m' })).toBe('2024-05-13');
  });

  it('refuses a calendar without working days instead of hanging', () => {
    expect(() => next({ workdays: { isWorkingDay: () => false } })).toThrow(RangeError);
  });

  it('always gives a working day after the last attempt and not before the snooze (property)', () => {
    const random = prng(2024);
    const holidays = Array.from({ length: 40 }, () => addDays('2024-01-01', Math.floor(random() * 800)));
    const calendar = weekdaysExcept(holidays);
    for (let run = 0; run < 2000; run++) {
      const createdDate = addDays('2024-01-01', Math.floor(random() * 500));
      const lastAttemptDate = random() < 0.2 ? null : addDays(createdDate, Math.floor(random() * 200));
      const snoozedUntil = random() < 0.7 ? null : addDays(createdDate, Math.floor(random() * 300));
      const segment = SEGMENT_ORDER[Math.floor(random() * SEGMENT_ORDER.length)] as TimingSegment;
      const due = next({ createdDate, lastAttemptDate, snoozedUntil, segment, workdays: calendar });
      const story = JSON.stringify({ createdDate, lastAttemptDate, snoozedUntil, segment, due });
      expect(calendar.isWorkingDay(due), story).toBe(true);
      expect(due >= (lastAttemptDate === null ? createdDate : addDays(lastAttemptDate, 1)), story).toBe(true);
      if (snoozedUntil !== null) expect(due >= snoozedUntil, story).toBe(true);
      if (lastAttemptDate !== null && snoozedUntil === null) {
        const between = (from: string) =>
          Array.from({ length: Math.max(0, daysBetween(from, due)) }, (_, i) => addDays(from, i));
        const rule = DEFAULT_FOLLOW_UP_SETTINGS.cadence[segment];
        if (rule.mode === 'personal')
          expect(between(addDays(lastAttemptDate, 1)).filter(calendar.isWorkingDay), story).toHaveLength(
            (rule.personalEveryWorkingDays ?? 0) - 1,
          );
        else {
          const earliest = addDays(lastAttemptDate, rule.checkInEveryDays ?? 0);
          expect(due >= earliest, story).toBe(true);
          expect(between(earliest).some(calendar.isWorkingDay), story).toBe(false);
        }
      }
    }
  });
});

describe('isDue and overdueDays', () => {
  it.each([
    ['2024-05-08', '2024-05-07', false, 0],
    ['2024-05-08', '2024-05-08', true, 0],
    ['2024-05-08', '2024-05-09', true, 1],
    ['2024-02-28', '2024-03-01', true, 2],
    ['2023-12-31', '2024-12-31', true, 366],
  ])('due %s seen on %s: due %s, %d days overdue', (nextDate, today, due, days) => {
    expect(isDue(nextDate, today)).toBe(due);
    expect(overdueDays(nextDate, today)).toBe(days);
  });
});
