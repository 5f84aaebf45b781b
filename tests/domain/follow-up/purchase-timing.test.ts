import { describe, expect, it } from 'vitest';
import type {
  PurchaseTiming,
  TimingPreset,
  TimingSegment,
} from '../../../src/domain/follow-up/purchase-timing.ts';
import {
  SEGMENT_ORDER,
  segmentRank,
  timingFromPreset,
  timingSegment,
} from '../../../src/domain/follow-up/purchase-timing.ts';
import { addDays, addMonths } from '../../../src/domain/follow-up/ymd.ts';
import { prng } from '../../support/seeded-random.ts';

const date = (d: string): PurchaseTiming => ({ kind: 'date', date: d });
const month = (m: string): PurchaseTiming => ({ kind: 'month', month: m });
const randomDay = (random: () => number) => addDays('2020-01-01', Math.floor(random() * 365 * 12));

describe('timingSegment', () => {
  it.each<[string, PurchaseTiming, TimingSegment]>([
    ['2024-01-15', null, 'undecided'],
    ['2024-01-15', date('2023-06-01'), 'within_1m'],
    ['2024-01-15', date('2024-01-14'), 'within_1m'],
    ['2024-01-15', date('2024-01-15'), 'within_1m'],
    ['2024-01-15', date('2024-02-15'), 'within_1m'],
    ['2024-01-15', date('2024-02-16'), 'within_3m'],
    ['2024-01-15', date('2024-04-15'), 'within_3m'],
    ['2024-01-15', date('2024-04-16'), 'within_6m'],
    ['2024-01-15', date('2024-07-15'), 'within_6m'],
    ['2024-01-15', date('2024-07-16'), 'within_1y'],
    ['2024-01-15', date('2025-01-15'), 'within_1y'],
    ['2024-01-15', date('2025-01-16'), 'over_1y'],
    ['2024-01-15', date('2030-01-01'), 'over_1y'],
    // A month counts from its 1st.
    ['2024-01-15', month('2024-01'), 'within_1m'],
    ['2024-01-15', month('2023-11'), 'within_1m'],
    ['2024-01-15', month('2024-02'), 'within_1m'],
    ['2024-01-15', month('2024-03'), 'within_3m'],
    ['2024-01-15', month('2024-04'), 'within_3m'],
    ['2024-01-15', month('2024-05'), 'within_6m'],
    ['2024-01-15', month('2024-07'), 'within_6m'],
    ['2024-01-15', month('2024-08'), 'within_1y'],
    ['2024-01-15', month('2025-01'), 'within_1y'],
    ['2024-01-15', month('2025-02'), 'over_1y'],
    ['2024-03-01', month('2024-04'), 'within_1m'],
    ['2024-03-01', month('2024-05'), 'within_3m'],
    // Month ends clamp: Jan 31 + 1 month is Feb 29 in a leap year, Feb 28 otherwise.
    ['2024-01-31', date('2024-02-29'), 'within_1m'],
    ['2024-01-31', date('2024-03-01'), 'within_3m'],
    ['2023-01-31', date('2023-02-28'), 'within_1m'],
    ['2023-01-31', date('2023-03-01'), 'within_3m'],
    ['2024-11-30', date('2025-02-28'), 'within_3m'],
    ['2024-11-30', date('2025-03-01'), 'within_6m'],
    ['2024-08-31', date('2025-02-28'), 'within_6m'],
    ['2024-08-31', date('2025-03-01'), 'within_1y'],
    ['2024-02-29', date('2025-02-28'), 'within_1y'],
    ['2024-02-29', date('2025-03-01'), 'over_1y'],
    ['2023-03-31', month('2024-03'), 'within_1y'],
    ['2023-12-31', date('2024-12-31'), 'within_1y'],
    ['2023-12-31', date('2025-01-01'), 'over_1y'],
  ])('on %s, %j is %s', (today, timing, expected) => {
    expect(timingSegment(timing, today)).toBe(expected);
  });

  it('ages by itself: a "1 year" lead is a "6 months" lead half a year later', () => {
    const timing = month('2025-01');
    expect(timingSegment(timing, '2024-01-15')).toBe('within_1y');
    expect(timingSegment(timing, '2024-06-30')).toBe('within_1y');
    expect(timingSegment(timing, '2024-07-01')).toBe('within_6m');
    expect(timingSegment(timing, '2024-07-15')).toBe('within_6m');
    expect(timingSegment(timing, '2024-10-01')).toBe('within_3m');
    expect(timingSegment(timing, '2024-12-01')).toBe('within_1m');
    expect(timingSegment(timing, '2025-06-01')).toBe('within_1m');
  });

  it('never moves a lead further away as the days pass (property)', () => {
    const random = prng(20240115);
    for (let run = 0; run < 100; run++) {
      const start = randomDay(random);
      const target = addDays(start, Math.floor(random() * 800) - 30);
      const timing = random() < 0.5 ? date(target) : month(target.slice(0, 7));
      let rank = segmentRank(timingSegment(timing, start));
      for (let day = 1; day <= 500; day += 1 + Math.floor(random() * 5)) {
        const next = segmentRank(timingSegment(timing, addDays(start, day)));
        expect(next).toBeLessThanOrEqual(rank);
        rank = next;
      }
    }
  });
});

