import type { Digest } from '../domain/digest.ts';
import type { FollowUpPolicy } from '../domain/follow-up-policy.ts';
import type { Clock, Store } from '../ports.ts';
import { buildRepDigest } from './build-rep-digest.ts';

/** `/tsuikyaku today`: the asker's own follow-up list for today, as in the morning digest; staff only. */
export async function todayList(
  deps: { store: Store; clock: Clock; policy: FollowUpPolicy },
  input: { actorId: string },
): Promise<{ kind: 'list'; digest: Digest; today: string; now: Date } | { kind: 'not_staff' }> {
  const actor = await deps.store.staff.get(input.actorId);
  if (!actor?.active) return { kind: 'not_staff' };
  const now = deps.clock.now();
  const { digest, today } = await buildRepDigest(deps, input.actorId, now);
  return { kind: 'list', digest, today, now };
}
