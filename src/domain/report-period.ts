import { addDays, addMonths, isoWeekday, localDate, zonedTimeToInstant } from './business-calendar.ts';

/**
 * The period a manager asks numbers or an export for: `today`, `week` (the current ISO week,
 * Monday first), `month`, `quarter` (calendar quarters: 1–3, 4–6, 7–9, 10–12), a month `YYYY-MM`,
 * or dates `YYYY-MM-DD..YYYY-MM-DD` (both days included). Days are the business time zone's.
 */
export type PeriodWord = 'today' | 'week' | 'month' | 'quarter';

export interface ReportPeriod {
  /** How it was asked: a word, a month, or a range of dates. */
  kind: PeriodWord | 'month_of' | 'range';
  /** First day, 'YYYY-MM-DD'. */
  firstDay: string;
  /** Last day, included. */
  lastDay: string;
}

export type PeriodParse =
  | { kind: 'period'; period: ReportPeriod }
  /** `unknown`: not a period; `reversed`: the range ends before it starts; `too_long`: over MAX_PERIOD_DAYS. */
  | { kind: 'invalid'; word: string; problem: 'unknown' | 'reversed' | 'too_long' };

/** The longest period one command may ask for: a year and a day, so any year (leap or not) fits. */
export const MAX_PERIOD_DAYS = 366;

/** The Japanese words accepted beside the English ones (what the help shows). */
export const PERIOD_WORDS_JA: Readonly<Record<PeriodWord, readonly string[]>> = {
  today: ['今日', '本日'],
  week: ['今週'],
  month: ['今月'],
  quarter: ['四半期', '今四半期'],
};

const MONTH = /^(\d{4})-(\d{2})$/;
const RANGE = /^(\d{4}-\d{2}-\d{2})(?:\.\.|〜|~)(\d{4}-\d{2}-\d{2})$/;

/** Whether `ymd` is a real date (2026-02-30 is not). */
function realDate(ymd: string): boolean {
  const [y, m, d] = ymd.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** The period `word` names, seen from `today` ('YYYY-MM-DD' in the business time zone). */
export function parsePeriod(word: string, today: string): PeriodParse {
  const typed = word.normalize('NFKC').trim().toLowerCase();
  for (const [name, japanese] of Object.entries(PERIOD_WORDS_JA) as [PeriodWord, readonly string[]][]) {
    if (typed === name || japanese.includes(typed))
      return { kind: 'period', period: namedPeriod(name, today) };
  }
  const month = MONTH.exec(typed);
  if (month) {
    const firstDay = `${month[1]}-${month[2]}-01`;
    if (!realDate(firstDay)) return { kind: 'invalid', word, problem: 'unknown' };
    return {
      kind: 'period',
      period: { kind: 'month_of', firstDay, lastDay: addDays(addMonths(firstDay, 1), -1) },
    };
  }
  const range = RANGE.exec(typed);
  if (range) {
    const [firstDay, lastDay] = [range[1] as string, range[2] as string];
    if (!realDate(firstDay) || !realDate(lastDay)) return { kind: 'invalid', word, problem: 'unknown' };
    if (lastDay < firstDay) return { kind: 'invalid', word, problem: 'reversed' };
    if (dayCount({ firstDay, lastDay }) > MAX_PERIOD_DAYS)
      return { kind: 'invalid', word, problem: 'too_long' };
    return { kind: 'period', period: { kind: 'range', firstDay, lastDay } };
  }
  return { kind: 'invalid', word, problem: 'unknown' };
}

/** today, this ISO week, this month or this calendar quarter, containing `today`. */
export function namedPeriod(name: PeriodWord, today: string): ReportPeriod {
  switch (name) {
    case 'today':
      return { kind: name, firstDay: today, lastDay: today };
    case 'week': {
      const monday = addDays(today, 1 - isoWeekday(today));
      return { kind: name, firstDay: monday, lastDay: addDays(monday, 6) };
    }
    case 'month': {
      const first = `${today.slice(0, 7)}-01`;
      return { kind: name, firstDay: first, lastDay: addDays(addMonths(first, 1), -1) };
    }
    case 'quarter': {
      const month = Number(today.slice(5, 7));
      const firstMonth = month - ((month - 1) % 3);
      const first = `${today.slice(0, 4)}-${String(firstMonth).padStart(2, '0')}-01`;
      return { kind: name, firstDay: first, lastDay: addDays(addMonths(first, 3), -1) };
    }
  }
}

/** The ISO week before the one holding `today`: what the Monday report covers. */
export function lastWeek(today: string): ReportPeriod {
  const week = namedPeriod('week', addDays(today, -7));
  return { kind: 'range', firstDay: week.firstDay, lastDay: week.lastDay };
}

/** Days in the period, both ends included. */
export function dayCount(period: Pick<ReportPeriod, 'firstDay' | 'lastDay'>): number {
  const ms = Date.parse(`${period.lastDay}T00:00:00Z`) - Date.parse(`${period.firstDay}T00:00:00Z`);
  return Math.round(ms / 86_400_000) + 1;
}

/** The period as instants: [start of its first day, start of the day after its last) in `timeZone`. */
export function periodInstants(period: ReportPeriod, timeZone: string): { from: Date; to: Date } {
  return {
    from: zonedTimeToInstant(period.firstDay, '00:00', timeZone),
    to: zonedTimeToInstant(addDays(period.lastDay, 1), '00:00', timeZone),
  };
}

/** The period holding `now` by default: `week`. */
export function defaultPeriod(now: Date, timeZone: string): ReportPeriod {
  return namedPeriod('week', localDate(now, timeZone));
}
