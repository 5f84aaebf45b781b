/**
 * Business days and business hours in a team's own time zone. Calendar dates are local
 * 'YYYY-MM-DD' strings; instants are Dates. Nothing here reads the clock: "now" is passed in.
 */
export interface BusinessCalendar {
  /** IANA zone name, e.g. 'Asia/Tokyo'. */
  timezone: string;
  /** Minutes after local midnight; the team is open in [openMinute, closeMinute). */
  openMinute: number;
  closeMinute: number;
  /** ISO weekdays the team works: 1 = Monday .. 7 = Sunday. */
  days: number[];
  holidays: (ymd: string) => boolean;
}

export interface ZonedParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;
/** A calendar with no working day for a whole year is misconfigured; stop instead of looping forever. */
const MAX_IDLE_DAYS = 366;

// ---------------------------------------------------------------- calendar dates

const ymdPattern = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Splits a 'YYYY-MM-DD' string, rejecting malformed text and dates that do not exist. */
function parseYmd(ymd: string): { year: number; month: number; day: number } {
  const match = ymdPattern.exec(ymd);
  const year = Number(match?.[1]);
  const month = Number(match?.[2]);
  const day = Number(match?.[3]);
  // Date.UTC rolls 2026-02-30 over to March; a round trip catches that.
  if (!match || fromDayNumber(Date.UTC(year, month - 1, day) / DAY_MS) !== ymd) {
    throw new Error(`Invalid date "${ymd}": expected an existing date as YYYY-MM-DD`);
  }
  return { year, month, day };
}

/** Days since 1970-01-01. */
function dayNumber(ymd: string): number {
  const { year, month, day } = parseYmd(ymd);
  return Date.UTC(year, month - 1, day) / DAY_MS;
}

function fromDayNumber(days: number): string {
  const date = new Date(days * DAY_MS);
  return formatYmd(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate());
}

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

function formatYmd(year: number, month: number, day: number): string {
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
}

export function isoWeekday(ymd: string): number {
  // 1970-01-01 was a Thursday (ISO 4).
  return ((((dayNumber(ymd) + 3) % 7) + 7) % 7) + 1;
}

export function addDays(ymd: string, n: number): string {
  return fromDayNumber(dayNumber(ymd) + n);
}

/** Same day n months later, clamped to the end of a shorter month (01-31 + 1 month = 02-28). */
export function addMonths(ymd: string, n: number): string {
  const { year, month, day } = parseYmd(ymd);
  const monthIndex = year * 12 + (month - 1) + n;
  const targetYear = Math.floor(monthIndex / 12);
  const targetMonth = monthIndex - targetYear * 12 + 1;
  const lastDay = new Date(Date.UTC(targetYear, targetMonth, 0)).getUTCDate();
  return formatYmd(targetYear, targetMonth, Math.min(day, lastDay));
}

/** b - a in calendar days. */
export function daysBetween(a: string, b: string): number {
  return dayNumber(b) - dayNumber(a);
}

// ---------------------------------------------------------------- time zones

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Building a formatter costs far more than using one, and day-by-day loops use the same zone. */
function formatterFor(tz: string): Intl.DateTimeFormat {
  let formatter = formatters.get(tz);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(tz, formatter);
  }
  return formatter;
}

/** The wall-clock reading of `instant` in `tz`. */
export function zonedParts(instant: Date, tz: string): ZonedParts {
  // Formatting is slow (microseconds per call) and digests convert every lead's dates, so the zone's
  // offset is cached per quarter hour of UTC: offset changes (DST) happen on quarter-hour boundaries.
  const ms = instant.getTime();
  const local = new Date(ms + cachedOffset(ms, tz));
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
    second: local.getUTCSeconds(),
  };
}

const QUARTER_HOUR_MS = 15 * 60_000;
const offsetCache = new Map<string, number>();

function cachedOffset(epochMs: number, tz: string): number {
  const bucket = Math.floor(epochMs / QUARTER_HOUR_MS);
  const key = `${tz}|${bucket}`;
  let offset = offsetCache.get(key);
  if (offset === undefined) {
    if (offsetCache.size > 50_000) offsetCache.clear();
    offset = formattedOffset(bucket * QUARTER_HOUR_MS, tz);
    offsetCache.set(key, offset);
  }
  return offset;
}

function formattedParts(instant: Date, tz: string): ZonedParts {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(tz).formatToParts(instant)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year ?? Number.NaN,
    month: parts.month ?? Number.NaN,
    day: parts.day ?? Number.NaN,
    // Some ICU versions still print midnight as 24 despite h23.
    hour: (parts.hour ?? Number.NaN) % 24,
    minute: parts.minute ?? Number.NaN,
    second: parts.second ?? Number.NaN,
  };
}

