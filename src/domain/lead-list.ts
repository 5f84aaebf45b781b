import { followUpCandidate } from './digest.ts';
import type { AmountBand } from './follow-up/amount-band.ts';
import { firstFreshDate } from './follow-up/neglect.ts';
import { compareLeadsForFollowUp, type PriorityMatrix } from './follow-up/priority.ts';
import type { TimingSegment } from './follow-up/purchase-timing.ts';
import { isAwaitingReply, isErased, isWorkable, type Lead, type LeadStage } from './lead.ts';
import type { FollowUpContext, FollowUpView } from './lead-follow-up.ts';

/**
 * `/tsuikyaku leads …`: which leads to list. Every condition narrows the list; none given means
 * every lead someone follows up (open deals and past customers), whoever owns it.
 */
export interface LeadListFilter {
  /** The owner (担当); null = any owner, unassigned leads included. */
  ownerId: string | null;
  segment: TimingSegment | null;
  /** null = the workable leads (追客中, 長期フォロー and past customers); a stage lists exactly it. */
  stage: LeadStage | null;
  /** 返信待ち only. */
  awaiting: boolean;
  /** 放置 only. */
  neglected: boolean;
}

export const NO_LEAD_FILTER: LeadListFilter = {
  ownerId: null,
  segment: null,
  stage: null,
  awaiting: false,
  neglected: false,
};

/** Whether the list shows this lead. An erased lead is never listed: nobody is left to follow up. */
export function inLeadList(lead: Lead, view: FollowUpView, filter: LeadListFilter): boolean {
  if (isErased(lead)) return false;
  if (filter.stage === null ? !isWorkable(lead) : lead.stage !== filter.stage) return false;
  if (filter.ownerId !== null && lead.ownerId !== filter.ownerId) return false;
  if (filter.segment !== null && view.segment !== filter.segment) return false;
  if (filter.awaiting && !isAwaitingReply(lead)) return false;
  if (filter.neglected && !view.neglected) return false;
  return true;
}

/**
 * The list's order, the digest's: leads waiting for an answer first (the longest wait first), then
 * the follow-up priority (score, nearer segment, larger amount, longer untouched, name, id).
 */
export function compareLeadListEntries(
  a: { lead: Lead; view: FollowUpView },
  b: { lead: Lead; view: FollowUpView },
): number {
  const waitA = isAwaitingReply(a.lead) ? (a.lead.awaitingReplySince?.getTime() ?? 0) : null;
  const waitB = isAwaitingReply(b.lead) ? (b.lead.awaitingReplySince?.getTime() ?? 0) : null;
  if (waitA !== null && waitB === null) return -1;
  if (waitA === null && waitB !== null) return 1;
  if (waitA !== null && waitB !== null && waitA !== waitB) return waitA - waitB;
  return compareLeadsForFollowUp(followUpCandidate(a), followUpCandidate(b));
}

/** What the database needs to filter and order leads as the rules above do, on the day of `now`. */
export interface LeadRanking {
  /** The business date the segments are counted from. */
  today: string;
  amountBands: readonly AmountBand[];
  priorityMatrix: PriorityMatrix;
  /** A lead last touched (or, never touched, created) before this instant is 放置. */
  neglectedBefore: Date;
}

export function leadRanking(ctx: FollowUpContext): LeadRanking {
  return {
    today: ctx.today,
    amountBands: ctx.settings.amountBands,
    priorityMatrix: ctx.settings.priorityMatrix,
    neglectedBefore: ctx.startOf(firstFreshDate(ctx.today, ctx.neglectDays)),
  };
}
