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

/**
 * The 4-touch rule: one unanswered message is not a "no" (reply rates after 4 touches are reported
 * to double), so a lead is not given up (lost, or moved to nurture) before this many attempts.
 */
export const MIN_ATTEMPTS_BEFORE_GIVING_UP = 4;
