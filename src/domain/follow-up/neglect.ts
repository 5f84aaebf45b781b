const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Whole 24-hour days since the lead was last touched, or since it arrived when no one ever
 * touched it. Counted on instants, not calendar dates, so no time zone is involved; a touch
 * stamped in the future (clock skew) counts as 0.
 */
export function daysSinceTouch(lastTouchAt: Date | null, createdAt: Date, now: Date): number {
  const since = lastTouchAt ?? createdAt;
  return Math.max(0, Math.floor((now.getTime() - since.getTime()) / DAY_MS));
}

/** 放置: untouched for `neglectDays` full days or more (exactly 30 days after the touch is neglected). */
export function isNeglected(
  lastTouchAt: Date | null,
  createdAt: Date,
  now: Date,
  neglectDays: number,
): boolean {
  return daysSinceTouch(lastTouchAt, createdAt, now) >= neglectDays;
}

/**
 * The instant at or before which a last touch (or, never touched, the arrival) makes a lead 放置 at
 * `now`: the same rule as isNeglected, as a bound the database can select by.
 */
export function neglectCutoff(now: Date, neglectDays: number): Date {
  return new Date(now.getTime() - neglectDays * DAY_MS);
}
