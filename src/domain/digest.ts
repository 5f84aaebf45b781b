import { compareLeadsForFollowUp } from './follow-up/priority.ts';
import { isAwaitingReply, isWorkable, type Lead } from './lead.ts';
import { type FollowUpContext, type FollowUpView, followUpView } from './lead-follow-up.ts';

/** The digest's sections, in the order a rep reads them (issue: 返信待ち, 電話・訪問, 今日の予定, 放置). */
export const DIGEST_SECTIONS = ['awaiting_reply', 'personal_contact', 'due_today', 'neglected'] as const;
export type DigestSection = (typeof DIGEST_SECTIONS)[number];

export interface DigestItem {
  lead: Lead;
  view: FollowUpView;
  section: DigestSection;
}

export type Digest = Record<DigestSection, DigestItem[]>;

/**
 * Who to follow up today. Each lead appears once, in the first section that applies: a waiting
 * message beats a due call, which beats routine follow-up, which beats neglect. Within a section
 * the nearest and largest deals come first; waiting messages are oldest first.
 */
export function buildDigest(leads: readonly Lead[], ctx: FollowUpContext): Digest {
  const digest: Digest = { awaiting_reply: [], personal_contact: [], due_today: [], neglected: [] };
  for (const lead of leads) {
    if (!isWorkable(lead)) continue;
    const view = followUpView(lead, ctx);
    const section = sectionOf(lead, view);
    if (section) digest[section].push({ lead, view, section });
  }
  digest.awaiting_reply.sort(
    (a, b) => (a.lead.awaitingReplySince?.getTime() ?? 0) - (b.lead.awaitingReplySince?.getTime() ?? 0),
  );
  for (const section of ['personal_contact', 'due_today', 'neglected'] as const)
    digest[section].sort(byPriority);
  return digest;
}

function sectionOf(lead: Lead, view: FollowUpView): DigestSection | null {
  if (isAwaitingReply(lead)) return 'awaiting_reply';
  if (view.due && view.personalContact) return 'personal_contact';
  if (view.due) return 'due_today';
  if (view.neglected) return 'neglected';
  return null;
}

function byPriority(a: DigestItem, b: DigestItem): number {
  return compareLeadsForFollowUp(followUpCandidate(a), followUpCandidate(b));
}

/** What the follow-up order compares of a lead (the digest's and the lead list's order). */
export const followUpCandidate = (item: Pick<DigestItem, 'lead' | 'view'>) => ({
  id: item.lead.id,
  name: item.lead.displayName ?? '',
  score: item.view.score,
  segment: item.view.segment,
  amountYen: item.lead.amountYen,
  lastTouchAt: item.lead.lastTouchAt,
});
