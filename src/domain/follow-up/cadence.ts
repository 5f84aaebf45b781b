import type { TimingSegment } from './purchase-timing.ts';
import type { TouchChannel } from './touch.ts';
import { addDays, daysBetween } from './ymd.ts';

/**
 * How a segment is worked. Near-term leads get personal contact (phone, visit) every few working
 * days; further leads get low-load channels (LINE step sequences, letters) plus a periodic
 * personal check-in whose spacing grows with distance, so nobody is missed and nobody is pestered.
 */
export interface SegmentCadence {
  mode: 'personal' | 'low_load';
  /** personal mode: phone/visit every N working days. */
  personalEveryWorkingDays?: number;
  /** low_load mode: calendar days between personal check-ins. */
  checkInEveryDays?: number;
  /** Suggested channels, most preferred first. */
  channels: TouchChannel[];
}

export interface WorkingDays {
  isWorkingDay(ymd: string): boolean;
}

/** A calendar with no working day in two years is a configuration bug, not a reason to hang. */
const MAX_SCAN_DAYS = 731;

/** The day itself when it is a working day, else the next working day. */
export function onOrAfterWorkingDay(ymd: string, workdays: WorkingDays): string {
  let day = ymd;
  for (let i = 0; i <= MAX_SCAN_DAYS; i++) {
    if (workdays.isWorkingDay(day)) return day;
    day = addDays(day, 1);
  }
  throw new RangeError(`no working day within ${MAX_SCAN_DAYS} days after ${ymd}`);
}

/** The n-th working day after `ymd` (the day itself not counted, even when it is a working day). */
export function addWorkingDays(ymd: string, n: number, workdays: WorkingDays): string {
  let day = ymd;
  for (let i = 0; i < n; i++) day = onOrAfterWorkingDay(addDays(day, 1), workdays);
  return day;
}

export interface NextFollowUpInput {
  lastAttemptDate: string | null;
  createdDate: string;
  segment: TimingSegment;
  cadence: Record<TimingSegment, SegmentCadence>;
  snoozedUntil: string | null;
  workdays: WorkingDays;
}

/**
 * The date the lead is next due, always a working day. Never attempted: due at once (the day it
 * arrived, or the next working day). Otherwise the segment's spacing from the last attempt, or
 * the snooze when that is later. The result is deliberately not clamped to today: a date in the
 * past means overdue, and `overdueDays` tells by how much, so a late follow-up stays visible.
 * Missing spacings (only in an unvalidated table) fall back to 1, erring toward contact.
 */
export function nextFollowUpDate(input: NextFollowUpInput): string {
  const { lastAttemptDate, createdDate, segment, snoozedUntil, workdays } = input;
  const rule = input.cadence[segment];
  let due: string;
  if (lastAttemptDate === null) due = onOrAfterWorkingDay(createdDate, workdays);
  else if (rule.mode === 'personal')
    due = addWorkingDays(lastAttemptDate, rule.personalEveryWorkingDays ?? 1, workdays);
  else due = onOrAfterWorkingDay(addDays(lastAttemptDate, rule.checkInEveryDays ?? 1), workdays);
  if (snoozedUntil !== null && snoozedUntil > due) return onOrAfterWorkingDay(snoozedUntil, workdays);
  return due;
}

export function isDue(nextDate: string, today: string): boolean {
  return nextDate <= today;
}

/** Calendar days past the due date; 0 when due today or later. */
export function overdueDays(nextDate: string, today: string): number {
  return Math.max(0, daysBetween(nextDate, today));
}
