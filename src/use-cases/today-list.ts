import type { Digest } from '../domain/digest.ts';
import type { FollowUpPolicy } from '../domain/follow-up-policy.ts';
import type { Clock, Store, TeamSummary } from '../ports.ts';
import { buildRepDigest } from './build-rep-digest.ts';
import { buildTeamSummary } from './build-team-summary.ts';

/**
 * `/tsuikyaku today`: the asker's own follow-up list for today, as in the morning digest; staff
 * only. A manager also gets the team section, as in their digest.
 */
export async function todayList(
  deps: { store: Store; clock: Clock; policy: FollowUpPolicy },
  input: { actorId: string },
): Promise<
  { kind: 'list'; digest: Digest; today: string; now: Date; team?: TeamSummary } | { kind: 'not_staff' }
> {
  const actor = await deps.store.staff.get(input.actorId);
  if (!actor?.active) return { kind: 'not_staff' };
  const now = deps.clock.now();
  const { digest, today } = await buildRepDigest(deps, input.actorId, now);
  if (actor.role !== 'manager') return { kind: 'list', digest, today, now };
  return { kind: 'list', digest, today, now, team: await buildTeamSummary(deps, now) };
}
