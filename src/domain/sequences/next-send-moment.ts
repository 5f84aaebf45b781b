import { nextAllowedMoment, type SendWindow } from './quiet-hours.ts';
import { earliestUnderCap } from './weekly-cap.ts';

export interface SendRules extends SendWindow {
  /** STEP_WEEKLY_CAP: step messages per lead in any rolling 7 days. */
  cap: number;
}

/** The quiet-hour and cap rules each move a moment forward; a handful of rounds settles both. */
const MAX_ROUNDS = 32;

/**
 * The moment a step that is `due` may go out to a lead, given the lead's past step sends (all
 * sequences): not before `due` nor `now`, on a step day, outside quiet hours, within the weekly cap.
 * Feeding the answer back as `due` returns it unchanged. Nothing is ever dropped: a step that may not
 * go out yet is only moved later.
 */
export function nextSendMoment(input: {
  due: Date;
  now: Date;
  recentSends: readonly Date[];
  rules: SendRules;
}): Date {
  const { rules, recentSends } = input;
  let at = new Date(Math.max(input.due.getTime(), input.now.getTime()));
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const allowed = nextAllowedMoment(at, rules);
    const capped = earliestUnderCap(allowed, recentSends, rules.cap);
    if (capped.getTime() === allowed.getTime()) return allowed;
    at = capped;
  }
  throw new Error(`No send moment settles after ${input.due.toISOString()}: check QUIET_HOURS and STEP_DAYS`);
}