describe('SEGMENT_ORDER and segmentRank', () => {
  it('puts the nearest segment first and undecided last', () => {
    expect(SEGMENT_ORDER).toEqual([
      'within_1m',
      'within_3m',
      'within_6m',
      'within_1y',
      'over_1y',
      'undecided',
    ]);
    expect(SEGMENT_ORDER.map(segmentRank)).toEqual([0, 1, 2, 3, 4, 5]);
  });
});

describe('a lead’s segment ageing day by day', () => {
  it('moves into each nearer segment exactly once and never back (property)', () => {
    const random = prng(7);
    for (let run = 0; run < 25; run++) {
      const start = randomDay(random);
      const timing = date(addMonths(start, 13 + Math.floor(random() * 12)));
      const crossings: TimingSegment[] = [];
      for (let day = 1; day <= 800; day++) {
        const from = timingSegment(timing, addDays(start, day - 1));
        const to = timingSegment(timing, addDays(start, day));
        expect(segmentRank(to)).toBeLessThanOrEqual(segmentRank(from));
        if (to !== from) crossings.push(to);
      }
      expect(crossings).toEqual(['within_1y', 'within_6m', 'within_3m', 'within_1m']);
    }
  });
});

describe('timingFromPreset', () => {
  it.each<[TimingPreset, string, PurchaseTiming]>([
    ['1m', '2024-01-15', month('2024-02')],
    ['3m', '2024-01-15', month('2024-04')],
    ['6m', '2024-01-15', month('2024-07')],
    ['1y', '2024-01-15', month('2025-01')],
    ['over_1y', '2024-01-15', month('2025-07')],
    ['undecided', '2024-01-15', null],
    ['3m', '2024-11-30', month('2025-02')],
    ['1m', '2024-12-31', month('2025-01')],
  ])('%s on %s stores %j', (preset, today, expected) => {
    expect(timingFromPreset(preset, today)).toEqual(expected);
  });

  const expected: Record<TimingPreset, TimingSegment> = {
    '1m': 'within_1m',
    '3m': 'within_3m',
    '6m': 'within_6m',
    '1y': 'within_1y',
    over_1y: 'over_1y',
    undecided: 'undecided',
  };

  it('lands the lead in the chosen segment on any day (property)', () => {
    const random = prng(42);
    for (let run = 0; run < 1000; run++) {
      const today = randomDay(random);
      for (const [preset, segment] of Object.entries(expected) as [TimingPreset, TimingSegment][]) {
        expect(timingSegment(timingFromPreset(preset, today), today), `${preset} on ${today}`).toBe(segment);
      }
    }
  });

  it('turns a "1 year" pick into a "6 months" lead half a year later (property)', () => {
    const random = prng(99);
    for (let run = 0; run < 1000; run++) {
      const today = randomDay(random);
      const timing = timingFromPreset('1y', today);
      expect(timingSegment(timing, addMonths(today, 6)), today).toBe('within_6m');
      expect(timingSegment(timing, addMonths(today, 11)), today).toBe('within_1m');
    }
  });
});
