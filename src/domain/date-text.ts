import { isoWeekday, zonedParts } from './business-calendar.ts';

/**
 * Dates and times as people read them, the one style everywhere (shared/COPY-JA.md): 12月1日(火),
 * 12月1日(火) 9:05, 2027年1月30日(土) in Japanese; "Tue, Dec 1", "Tue, Dec 1, 9:05",
 * "Sat, Jan 30, 2027" in English. Never numerals only (2026/12/01 reads as 12 January to some).
 * The year is shown only when it is not the current one, both judged in the business time zone.
 */
export interface DateTextOptions {
  locale: 'ja' | 'en';
  /** The business time zone (BUSINESS_TIMEZONE): which calendar day and hour a moment is. */
  timezone: string;
  /** Decides whether the year is worth saying. */
  now: Date;
}

const JA_WEEKDAYS = ['月', '火', '水', '木', '金', '土', '日'];
const EN_WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const EN_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const EN_MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

interface Day {
  year: number;
  month: number;
  day: number;
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** A calendar day: a 'YYYY-MM-DD' business date, or the business date of a moment. */
export function dayText(day: string | Date, opts: DateTextOptions): string {
  const parts = typeof day === 'string' ? ymdParts(day) : zonedParts(day, opts.timezone);
  return formatDay(parts, opts);
}

/** A moment to the minute, on the 24-hour clock: 12月1日(火) 9:05, "Tue, Dec 1, 9:05". */
export function momentText(at: Date, opts: DateTextOptions): string {
  const parts = zonedParts(at, opts.timezone);
  const time = `${parts.hour}:${pad2(parts.minute)}`;
  return opts.locale === 'en' ? `${formatDay(parts, opts)}, ${time}` : `${formatDay(parts, opts)} ${time}`;
}

/** A month: 'YYYY-MM' as 12月 / 2027年1月, "December" / "January 2027". */
export function monthText(month: string, opts: DateTextOptions): string {
  const { year, month: m } = ymdParts(`${month}-01`);
  const withYear = year !== currentYear(opts);
  if (opts.locale === 'en') return `${EN_MONTH_NAMES[m - 1]}${withYear ? ` ${year}` : ''}`;
  return `${withYear ? `${year}年` : ''}${m}月`;
}

function formatDay(parts: Day, opts: DateTextOptions): string {
  const weekday = isoWeekday(`${parts.year}-${pad2(parts.month)}-${pad2(parts.day)}`) - 1;
  const withYear = parts.year !== currentYear(opts);
  if (opts.locale === 'en') {
    const text = `${EN_WEEKDAYS[weekday]}, ${EN_MONTHS[parts.month - 1]} ${parts.day}`;
    return withYear ? `${text}, ${parts.year}` : text;
  }
  return `${withYear ? `${parts.year}年` : ''}${parts.month}月${parts.day}日(${JA_WEEKDAYS[weekday]})`;
}

function currentYear(opts: DateTextOptions): number {
  return zonedParts(opts.now, opts.timezone).year;
}

function ymdParts(ymd: string): Day {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(ymd);
  if (!match) throw new Error(`Invalid date "${ymd}": expected YYYY-MM-DD`);
  return { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
}
