import { addMonths } from './ymd.ts';

/** A fixed visit `months` after handover, or a repeat every `everyMonthsAfter` months after the last fixed one. */
export type AfterSalesStep = { months: number } | { everyMonthsAfter: number };

/** 1 month, 6 months, 1 year after handover (引き渡し), then every year: the usual 定期点検 rhythm. */
export const DEFAULT_AFTER_SALES_CALENDAR: readonly AfterSalesStep[] = [
  { months: 1 },
  { months: 6 },
  { months: 12 },
  { everyMonthsAfter: 12 },
];

/** Past customers are never dropped: a calendar without a repeating step still continues yearly. */
const FALLBACK_REPEAT_MONTHS = 12;

/**
 * The next after-sales follow-up for a past customer (既存顧客): the first calendar date
 * (handover + offset) after the last after-sales touch, or the first date when there was none.
 * Every date is computed from the handover itself, so month-end clamping never drifts
 * (handover 01-31 gives 02-28 and then 07-31, not 07-28).
 */
export function nextAfterSalesDate(
  handoverDate: string,
  lastAfterSalesTouchDate: string | null,
  calendar: readonly AfterSalesStep[],
): string {
  const fixed = calendar.flatMap((step) => ('months' in step ? [step.months] : [])).sort((a, b) => a - b);
  const repeat = calendar.flatMap((step) => ('everyMonthsAfter' in step ? [step.everyMonthsAfter] : []))[0];
  const every = Math.max(1, repeat ?? FALLBACK_REPEAT_MONTHS);
  const isNext = (date: string) => lastAfterSalesTouchDate === null || date > lastAfterSalesTouchDate;
  for (const months of fixed) {
    const date = addMonths(handoverDate, months);
    if (isNext(date)) return date;
  }
  let offset = fixed.at(-1) ?? 0;
  for (;;) {
    offset += every;
    const date = addMonths(handoverDate, offset);
    if (isNext(date)) return date;
  }
}
