import { type BusinessCalendar, businessMinutesBetween } from './business-calendar.ts';
import type { Lead } from './lead.ts';

/**
 * Who a speed-to-lead alarm is for: the owner in the lead's thread, the team channel, every
 * manager, and after the last step the owner again, on a slow rhythm.
 */
export type EscalationAudience = 'owner' | 'team' | 'managers' | 'reminder';

export interface EscalationRules {
  /** Business minutes of waiting before each step (ESCALATION_MINUTES): owner, team channel, managers. */
  ladder: readonly number[];
  /** Business minutes between reminders after the last step (ESCALATION_REMINDER_MINUTES); 0: none. */
  reminderEvery: number;
  calendar: BusinessCalendar;
}

export interface EscalationStep {
  /** The lead's escalation level once this alarm is sent (steps count 1, 2, 3, then each reminder). */
  level: number;
  audience: EscalationAudience;
  /** Whole business minutes the message has waited so far. */
  waitedMinutes: number;
}

const STEP_AUDIENCES = ['owner', 'team', 'managers'] as const;

/**
 * The one alarm due now for a lead's unanswered message, or null. A step is due when the message
 * has waited its threshold AND, since the previous alarm, at least the ladder's gap to it (5,15,30:
 * 10 minutes between the owner's reminder and the team alert, 15 between that and the managers).
 * With a fire every minute the gap is always met by the threshold itself; it matters after fires
 * were missed (downtime, a jumped clock): a message that waited all evening gets the owner's
 * reminder first, and the team and the managers hear of it one step at a time, never in a burst.
 * After the last step the owner is reminded every `reminderEvery` business minutes.
 */
export function dueEscalation(
  lead: Pick<Lead, 'awaitingReplySince' | 'escalationLevel' | 'escalatedAt'>,
  now: Date,
  rules: EscalationRules,
): EscalationStep | null {
  const since = lead.awaitingReplySince;
  if (!since) return null;
  const { ladder, calendar } = rules;
  const waited = Math.floor(businessMinutesBetween(since, now, calendar));
  const level = lead.escalationLevel;
  const next = level + 1;
  const sincePrevious = businessMinutesSincePrevious(lead, waited, now, rules);
  if (next <= ladder.length) {
    const threshold = ladder[next - 1] ?? 0;
    const gap = threshold - (ladder[next - 2] ?? 0);
    if (waited < threshold || sincePrevious < gap) return null;
    return { level: next, audience: STEP_AUDIENCES[next - 1] ?? 'managers', waitedMinutes: waited };
  }
  if (rules.reminderEvery <= 0 || sincePrevious < rules.reminderEvery) return null;
  return { level: next, audience: 'reminder', waitedMinutes: waited };
}

function businessMinutesSincePrevious(
  lead: Pick<Lead, 'escalationLevel' | 'escalatedAt'>,
  waited: number,
  now: Date,
  rules: EscalationRules,
): number {
  if (lead.escalationLevel === 0) return waited;
  // Fires come once a minute, a little after the minute: rounding keeps those few seconds of
  // jitter from pushing a step a whole minute late.
  if (lead.escalatedAt) return Math.round(businessMinutesBetween(lead.escalatedAt, now, rules.calendar));
  // Escalated before the time of each alarm was kept: count from the threshold of the step reached.
  const reached = rules.ladder[Math.min(lead.escalationLevel, rules.ladder.length) - 1] ?? 0;
  return waited - reached;
}
