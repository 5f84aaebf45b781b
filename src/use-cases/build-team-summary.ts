import { type FollowUpPolicy, followUpContext } from '../domain/follow-up-policy.ts';
import { isOpenDeal } from '../domain/lead.ts';
import { followUpView } from '../domain/lead-follow-up.ts';
import type { Store, TeamSummary } from '../ports.ts';

/**
 * For managers: per owner, how many leads wait for an answer and how many are neglected (放置),
 * so no one's backlog goes unseen.
 */
export async function buildTeamSummary(
  deps: { store: Store; policy: FollowUpPolicy },
  now: Date,
): Promise<TeamSummary> {
  const ctx = followUpContext(deps.policy, now);
  const rows = new Map<string, { ownerId: string; awaiting: number; neglected: number; open: number }>();
  for (const lead of await deps.store.leads.listWorkable(null)) {
    if (!lead.ownerId || !isOpenDeal(lead)) continue;
    const row = rows.get(lead.ownerId) ?? { ownerId: lead.ownerId, awaiting: 0, neglected: 0, open: 0 };
    row.open += 1;
    if (lead.awaitingReplySince && lead.status === 'active') row.awaiting += 1;
    if (followUpView(lead, ctx).neglected) row.neglected += 1;
    rows.set(lead.ownerId, row);
  }
  return [...rows.values()].sort(
    (a, b) => b.neglected + b.awaiting - (a.neglected + a.awaiting) || a.ownerId.localeCompare(b.ownerId),
  );
}
