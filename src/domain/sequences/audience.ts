import { type TimingSegment, timingSegment } from '../follow-up/purchase-timing.ts';
import { isErased, isOpenDeal, isPastCustomer, type Lead } from '../lead.ts';
import { storedTiming } from '../lead-follow-up.ts';
import { stringFields } from './message-variables.ts';
import type { Sequence, Step } from './sequence.ts';
import { stepDueMoment } from './step-timing.ts';

/** Who may receive step messages at all: a friend of the account who has not opted out. */
export function canReceiveSteps(lead: Pick<Lead, 'status' | 'erasedAt' | 'optedOutAt'>): boolean {
  return lead.status === 'active' && !isErased(lead) && lead.optedOutAt === null;
}

/**
 * The lead's purchase-timing segment, or null while nobody (lead or rep) has said anything about
 * the timing: a new friend has not "entered" 未定 before answering the question.
 */
export function leadSegment(
  lead: Pick<Lead, 'purchaseTiming' | 'announcedSegment'>,
  today: string,
): TimingSegment | null {
  if (lead.purchaseTiming === null && lead.announcedSegment === null) return null;
  return timingSegment(storedTiming(lead.purchaseTiming), today);
}

/** Does the sequence's kind allow the lead: `lead` = an open deal, `customer` = a past customer. */
export function fitsKind(sequence: Pick<Sequence, 'kind'>, lead: Lead): boolean {
  if (sequence.kind === 'lead') return lead.kind === 'lead' && isOpenDeal(lead);
  if (sequence.kind === 'customer') return isPastCustomer(lead);
  return true;
}

/** The sequence's audience filter: kind, tags (any of them) and, when it names them, segments. */
export function fitsAudience(
  sequence: Sequence,
  lead: Lead,
  tags: readonly string[],
  today: string,
): boolean {
  if (!fitsKind(sequence, lead)) return false;
  if (sequence.tags.length > 0 && sequence.trigger !== 'tag' && !sequence.tags.some((t) => tags.includes(t)))
    return false;
  if (sequence.segments.length > 0) {
    const segment = leadSegment(lead, today);
    if (segment === null || !sequence.segments.includes(segment)) return false;
  }
  return true;
}

/** A step goes to leads with any of its tags; a step without tags to everyone. */
export function stepApplies(step: Step, tags: readonly string[]): boolean {
  return step.tags.length === 0 || step.tags.some((tag) => tags.includes(tag));
}

const PERSONAL_VARIABLE = /\{(name|owner)\}/;
const OWNER_VARIABLE = /\{owner\}/;

/** A step that names the owner needs the owner's name to be rendered. */
/** Does the step say the lead's name ({name})? */
export function namesLead(step: Step): boolean {
  return step.messages.some((message) =>
    stringFields(message).some((field) => field.value.includes('{name}')),
  );
}

/**
 * The order key of a lead's step pushes: one after another per lead, but not behind the lead's
 * Slack work (a slow Slack must not hold a greeting until its reply token expires).
 */
export function stepOrderKey(leadId: string): string {
  return `steps:${leadId}`;
}

export function namesOwner(step: Step): boolean {
  return step.messages.some((message) =>
    stringFields(message).some((field) => OWNER_VARIABLE.test(field.value)),
  );
}

/** A step that names the lead or the owner is rendered per lead (push); others are the same for all (multicast). */
export function isPersonalStep(step: Step): boolean {
  return step.messages.some((message) =>
    stringFields(message).some((field) => PERSONAL_VARIABLE.test(field.value)),
  );
}

const DAY_MINUTES = 24 * 60;

/** When `step` is due, counted from `anchor`: whole days are calendar days in `timezone`. */
export function stepDue(step: Step, anchor: Date, timezone: string): Date {
  const minutes = step.afterMinutes;
  const after =
    minutes > 0 && minutes % DAY_MINUTES === 0
      ? { amount: minutes / DAY_MINUTES, unit: 'd' as const }
      : { amount: minutes, unit: 'm' as const };
  return stepDueMoment(
    step.at ? { after, at: step.at.hour * 60 + step.at.minute } : { after },
    anchor,
    timezone,
  );
}

/** The greeting on follow: a first step with no delay and no time of day answers the follow at once. */
export function isImmediateStep(step: Step | undefined): boolean {
  return step !== undefined && step.afterMinutes === 0 && step.at === null;
}
