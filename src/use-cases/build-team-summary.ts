import { type FollowUpPolicy, followUpContext } from '../domain/follow-up-policy.ts';
import { leadRanking } from '../domain/lead-list.ts';
import type { Store, TeamSummary } from '../ports.ts';

/** How many waiting and how many neglected leads are named per rep; the rest are counted. */
export const TEAM_NAMES_PER_REP = 3;

/**
 * For managers: every active rep, with nothing waiting too, and whoever else owns a lead, with
 * their waiting (返信待ち) and neglected (放置) leads named, so no one's backlog goes unseen. The
 * most urgent first: the most waiting and neglected leads, then the most leads.
 */
export async function buildTeamSummary(
  deps: { store: Store; policy: FollowUpPolicy },
  now: Date,
): Promise<TeamSummary> {
  const ranking = leadRanking(followUpContext(deps.policy, now));
  const rows = await deps.store.leadList.teamOverview(ranking, TEAM_NAMES_PER_REP);
  const byOwner = new Map(rows.map((row) => [row.ownerId, row]));
  for (const member of await deps.store.staff.listActive()) {
    if (member.role !== 'rep' || byOwner.has(member.slackUserId)) continue;
    byOwner.set(member.slackUserId, {
      ownerId: member.slackUserId,
      leads: 0,
      awaiting: 0,
      neglected: 0,
      awaitingLeads: [],
      neglectedLeads: [],
    });
  }
  return [...byOwner.values()].sort(
    (a, b) =>
      b.neglected + b.awaiting - (a.neglected + a.awaiting) ||
      b.leads - a.leads ||
      a.ownerId.localeCompare(b.ownerId),
  );
}