function formattedOffset(wholeSecond: number, tz: string): number {
  const p = formattedParts(new Date(wholeSecond), tz);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - wholeSecond;
}

/** UTC offset of `tz` at `epochMs`, in ms (Tokyo: +9h). */
function offsetAt(epochMs: number, tz: string): number {
  return cachedOffset(epochMs, tz);
}

/**
 * The instant the clocks in `tz` show `minuteOfDay` on `ymd`. Minute 1440 means the next
 * midnight, so a team can close at 24:00.
 */
function wallTimeToEpochMs(ymd: string, minuteOfDay: number, tz: string): number {
  // The wall time read as if it were UTC; the real instant is this minus the zone's offset.
  const asUtc = dayNumber(ymd) * DAY_MS + minuteOfDay * MINUTE_MS;
  // The offset either side of the wall time: they differ only around a DST change, and no zone
  // changes twice within two days, so one of them is the offset in force (both in an overlap).
  const before = offsetAt(asUtc - DAY_MS, tz);
  const after = offsetAt(asUtc + DAY_MS, tz);
  // The usual case (and always in Tokyo): no change nearby, so nothing to disambiguate.
  if (before === after) return asUtc - before;
  const readings = [asUtc - before, asUtc - after].filter((t) => offsetAt(t, tz) === asUtc - t);
  // Fall-back overlap (01:30 happens twice): take the first, as Temporal's 'compatible' does.
  if (readings.length > 0) return Math.min(...readings);
  // Spring-forward gap (02:30 never happens): move forward by the gap, so 02:30 becomes 03:30.
  return asUtc - before;
}

/** The instant the clocks in `tz` show `hhmm` ('HH:MM', 24-hour) on `ymd`; DST gaps and overlaps resolved as Temporal does. */
export function zonedTimeToInstant(ymd: string, hhmm: string, tz: string): Date {
  const minute = parseClock(hhmm, false);
  if (minute === null) throw new Error(`Invalid time "${hhmm}": expected HH:MM between 00:00 and 23:59`);
  return new Date(wallTimeToEpochMs(ymd, minute, tz));
}

/** 'YYYY-MM-DD' of `instant` in `tz`. */
export function localDate(instant: Date, tz: string): string {
  const p = zonedParts(instant, tz);
  return formatYmd(p.year, p.month, p.day);
}

// ---------------------------------------------------------------- parsing settings

/** Minutes after midnight for 'H:MM' or 'HH:MM'; '24:00' only where a closing time is meant. */
export function parseClock(text: string, allowMidnightEnd: boolean): number | null {
  const match = /^(\d{1,2}):(\d{2})$/.exec(text.trim());
  if (!match) return null;
  const hour = Number(match[1]);
  const minute = Number(match[2]);
  if (minute > 59) return null;
  if (hour < 24 || (allowMidnightEnd && hour === 24 && minute === 0)) return hour * 60 + minute;
  return null;
}

/** '09:00-18:00' (full-width digits and 〜 as typed on Japanese keyboards are fine). */
export function parseBusinessHours(text: string): { openMinute: number; closeMinute: number } {
  const usage = `Invalid business hours "${text}": expected HH:MM-HH:MM, e.g. 09:00-18:00`;
  const pieces = text.normalize('NFKC').split(/[-~〜–]/);
  if (pieces.length !== 2) throw new Error(usage);
  const openMinute = parseClock(pieces[0] ?? '', false);
  const closeMinute = parseClock(pieces[1] ?? '', true);
  if (openMinute === null || closeMinute === null) throw new Error(usage);
  if (openMinute >= closeMinute) {
    throw new Error(
      `Invalid business hours "${text}": opening time must be before closing time (overnight hours are not supported)`,
    );
  }
  return { openMinute, closeMinute };
}

/**
 * '1-5', '1,2,3,5', '1-5,7' as ISO weekdays; 0 and 7 both mean Sunday. Sorted, without duplicates.
 * `what` names the setting in errors (STEP_DAYS reads the same syntax).
 */
