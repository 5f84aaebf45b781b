/**
 * Tiny calendar-date arithmetic on 'YYYY-MM-DD' strings, private to the follow-up rules so they
 * stand alone. Dates are computed in UTC because a calendar date has no time zone: the caller has
 * already decided which day "today" is in the business time zone.
 */

const DAY_MS = 24 * 60 * 60 * 1000;

function toUtcMs(ymd: string): number {
  return Date.UTC(Number(ymd.slice(0, 4)), Number(ymd.slice(5, 7)) - 1, Number(ymd.slice(8, 10)));
}

function fromUtcMs(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function ymdOf(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export function addDays(ymd: string, days: number): string {
  return fromUtcMs(toUtcMs(ymd) + days * DAY_MS);
}

/** Calendar months, clamped at the month end: 2024-01-31 + 1 month = 2024-02-29. */
export function addMonths(ymd: string, months: number): string {
  const year = Number(ymd.slice(0, 4));
  const monthIndex = Number(ymd.slice(5, 7)) - 1 + months;
  const targetYear = year + Math.floor(monthIndex / 12);
  const targetMonth = ((monthIndex % 12) + 12) % 12;
  const lastDay = new Date(Date.UTC(targetYear, targetMonth + 1, 0)).getUTCDate();
  return ymdOf(targetYear, targetMonth + 1, Math.min(Number(ymd.slice(8, 10)), lastDay));
}

/** Whole days from `from` to `to`; negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  return Math.round((toUtcMs(to) - toUtcMs(from)) / DAY_MS);
}
