import { buildDigest, type Digest } from '../domain/digest.ts';
import { type FollowUpPolicy, followUpContext } from '../domain/follow-up-policy.ts';
import type { Store } from '../ports.ts';

/** Who `repId` should follow up on the business day of `now`, in priority order. */
export async function buildRepDigest(
  deps: { store: Store; policy: FollowUpPolicy },
  repId: string,
  now: Date,
): Promise<{ digest: Digest; today: string }> {
  const ctx = followUpContext(deps.policy, now);
  const leads = await deps.store.leads.listWorkable([repId]);
  return { digest: buildDigest(leads, ctx), today: ctx.today };
}