export function parseBusinessDays(text: string, what = 'business days'): number[] {
  const usage = `Invalid ${what} "${text}": expected ISO weekdays 1 (Mon) to 7 (Sun) as a list or ranges, e.g. 1-5 or 1-5,7`;
  const days = new Set<number>();
  for (const item of text.normalize('NFKC').split(',')) {
    const match = /^\s*([0-7])\s*(?:-\s*([0-7])\s*)?$/.exec(item);
    if (!match) throw new Error(usage);
    const from = Number(match[1]);
    const to = match[2] === undefined ? from : Number(match[2]);
    if (from > to) throw new Error(`Invalid ${what} "${text}": range ${from}-${to} runs backwards`);
    for (let day = from; day <= to; day++) days.add(day === 0 ? 7 : day);
  }
  return [...days].sort((a, b) => a - b);
}

// ---------------------------------------------------------------- working days

export function isWorkingDay(ymd: string, cal: BusinessCalendar): boolean {
  return cal.days.includes(isoWeekday(ymd)) && !cal.holidays(ymd);
}

/** `ymd` itself when it is a working day, else the first working day after it. */
export function nextWorkingDay(ymd: string, cal: BusinessCalendar): string {
  let day = ymd;
  for (let skipped = 0; !isWorkingDay(day, cal); skipped++) {
    if (skipped >= MAX_IDLE_DAYS)
      throw new Error(`No working day within a year after ${ymd}: check business days and holidays`);
    day = addDays(day, 1);
  }
  return day;
}

/**
 * Rolls `ymd` forward to a working day, then moves n working days on (as numpy's busday_offset
 * with roll='forward'): Friday + 1 = Monday, and Saturday + 1 = Tuesday because Saturday counts as Monday.
 */
export function addWorkingDays(ymd: string, n: number, cal: BusinessCalendar): string {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`addWorkingDays needs a whole n >= 0, got ${n}`);
  let day = nextWorkingDay(ymd, cal);
  for (let i = 0; i < n; i++) day = nextWorkingDay(addDays(day, 1), cal);
  return day;
}

// ---------------------------------------------------------------- business hours

/** Opening and closing instants of a working day, from the wall clock so that DST days come out right. */
function openingWindow(ymd: string, cal: BusinessCalendar): { open: number; close: number } {
  return {
    open: wallTimeToEpochMs(ymd, cal.openMinute, cal.timezone),
    close: wallTimeToEpochMs(ymd, cal.closeMinute, cal.timezone),
  };
}

export function isOpenAt(instant: Date, cal: BusinessCalendar): boolean {
  const ymd = localDate(instant, cal.timezone);
  if (!isWorkingDay(ymd, cal)) return false;
  const { open, close } = openingWindow(ymd, cal);
  return open <= instant.getTime() && instant.getTime() < close;
}

/** `instant` itself when open, else the next opening time (skipping nights, weekends and holidays). */
export function nextOpening(instant: Date, cal: BusinessCalendar): Date {
  return addBusinessMinutes(instant, 0, cal);
}

/**
 * Open time in [start, end) in minutes: 0 when end <= start; fractional only when the inputs
 * are not on whole minutes. Walks day by day, so a year costs a few hundred steps.
 */
export function businessMinutesBetween(start: Date, end: Date, cal: BusinessCalendar): number {
  const from = start.getTime();
  const to = end.getTime();
  if (to <= from) return 0;
  const lastDay = localDate(end, cal.timezone);
  let totalMs = 0;
  // 'YYYY-MM-DD' strings sort in date order.
  for (let day = localDate(start, cal.timezone); day <= lastDay; day = addDays(day, 1)) {
    if (!isWorkingDay(day, cal)) continue;
    const { open, close } = openingWindow(day, cal);
    totalMs += Math.max(0, Math.min(close, to) - Math.max(open, from));
  }
  return totalMs / MINUTE_MS;
}

/**
 * The instant when `minutes` of open time have passed since `start`; outside hours the count
 * starts at the next opening. Ending exactly at closing time gives the closing instant.
 */
export function addBusinessMinutes(start: Date, minutes: number, cal: BusinessCalendar): Date {
  if (!Number.isFinite(minutes) || minutes < 0) {
    throw new RangeError(`addBusinessMinutes needs minutes >= 0, got ${minutes}`);
  }
  let remainingMs = minutes * MINUTE_MS;
  let day = localDate(start, cal.timezone);
  for (;;) {
    day = nextWorkingDay(day, cal);
    const { open, close } = openingWindow(day, cal);
    const from = Math.max(open, start.getTime());
    // `from < close` also keeps a zero-minute request that starts at closing time moving on to the next opening.
    if (from < close) {
      if (remainingMs <= close - from) return new Date(from + remainingMs);
      remainingMs -= close - from;
    }
    day = addDays(day, 1);
  }
}
