import { isAnswered, isAttempt, MIN_ATTEMPTS_BEFORE_GIVING_UP, type Touch } from './follow-up/touch.ts';
import type { Lead, LeadStage } from './lead.ts';

export type TouchFacts = Pick<Touch, 'channel' | 'direction' | 'outcome' | 'at'>;

export type TouchState = Pick<
  Lead,
  'lastTouchAt' | 'lastAttemptAt' | 'unansweredAttempts' | 'awaitingReplySince' | 'escalationLevel' | 'stage'
>;

const later = (a: Date | null, b: Date) => (a && a > b ? a : b);

/**
 * How one touch changes a lead's follow-up state. A lead's LINE message opens a wait for an
 * answer (speed-to-lead); any rep contact closes it. Outbound contact that gets no answer counts
 * toward the 4-touch rule, and the fourth unanswered attempt moves an open lead to long-term
 * nurture; any answer resets the count and brings a nurtured lead back to open.
 */
export function touchEffects(
  state: TouchState,
  touch: TouchFacts,
): TouchState & { movedTo: LeadStage | null } {
  const answered = isAnswered(touch);
  const lastTouchAt = later(state.lastTouchAt, touch.at);
  if (!isAttempt(touch)) {
    const waitsForRep = touch.channel === 'line';
    const stage = state.stage === 'nurture' ? 'open' : state.stage;
    return {
      lastTouchAt,
      lastAttemptAt: state.lastAttemptAt,
      unansweredAttempts: 0,
      awaitingReplySince: waitsForRep ? (state.awaitingReplySince ?? touch.at) : state.awaitingReplySince,
      escalationLevel: waitsForRep ? state.escalationLevel : 0,
      stage,
      movedTo: stage !== state.stage ? stage : null,
    };
  }
  const unansweredAttempts = answered ? 0 : state.unansweredAttempts + 1;
  let stage = state.stage;
  if (answered && stage === 'nurture') stage = 'open';
  if (!answered && stage === 'open' && unansweredAttempts >= MIN_ATTEMPTS_BEFORE_GIVING_UP) stage = 'nurture';
  return {
    lastTouchAt,
    lastAttemptAt: later(state.lastAttemptAt, touch.at),
    unansweredAttempts,
    awaitingReplySince: null,
    escalationLevel: 0,
    stage,
    movedTo: stage !== state.stage ? stage : null,
  };
}
