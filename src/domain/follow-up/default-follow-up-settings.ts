import { DEFAULT_AFTER_SALES_CALENDAR } from './after-sales.ts';
import type { FollowUpSettings } from './follow-up-settings.ts';

const MAN = 10_000;

/**
 * Shipped defaults for a Japanese home builder (注文住宅 / 建売). Every table can be overridden
 * in the settings file; these are the documented starting point.
 */
export const DEFAULT_FOLLOW_UP_SETTINGS: FollowUpSettings = {
  // Typical price points of a house with land; the bounds are inclusive.
  amountBands: [
    { key: 'up_to_20m', label: '〜2,000万円', maxYen: 2_000 * MAN },
    { key: 'up_to_40m', label: '〜4,000万円', maxYen: 4_000 * MAN },
    { key: 'up_to_60m', label: '〜6,000万円', maxYen: 6_000 * MAN },
    { key: 'over_60m', label: '6,000万円〜', maxYen: null },
  ],
  // Timing dominates (interest cools, a near buyer decides soon), so every lead of a nearer
  // segment outranks every lead of a further one; the amount orders leads within a segment.
  // An unknown amount sits just above the smallest band: worth asking, not worth skipping.
  priorityMatrix: {
    within_1m: { up_to_20m: 85, up_to_40m: 90, up_to_60m: 95, over_60m: 100, unknown: 87 },
    within_3m: { up_to_20m: 65, up_to_40m: 70, up_to_60m: 75, over_60m: 80, unknown: 67 },
    within_6m: { up_to_20m: 45, up_to_40m: 50, up_to_60m: 55, over_60m: 60, unknown: 47 },
    within_1y: { up_to_20m: 30, up_to_40m: 33, up_to_60m: 36, over_60m: 40, unknown: 31 },
    over_1y: { up_to_20m: 15, up_to_40m: 18, up_to_60m: 21, over_60m: 24, unknown: 16 },
    undecided: { up_to_20m: 5, up_to_40m: 7, up_to_60m: 9, over_60m: 11, unknown: 6 },
  },
  // Near-term leads get a call or a visit every 3 working days; further leads are kept warm by
  // LINE step sequences and letters, with a personal check-in that thins out with distance so
  // that nobody is pestered (calling too often damages the image). 未定 leads are asked about
  // their plans every two months.
  cadence: {
    within_1m: { mode: 'personal', personalEveryWorkingDays: 3, channels: ['phone', 'visit'] },
    within_3m: { mode: 'low_load', checkInEveryDays: 14, channels: ['line', 'phone', 'letter'] },
    within_6m: { mode: 'low_load', checkInEveryDays: 30, channels: ['line', 'letter', 'phone'] },
    within_1y: { mode: 'low_load', checkInEveryDays: 60, channels: ['line', 'letter'] },
    over_1y: { mode: 'low_load', checkInEveryDays: 90, channels: ['line', 'letter'] },
    undecided: { mode: 'low_load', checkInEveryDays: 60, channels: ['line', 'letter'] },
  },
  afterSales: DEFAULT_AFTER_SALES_CALENDAR,
  neglectDays: 30,
};
