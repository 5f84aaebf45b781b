export const TOUCH_CHANNELS = ['line', 'phone', 'visit', 'email', 'letter', 'other'] as const;
export type TouchChannel = (typeof TOUCH_CHANNELS)[number];
export type TouchDirection = 'outbound' | 'inbound';
export type TouchOutcome = 'reached' | 'no_answer' | 'left_message' | 'replied' | 'sent' | 'met' | 'other';

/** One contact with a lead, logged by a rep or recorded automatically for LINE messages. */
export interface Touch {
  channel: TouchChannel;
  direction: TouchDirection;
  outcome: TouchOutcome;
  note: string | null;
  authorId: string | null;
  at: Date;
}

const ANSWERED_OUTCOMES: ReadonlySet<TouchOutcome> = new Set(['reached', 'met', 'replied']);

/** Did the lead respond? Anything the lead sent does; so does an outbound touch that reached them. */
export function isAnswered(touch: Pick<Touch, 'direction' | 'outcome'>): boolean {
  return touch.direction === 'inbound' || ANSWERED_OUTCOMES.has(touch.outcome);
}

/**
 * An attempt is contact the company made (an outbound touch, whatever came of it): the 4-touch
 * rule counts these before a lead may be closed as lost, and the ones left unanswered in a row
 * move an open lead to nurture.
 */
export function isAttempt(touch: Pick<Touch, 'direction'>): boolean {
  return touch.direction === 'outbound';
}

export interface AttemptState {
  /** Outbound touches after the last answered one: the count the 4-touch rule looks at. */
  unansweredAttempts: number;
  /** The number the bot announces for the next attempt ("3回目"). */
  nextAttemptNumber: number;
  lastAttemptAt: Date | null;
  lastTouchAt: Date | null;
  lastAnsweredAt: Date | null;
}

const latest = (dates: Date[]): Date | null =>
  dates.reduce<Date | null>((max, d) => (max === null || d.getTime() > max.getTime() ? d : max), null);

/** Summarises a lead's touches, in any order. An answer resets the count of unanswered attempts. */
export function attemptState(touches: readonly Touch[]): AttemptState {
  const lastAnsweredAt = latest(touches.filter(isAnswered).map((t) => t.at));
  const outbound = touches.filter((t) => t.direction === 'outbound');
  const unansweredAttempts = outbound.filter(
    (t) => !isAnswered(t) && (lastAnsweredAt === null || t.at.getTime() > lastAnsweredAt.getTime()),
  ).length;
  return {
    unansweredAttempts,
    nextAttemptNumber: unansweredAttempts + 1,
    lastAttemptAt: latest(outbound.map((t) => t.at)),
    lastTouchAt: latest(touches.map((t) => t.at)),
    lastAnsweredAt,
  };
}

/**
 * The 4-touch rule: one unanswered message is not a "no" (reply rates after 4 touches are reported
 * to double), so a lead is not given up (lost, or moved to nurture) before this many attempts.
 */
export const MIN_ATTEMPTS_BEFORE_GIVING_UP = 4;

export type CloseAsLostCheck = { ok: true } | { ok: false; attemptsSoFar: number; needed: number };

/**
 * May the rep close the lead as lost (失注)? After 4 unanswered attempts, yes. Also when the
 * lead's answer is the latest word (nothing tried since): a "no" heard from the lead is a
 * decision, not giving up on silence. Otherwise refused with the count so far; `needed` is the
 * total required (4), so the message can say "3 of 4".
 */
export function canCloseAsLost(state: AttemptState): CloseAsLostCheck {
  if (state.unansweredAttempts >= MIN_ATTEMPTS_BEFORE_GIVING_UP) return { ok: true };
  if (state.lastAnsweredAt !== null && state.unansweredAttempts === 0) return { ok: true };
  return { ok: false, attemptsSoFar: state.unansweredAttempts, needed: MIN_ATTEMPTS_BEFORE_GIVING_UP };
}

/** After 4+ unanswered attempts the lead moves to long-term nurture, never out of the system. */
export function shouldMoveToNurture(state: AttemptState): boolean {
  return state.unansweredAttempts >= MIN_ATTEMPTS_BEFORE_GIVING_UP;
}
