import { addDays, isoWeekday } from './business-calendar.ts';

/**
 * Japanese national holidays (国民の祝日 and the 休日 the 祝日法 adds to them) for 2000-2099.
 * Equinox days come from the usual approximation, which matches the Cabinet Office's
 * announcements through 2099; the government only fixes them a year ahead, so check
 * the official list if it ever disagrees.
 */
export interface JapaneseHoliday {
  date: string;
  name: string;
}

const FIRST_YEAR = 2000;
const LAST_YEAR = 2099;

const ymd = (year: number, month: number, day: number) =>
  `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;

/** Day of the month of the nth Monday (ハッピーマンデー制度). */
function nthMonday(year: number, month: number, n: number): number {
  const weekdayOfFirst = isoWeekday(ymd(year, month, 1));
  return 1 + ((8 - weekdayOfFirst) % 7) + (n - 1) * 7;
}

// Both formulas hold for 1980-2099; floor((y - 1980) / 4) corrects for leap years.
const vernalEquinoxDay = (year: number) =>
  Math.floor(20.8431 + 0.242194 * (year - 1980) - Math.floor((year - 1980) / 4));
const autumnalEquinoxDay = (year: number) =>
  Math.floor(23.2488 + 0.242194 * (year - 1980) - Math.floor((year - 1980) / 4));

/** The 国民の祝日 themselves (Article 2 of the 祝日法, plus the one-off laws), before 振替休日 and 国民の休日. */
function statutoryHolidays(year: number): Array<[month: number, day: number, name: string]> {
  const list: Array<[number, number, string]> = [
    [1, 1, '元日'],
    [1, nthMonday(year, 1, 2), '成人の日'],
    [2, 11, '建国記念の日'],
    [3, vernalEquinoxDay(year), '春分の日'],
    // 4/29 was みどりの日 until 2006; from 2007 it is 昭和の日 and みどりの日 moved to 5/4.
    [4, 29, year >= 2007 ? '昭和の日' : 'みどりの日'],
    [5, 3, '憲法記念日'],
    [5, 5, 'こどもの日'],
    [9, autumnalEquinoxDay(year), '秋分の日'],
    [11, 3, '文化の日'],
    [11, 23, '勤労感謝の日'],
  ];
  if (year >= 2007) list.push([5, 4, 'みどりの日']);
  // The Emperor's birthday: 12/23 under Heisei, none in 2019 (abdication on 4/30), 2/23 from 2020.
  if (year <= 2018) list.push([12, 23, '天皇誕生日']);
  if (year >= 2020) list.push([2, 23, '天皇誕生日']);
  if (year === 2019) list.push([5, 1, '天皇の即位の日'], [10, 22, '即位礼正殿の儀の行われる日']);
  list.push([9, year >= 2003 ? nthMonday(year, 9, 3) : 15, '敬老の日']);

  // The Tokyo Olympics laws moved three holidays around the opening ceremony in 2020 and, after the postponement, 2021.
  if (year === 2020) list.push([7, 23, '海の日'], [7, 24, 'スポーツの日'], [8, 10, '山の日']);
  else if (year === 2021) list.push([7, 22, '海の日'], [7, 23, 'スポーツの日'], [8, 8, '山の日']);
  else {
    list.push([7, year >= 2003 ? nthMonday(year, 7, 3) : 20, '海の日']);
    list.push([10, nthMonday(year, 10, 2), year >= 2020 ? 'スポーツの日' : '体育の日']);
    if (year >= 2016) list.push([8, 11, '山の日']);
  }
  return list;
}

function computeYear(year: number): ReadonlyMap<string, string> {
  const statutory = new Map(
    statutoryHolidays(year).map(([month, day, name]) => [ymd(year, month, day), name]),
  );
  const all = new Map(statutory);

  // 振替休日: a 祝日 on Sunday gives a day off. Since 2007 it is the next day that is not itself a 祝日
  // (5/3 on Sunday -> 5/6); before, only the Monday, which no 2000-2006 case blocked.
  for (const date of statutory.keys()) {
    if (isoWeekday(date) !== 7) continue;
    let substitute = addDays(date, 1);
    if (year >= 2007) while (statutory.has(substitute)) substitute = addDays(substitute, 1);
    if (!statutory.has(substitute)) all.set(substitute, '振替休日');
  }

  // 国民の休日: an ordinary day between two 祝日 (e.g. the Tuesday of Silver Week). A Sunday stays a Sunday.
  for (const date of statutory.keys()) {
    const between = addDays(date, 1);
    if (statutory.has(addDays(between, 1)) && !all.has(between) && isoWeekday(between) !== 7) {
      all.set(between, '国民の休日');
    }
  }
  return new Map([...all].sort(([a], [b]) => (a < b ? -1 : 1)));
}

const byYear = new Map<number, ReadonlyMap<string, string>>();

/** Memoised because business-hours loops ask about every day; the answer for a year never changes. */
function holidaysOfYear(year: number): ReadonlyMap<string, string> {
  if (!Number.isInteger(year) || year < FIRST_YEAR || year > LAST_YEAR) {
    // Outside this range the rules (and the equinox formula) are not implemented; better loud than wrong.
    throw new RangeError(`Japanese holidays are only known for ${FIRST_YEAR}-${LAST_YEAR}, not ${year}`);
  }
  let holidays = byYear.get(year);
  if (!holidays) {
    holidays = computeYear(year);
    byYear.set(year, holidays);
  }
  return holidays;
}

/** The holidays of `year` in date order. */
export function japaneseHolidaysIn(year: number): JapaneseHoliday[] {
  return [...holidaysOfYear(year)].map(([date, name]) => ({ date, name }));
}

/** The holiday's name for a 'YYYY-MM-DD' date (e.g. '春分の日', '振替休日', '国民の休日'), or null. */
export function japaneseHolidayName(date: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new Error(`Invalid date "${date}": expected YYYY-MM-DD`);
  return holidaysOfYear(Number(date.slice(0, 4))).get(date) ?? null;
}

export function isJapaneseHoliday(date: string): boolean {
  return japaneseHolidayName(date) !== null;
}
