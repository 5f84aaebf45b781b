import type { Lead, LeadStage } from './lead.ts';

export interface TouchFacts {
  channel: 'line' | 'phone' | 'visit' | 'email' | 'letter' | 'other';
  direction: 'outbound' | 'inbound';
  outcome: 'reached' | 'no_answer' | 'left_message' | 'replied' | 'sent' | 'met' | 'other';
  at: Date;
}

import { MIN_ATTEMPTS_BEFORE_GIVING_UP } from './follow-up/touch.ts';

/** The 4-touch rule: a lead is not given up (lost, or moved to nurture) before this many attempts. */
export const ATTEMPTS_BEFORE_NURTURE = MIN_ATTEMPTS_BEFORE_GIVING_UP;

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
  const answered =
    touch.direction === 'inbound' ||
    touch.outcome === 'reached' ||
    touch.outcome === 'met' ||
    touch.outcome === 'replied';
  const lastTouchAt = later(state.lastTouchAt, touch.at);
  if (touch.direction === 'inbound') {
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
  if (!answered && stage === 'open' && unansweredAttempts >= ATTEMPTS_BEFORE_NURTURE) stage = 'nurture';
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
