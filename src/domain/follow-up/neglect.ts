import { addDays, daysBetween } from './ymd.ts';

/**
 * Calendar days since the lead was last touched, or since it arrived when no one ever touched
 * it, counted on business dates ('YYYY-MM-DD' in the business time zone): a touch yesterday at
 * 23:00 is 1 day ago this morning, whatever the hours between. A touch dated after `today`
 * (clock skew) counts as 0.
 */
export function daysSinceTouch(lastTouchDate: string | null, createdDate: string, today: string): number {
  return Math.max(0, daysBetween(lastTouchDate ?? createdDate, today));
}

/** 放置: untouched for `neglectDays` calendar days or more (the 30th day after the touch is neglected). */
export function isNeglected(
  lastTouchDate: string | null,
  createdDate: string,
  today: string,
  neglectDays: number,
): boolean {
  return daysSinceTouch(lastTouchDate, createdDate, today) >= neglectDays;
}

/**
 * The first business date whose touches do not make a lead 放置 on `today`: a last touch (or,
 * never touched, the arrival) on an earlier date does. The same rule as isNeglected, as a bound
 * the database can select by (with the start of that day in the business time zone).
 */
export function firstFreshDate(today: string, neglectDays: number): string {
  return addDays(today, 1 - neglectDays);
}
