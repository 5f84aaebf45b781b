import { addDays, localDate, parseClock, zonedParts, zonedTimeToInstant } from '../business-calendar.ts';

/**
 * When a step of a sequence is due: its anchor (the trigger moment for the first step, the previous
 * step's send time for the others, the handover date for after-sales) plus its delay, then its
 * optional time of day. Pure: nothing here reads the clock.
 */
export interface StepDelay {
  amount: number;
  unit: 'm' | 'h' | 'd';
}

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
/** Ten years in any unit: a longer delay is a typo, not a plan. */
const MAX_DELAY_DAYS = 3660;
const maxAmount: Record<StepDelay['unit'], number> = {
  m: MAX_DELAY_DAYS * 24 * 60,
  h: MAX_DELAY_DAYS * 24,
  d: MAX_DELAY_DAYS,
};

/**
 * The one parser of a step's `after:` text: 'Nm' (minutes), 'Nh' (hours) or 'Nd' (days), N a whole
 * number from 0 (0 is allowed here; "no delay" is a lint warning, not an error). Full-width digits
 * are read as half-width. Throws an Error that says what is expected.
 */
export function parseStepDelay(text: string): StepDelay {
  const match = /^(\d{1,7})([mhd])$/.exec(text.normalize('NFKC').trim());
  const unit = match?.[2] as StepDelay['unit'] | undefined;
  const amount = Number(match?.[1]);
  if (!unit) {
    throw new Error(`Invalid delay "${text}": expected a whole number and m, h or d, e.g. 30m, 2h or 3d`);
  }
  if (amount > maxAmount[unit]) {
    throw new Error(`Invalid delay "${text}": at most ${maxAmount[unit]}${unit} (ten years)`);
  }
  return { amount, unit };
}

/** 'HH:MM' of a step's `at:` as minutes after local midnight; throws on anything else. */
export function parseStepTime(text: string): number {
  const minute = parseClock(text.normalize('NFKC'), false);
  if (minute === null || !/^\d{2}:\d{2}$/.test(text.normalize('NFKC').trim())) {
    throw new Error(`Invalid time of day "${text}": expected HH:MM between 00:00 and 23:59, e.g. "10:00"`);
  }
  return minute;
}

const hhmm = (minute: number) =>
  `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;

/**
 * `anchor` + `delay`. Minutes and hours are elapsed time; days are calendar days in `timezone`, so
 * 3d from 10:00 is 10:00 three days later even across a DST change (as Temporal adds days).
 */
export function addStepDelay(anchor: Date, delay: StepDelay, timezone: string): Date {
  if (delay.unit === 'm') return new Date(anchor.getTime() + delay.amount * MINUTE_MS);
  if (delay.unit === 'h') return new Date(anchor.getTime() + delay.amount * HOUR_MS);
  return addLocalDays(anchor, delay.amount, timezone);
}

/** The same wall-clock time `days` calendar days later in `timezone` (a DST gap moves it forward). */
export function addLocalDays(instant: Date, days: number, timezone: string): Date {
  const p = zonedParts(instant, timezone);
  const day = addDays(localDate(instant, timezone), days);
  const minuteStart = zonedTimeToInstant(day, hhmm(p.hour * 60 + p.minute), timezone);
  const subMinuteMs = p.second * 1000 + (((instant.getTime() % 1000) + 1000) % 1000);
  return new Date(minuteStart.getTime() + subMinuteMs);
}

/**
 * The moment a step is due: `anchor` + `after`, then, when `at` is given, the first moment at or
 * after that whose local time in `timezone` is `at`.
 */
export function stepDueMoment(step: { after: StepDelay; at?: number }, anchor: Date, timezone: string): Date {
  const afterDelay = addStepDelay(anchor, step.after, timezone);
  if (step.at === undefined) return afterDelay;
  const day = localDate(afterDelay, timezone);
  const sameDay = zonedTimeToInstant(day, hhmm(step.at), timezone);
  if (sameDay.getTime() >= afterDelay.getTime()) return sameDay;
  return zonedTimeToInstant(addDays(day, 1), hhmm(step.at), timezone);
}

/** Handover-triggered sequences count from the start (local midnight) of the handover date 'YYYY-MM-DD'. */
export function handoverAnchor(handoverDate: string, timezone: string): Date {
  return zonedTimeToInstant(handoverDate, '00:00', timezone);
}
