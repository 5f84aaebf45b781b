import {
  addDays,
  isoWeekday,
  localDate,
  parseClock,
  zonedParts,
  zonedTimeToInstant,
} from '../business-calendar.ts';

/**
 * Quiet hours and step days: when step messages may reach a lead. Read on the wall clock of the
 * business time zone: a moment is quiet when its local time is in [start, end), a window that may
 * wrap midnight (21:00-09:00). A step that falls in them waits; nothing is dropped.
 */
export interface QuietHours {
  /** Minutes after local midnight: quiet from startMinute (inclusive) to endMinute (exclusive). */
  startMinute: number;
  endMinute: number;
}

export interface SendWindow {
  /** null: no quiet hours. */
  quiet: QuietHours | null;
  /** ISO weekdays steps may go out on: 1 = Monday .. 7 = Sunday. */
  stepDays: number[];
  timezone: string;
}

const MINUTE_MS = 60_000;
const DAY_MINUTES = 24 * 60;
/** A window that allows nothing for this long is misconfigured; stop instead of looping forever. */
const MAX_HOPS = 64;

/**
 * '21:00-09:00' (wraps midnight), '12:00-13:00', '22:00-24:00'; '' or 'none' for no quiet hours.
 * Full-width digits and 〜 are fine. A window that starts where it ends is refused: it would mean
 * either never or always quiet.
 */
export function parseQuietHours(text: string): QuietHours | null {
  const normalised = text.normalize('NFKC').trim();
  if (normalised === '' || normalised.toLowerCase() === 'none') return null;
  const usage = `Invalid quiet hours "${text}": expected HH:MM-HH:MM such as 21:00-09:00 (may wrap midnight), or empty for none`;
  const pieces = normalised.split(/[-~〜–]/);
  if (pieces.length !== 2) throw new Error(usage);
  const startMinute = parseClock(pieces[0] ?? '', false);
  const endMinute = parseClock(pieces[1] ?? '', true);
  if (startMinute === null || endMinute === null) throw new Error(usage);
  if (startMinute === endMinute % DAY_MINUTES) {
    throw new Error(`Invalid quiet hours "${text}": start and end are the same time`);
  }
  return { startMinute, endMinute };
}

/** Local minute of the day with the seconds as a fraction, so 08:59:30 is still before 09:00. */
function minuteOfDay(instant: Date, timezone: string): number {
  const p = zonedParts(instant, timezone);
  return p.hour * 60 + p.minute + (p.second + (instant.getTime() % 1000) / 1000) / 60;
}

const wraps = (quiet: QuietHours) => quiet.startMinute > quiet.endMinute;

function isQuietMinute(minute: number, quiet: QuietHours | null): boolean {
  if (!quiet) return false;
  if (wraps(quiet)) return minute >= quiet.startMinute || minute < quiet.endMinute;
  return minute >= quiet.startMinute && minute < quiet.endMinute;
}

export function isQuietAt(instant: Date, window: SendWindow): boolean {
  return isQuietMinute(minuteOfDay(instant, window.timezone), window.quiet);
}

export function isStepDay(instant: Date, window: SendWindow): boolean {
  return window.stepDays.includes(isoWeekday(localDate(instant, window.timezone)));
}

/** May a step message go out at `instant`: on a step day and outside quiet hours. */
export function isSendAllowedAt(instant: Date, window: SendWindow): boolean {
  return isStepDay(instant, window) && !isQuietAt(instant, window);
}

/** The instant the local clock shows `minute` (0..1440) on `ymd`. */
function wallClock(ymd: string, minute: number, timezone: string): number {
  const day = minute >= DAY_MINUTES ? addDays(ymd, 1) : ymd;
  const m = minute % DAY_MINUTES;
  const text = `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
  return zonedTimeToInstant(day, text, timezone).getTime();
}

/** `instant` itself when a step may go out then, else the first moment after it when one may. */
export function nextAllowedMoment(instant: Date, window: SendWindow): Date {
  if (window.stepDays.length === 0) throw new Error('No step day: STEP_DAYS must name at least one weekday');
  let at = instant.getTime();
  for (let hop = 0; hop < MAX_HOPS; hop++) {
    const moment = new Date(at);
    const ymd = localDate(moment, window.timezone);
    if (!window.stepDays.includes(isoWeekday(ymd))) {
      // Jump to the next local midnight; the loop then checks that day and its quiet hours.
      at = Math.max(wallClock(ymd, DAY_MINUTES, window.timezone), at + MINUTE_MS);
      continue;
    }
    const minute = minuteOfDay(moment, window.timezone);
    const quiet = window.quiet;
    if (!quiet || !isQuietMinute(minute, quiet)) return moment;
    // Quiet: the window ends at endMinute today, or tomorrow when it wrapped past midnight.
    const endDay = wraps(quiet) && minute >= quiet.startMinute ? addDays(ymd, 1) : ymd;
    const end = wallClock(endDay, quiet.endMinute, window.timezone);
    // In a DST fall-back hour the wall-clock end may name the earlier of two readings; count
    // the remaining quiet minutes on from here instead.
    const remaining = (endDay === ymd ? 0 : DAY_MINUTES) + quiet.endMinute - minute;
    at = end > at ? end : at + Math.max(remaining * MINUTE_MS, 1);
  }
  throw new Error(`No moment allowed for step messages within reach after ${instant.toISOString()}`);
}
