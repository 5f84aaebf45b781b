import { addMonths } from './ymd.ts';

/**
 * When the lead expects to buy (購入時期), stored as a date or a month and never as a label, so
 * that the segment is derived afresh each day and a "1 year" lead becomes a "6 months" lead by
 * itself. null = 未定 (the lead has not said).
 */
export type PurchaseTiming = { kind: 'date'; date: string } | { kind: 'month'; month: string } | null;

export type TimingSegment = 'within_1m' | 'within_3m' | 'within_6m' | 'within_1y' | 'over_1y' | 'undecided';

/** Nearest first: the order in which segments are worked. */
export const SEGMENT_ORDER: readonly TimingSegment[] = [
  'within_1m',
  'within_3m',
  'within_6m',
  'within_1y',
  'over_1y',
  'undecided',
];

export function segmentRank(segment: TimingSegment): number {
  return SEGMENT_ORDER.indexOf(segment);
}

/** Upper bounds in calendar months from today, inclusive, nearest first. */
const SEGMENT_BOUNDS: readonly [TimingSegment, number][] = [
  ['within_1m', 1],
  ['within_3m', 3],
  ['within_6m', 6],
  ['within_1y', 12],
];

/** A month counts from its 1st: "March" is reached as soon as March begins. */
/** The day a timing points at: a month counts from its first day. */
export function targetDate(timing: NonNullable<PurchaseTiming>): string {
  return timing.kind === 'date' ? timing.date : `${timing.month}-01`;
}

/**
 * The last target date (inclusive) of each dated segment seen from `today`, nearest first; a later
 * target is over_1y. The SQL form of timingSegment compares with these same dates.
 */
export function segmentUpperBounds(today: string): readonly [TimingSegment, string][] {
  // A digest asks for every lead on the same day: the bounds of the last day asked are kept.
  if (lastBounds?.today !== today) {
    lastBounds = {
      today,
      bounds: SEGMENT_BOUNDS.map(([segment, months]) => [segment, addMonths(today, months)]),
    };
  }
  return lastBounds.bounds;
}

let lastBounds: { today: string; bounds: readonly [TimingSegment, string][] } | null = null;

/**
 * The segment of `timing` seen from `today`. A target already past counts as within_1m: the
 * lead is due now, and a stale date must never hide a lead in a far segment.
 */
export function timingSegment(timing: PurchaseTiming, today: string): TimingSegment {
  if (timing === null) return 'undecided';
  const target = targetDate(timing);
  for (const [segment, bound] of segmentUpperBounds(today)) {
    if (target <= bound) return segment;
  }
  return 'over_1y';
}

export type TimingPreset = '1m' | '3m' | '6m' | '1y' | 'over_1y' | 'undecided';

/** The presets a rep picks from, nearest first, and the segment each one lands a lead in today. */
export const TIMING_PRESETS: readonly TimingPreset[] = ['1m', '3m', '6m', '1y', 'over_1y', 'undecided'];

const PRESET_SEGMENT: Record<TimingPreset, TimingSegment> = {
  '1m': 'within_1m',
  '3m': 'within_3m',
  '6m': 'within_6m',
  '1y': 'within_1y',
  over_1y: 'over_1y',
  undecided: 'undecided',
};

export function presetSegment(preset: TimingPreset): TimingSegment {
  return PRESET_SEGMENT[preset];
}

/** The preset that shows a segment in the select (the inverse of presetSegment). */
export function segmentPreset(segment: TimingSegment): TimingPreset {
  return TIMING_PRESETS.find((preset) => PRESET_SEGMENT[preset] === segment) ?? 'undecided';
}

export function isTimingPreset(value: string): value is TimingPreset {
  return (TIMING_PRESETS as readonly string[]).includes(value);
}

/** Months ahead stored for each preset; over_1y uses 18 so it stays "over a year" for half a year. */
const PRESET_MONTHS: Record<Exclude<TimingPreset, 'undecided'>, number> = {
  '1m': 1,
  '3m': 3,
  '6m': 6,
  '1y': 12,
  over_1y: 18,
};

/**
 * The timing stored when a rep picks a preset in Slack: the month reached after the preset's
 * months, so that the lead lands in the chosen segment today and ages from there.
 */
export function timingFromPreset(preset: TimingPreset, today: string): PurchaseTiming {
  if (preset === 'undecided') return null;
  return { kind: 'month', month: addMonths(today, PRESET_MONTHS[preset]).slice(0, 7) };
}
