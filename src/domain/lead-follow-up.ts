import { nextAfterSalesDate } from './follow-up/after-sales.ts';
import { type AmountBand, amountBand } from './follow-up/amount-band.ts';
import {
  addWorkingDays,
  isDue,
  nextFollowUpDate,
  onOrAfterWorkingDay,
  overdueDays,
  type WorkingDays,
} from './follow-up/cadence.ts';
import type { FollowUpSettings } from './follow-up/follow-up-settings.ts';
import { daysSinceTouch, isNeglected } from './follow-up/neglect.ts';
import { priorityScore } from './follow-up/priority.ts';
import { type PurchaseTiming, type TimingSegment, timingSegment } from './follow-up/purchase-timing.ts';
import { isOpenDeal, isPastCustomer, type Lead } from './lead.ts';

export interface FollowUpContext {
  now: Date;
  /** The business date of `now` ('YYYY-MM-DD' in the business time zone). */
  today: string;
  /** The business date of an instant, to turn touch times into days. */
  dateOf: (instant: Date) => string;
  /** The instant a business date starts (00:00 in the business time zone). */
  startOf: (ymd: string) => Date;
  settings: FollowUpSettings;
  workdays: WorkingDays;
  neglectDays: number;
}

/** Everything the digest and the lead card say about where a lead stands today. */
export interface FollowUpView {
  segment: TimingSegment;
  band: AmountBand | null;
  score: number;
  /** The day the next follow-up is due; earlier than today when overdue. */
  nextDate: string;
  due: boolean;
  overdueDays: number;
  daysSinceTouch: number;
  neglected: boolean;
  /** Which attempt the next unanswered contact would be (the 4-touch rule). */
  nextAttempt: number;
  /**
   * The lead wrote but its purchase timing is still unknown: due the next working day after its
   * message until a rep has contacted it since, so that someone asks (検討時期を聞きましょう).
   */
  askTiming: boolean;
  personalContact: boolean;
}

/** The stored timing is 'YYYY-MM' (month precision) or 'YYYY-MM-DD'. */
export function storedTiming(text: string | null): PurchaseTiming {
  if (!text) return null;
  return text.length === 7 ? { kind: 'month', month: text } : { kind: 'date', date: text };
}

export function timingToStored(timing: PurchaseTiming): string | null {
  if (timing === null) return null;
  return timing.kind === 'month' ? timing.month : timing.date;
}

export function followUpView(lead: Lead, ctx: FollowUpContext): FollowUpView {
  const { settings } = ctx;
  const segment = timingSegment(storedTiming(lead.purchaseTiming), ctx.today);
  const band = amountBand(lead.amountYen, settings.amountBands);
  const createdDate = ctx.dateOf(lead.createdAt);
  const lastAttemptDate = lead.lastAttemptAt ? ctx.dateOf(lead.lastAttemptAt) : null;
  // Every date a rep reads lands on a working day: a handover + 6 months on a Saturday is Monday.
  const scheduled = isPastCustomer(lead)
    ? onOrAfterWorkingDay(
        laterOf(
          nextAfterSalesDate(lead.handoverDate, lastAttemptDate, settings.afterSales),
          lead.snoozedUntil,
        ),
        ctx.workdays,
      )
    : nextFollowUpDate({
        lastAttemptDate,
        createdDate,
        segment,
        cadence: settings.cadence,
        snoozedUntil: lead.snoozedUntil,
        workdays: ctx.workdays,
      });
  const askDate = askTimingDate(lead, segment, lastAttemptDate, ctx);
  const askTiming = askDate !== null;
  const nextDate = askDate !== null && askDate < scheduled ? askDate : scheduled;
  const lastTouchDate = lead.lastTouchAt ? ctx.dateOf(lead.lastTouchAt) : null;
  return {
    segment,
    band,
    score: priorityScore(segment, band?.key ?? null, settings.priorityMatrix),
    nextDate,
    due: isDue(nextDate, ctx.today),
    overdueDays: Math.max(0, overdueDays(nextDate, ctx.today)),
    daysSinceTouch: daysSinceTouch(lastTouchDate, createdDate, ctx.today),
    neglected: isNeglected(lastTouchDate, createdDate, ctx.today, ctx.neglectDays),
    nextAttempt: lead.unansweredAttempts + 1,
    askTiming,
    personalContact: lead.kind === 'lead' && settings.cadence[segment].mode === 'personal',
  };
}

/**
 * Until a lead's purchase timing is known, each of its messages makes it due again the next
 * working day, until a rep has contacted it on or after that day; a snooze the rep chose still
 * wins. Null when the rule does not apply (timing known, a past customer, no message, a closed deal).
 */
function askTimingDate(
  lead: Lead,
  segment: TimingSegment,
  lastAttemptDate: string | null,
  ctx: FollowUpContext,
): string | null {
  if (segment !== 'undecided' || isPastCustomer(lead) || !isOpenDeal(lead) || !lead.lastInboundAt)
    return null;
  const askDate = addWorkingDays(ctx.dateOf(lead.lastInboundAt), 1, ctx.workdays);
  if (lastAttemptDate !== null && lastAttemptDate >= askDate) return null;
  if (lead.snoozedUntil !== null && lead.snoozedUntil > askDate) return null;
  return askDate;
}

function laterOf(date: string, snoozedUntil: string | null): string {
  return snoozedUntil && snoozedUntil > date ? snoozedUntil : date;
}
