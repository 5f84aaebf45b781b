import type { Lead, LeadSource, LeadStage } from './lead.ts';

/** Who made a change: a staff member's Slack user ID, or the bot itself. */
export const SYSTEM_ACTOR = 'system';

/** Why a lead changed hands. */
export type OwnerChangeReason =
  /** A new lead (or one whose owner left) given to the next rep in turn. */
  | 'round_robin'
  /** A rep pressed 担当する on a team-channel lead. */
  | 'claim'
  /** The owner or a manager moved the lead to someone. */
  | 'reassign'
  /** The owner was removed from staff and their leads were handed over. */
  | 'hand_over'
  /** Someone pressed 代わりに対応する on the team channel's alarm about an unanswered message. */
  | 'take_over';

/** Why a lead moved between follow-up stages. */
export type StageChangeReason =
  | 'won'
  | 'lost'
  /** The 4-touch rule: the fourth unanswered attempt moved an open lead to nurture. */
  | 'unanswered_attempts'
  /** An answer (the lead's message, or a rep reaching them) brought a nurtured lead back. */
  | 'answered';

/** Who changed the purchase timing: a rep, the lead (answering a question), or the calendar. */
export type TimingChangedBy = 'rep' | 'lead' | 'ageing';

/** A purchase timing as stored ('YYYY-MM' or 'YYYY-MM-DD') with its segment at the time. */
export interface TimingValue {
  timing: string | null;
  segment: string | null;
}

export type LeadFact =
  | { fact: 'created'; source: LeadSource }
  | { fact: 'owner_changed'; from: string | null; to: string | null; reason: OwnerChangeReason }
  | {
      fact: 'stage_changed';
      from: LeadStage;
      to: LeadStage;
      reason: StageChangeReason;
      /** What a rep wrote (the lost reason); free text, so erasure removes it. */
      note: string | null;
    }
  | { fact: 'timing_changed'; from: TimingValue; to: TimingValue; by: TimingChangedBy }
  | { fact: 'amount_changed'; from: number | null; to: number | null }
  | { fact: 'blocked' }
  | { fact: 'unblocked' }
  | { fact: 'erased' };

export type LeadFactKind = LeadFact['fact'];

/** One row of a lead's append-only history. */
export type LeadHistoryEntry = LeadFact & { leadId: string; at: Date; actor: string };

/** The fields a history diff looks at. */
export type HistoryFields = Pick<
  Lead,
  | 'id'
  | 'source'
  | 'ownerId'
  | 'stage'
  | 'closeReason'
  | 'purchaseTiming'
  | 'announcedSegment'
  | 'amountYen'
  | 'status'
  | 'erasedAt'
>;

export interface ChangeContext {
  at: Date;
  actor: string;
  /** Required when the owner changes. */
  ownerReason?: OwnerChangeReason;
  /** Who changed the purchase timing itself; defaults to a rep when the actor is staff. */
  timingBy?: Exclude<TimingChangedBy, 'ageing'>;
}

/**
 * The facts between a lead before and after a change (`before` null: the lead was just created),
 * in a fixed order. Pure: every path that changes a lead writes exactly these rows, in the same
 * transaction as the change.
 */
export function leadHistoryDiff(
  before: HistoryFields | null,
  after: HistoryFields,
  ctx: ChangeContext,
): LeadHistoryEntry[] {
  const facts: LeadFact[] = [];
  const prior: HistoryFields = before ?? {
    ...after,
    ownerId: null,
    stage: 'open',
    closeReason: null,
    purchaseTiming: null,
    announcedSegment: null,
    amountYen: null,
    status: 'active',
    erasedAt: null,
  };
  if (before === null) facts.push({ fact: 'created', source: after.source });
  if (prior.ownerId !== after.ownerId) {
    if (!ctx.ownerReason) throw new Error('an owner change needs a reason');
    facts.push({ fact: 'owner_changed', from: prior.ownerId, to: after.ownerId, reason: ctx.ownerReason });
  }
  if (prior.stage !== after.stage) {
    facts.push({
      fact: 'stage_changed',
      from: prior.stage,
      to: after.stage,
      reason: stageReason(after.stage),
      note: after.stage === 'lost' ? after.closeReason : null,
    });
  }
  if (prior.purchaseTiming !== after.purchaseTiming) {
    facts.push({
      fact: 'timing_changed',
      from: { timing: prior.purchaseTiming, segment: prior.announcedSegment },
      to: { timing: after.purchaseTiming, segment: after.announcedSegment },
      by: ctx.timingBy ?? (ctx.actor === SYSTEM_ACTOR ? 'lead' : 'rep'),
    });
  } else if (
    after.purchaseTiming !== null &&
    prior.announcedSegment !== null &&
    prior.announcedSegment !== after.announcedSegment
  ) {
    // The same timing, a nearer segment: the lead aged into it.
    facts.push({
      fact: 'timing_changed',
      from: { timing: prior.purchaseTiming, segment: prior.announcedSegment },
      to: { timing: after.purchaseTiming, segment: after.announcedSegment },
      by: 'ageing',
    });
  }
  if (prior.amountYen !== after.amountYen) {
    facts.push({ fact: 'amount_changed', from: prior.amountYen, to: after.amountYen });
  }
  if (prior.status !== after.status)
    facts.push({ fact: after.status === 'blocked' ? 'blocked' : 'unblocked' });
  if (prior.erasedAt === null && after.erasedAt !== null) facts.push({ fact: 'erased' });
  return facts.map((fact) => ({ ...fact, leadId: after.id, at: ctx.at, actor: ctx.actor }));
}

function stageReason(to: LeadStage): StageChangeReason {
  switch (to) {
    case 'won':
      return 'won';
    case 'lost':
      return 'lost';
    case 'nurture':
      return 'unanswered_attempts';
    case 'open':
      return 'answered';
  }
}
