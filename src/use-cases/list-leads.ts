import { type FollowUpPolicy, followUpContext } from '../domain/follow-up-policy.ts';
import type { Lead } from '../domain/lead.ts';
import { type FollowUpView, followUpView } from '../domain/lead-follow-up.ts';
import { type LeadListFilter, leadRanking } from '../domain/lead-list.ts';
import type { Clock, Store } from '../ports.ts';

export interface LeadListPage {
  kind: 'page';
  /** The filter as applied: a rep's list always names the rep as owner. */
  filter: LeadListFilter;
  /** A manager sees every owner's leads; a rep only their own. */
  seesAll: boolean;
  entries: { lead: Lead; view: FollowUpView }[];
  total: number;
  /** 0-based, within the pages that exist (a page past the end shows the last one). */
  page: number;
  pageSize: number;
  now: Date;
}

export type LeadListResult =
  | LeadListPage
  | { kind: 'not_staff' }
  /** A rep asked for another person's leads. */
  | { kind: 'others_leads' }
  /** The owner asked for is not staff. */
  | { kind: 'unknown_owner'; ownerId: string };

/**
 * `/tsuikyaku leads …`: one page of the leads matching `filter`, in the digest's order. A manager
 * sees every lead; a rep sees only their own and is refused another rep's. Checked on every page.
 */
export async function listLeads(
  deps: { store: Store; clock: Clock; policy: FollowUpPolicy },
  input: { actorId: string; filter: LeadListFilter; page: number; pageSize: number },
): Promise<LeadListResult> {
  const actor = await deps.store.staff.get(input.actorId);
  if (!actor?.active) return { kind: 'not_staff' };
  const seesAll = actor.role === 'manager';
  let filter = input.filter;
  if (!seesAll) {
    if (filter.ownerId !== null && filter.ownerId !== actor.slackUserId) return { kind: 'others_leads' };
    filter = { ...filter, ownerId: actor.slackUserId };
  } else if (filter.ownerId !== null && !(await deps.store.staff.get(filter.ownerId))) {
    return { kind: 'unknown_owner', ownerId: filter.ownerId };
  }
  const now = deps.clock.now();
  const ctx = followUpContext(deps.policy, now);
  const ranking = leadRanking(ctx);
  const total = await deps.store.leadList.count(filter, ranking);
  const lastPage = Math.max(0, Math.ceil(total / input.pageSize) - 1);
  const page = Math.min(Math.max(0, Math.floor(input.page)), lastPage);
  const leads =
    total === 0
      ? []
      : await deps.store.leadList.page(filter, ranking, {
          offset: page * input.pageSize,
          limit: input.pageSize,
        });
  const entries = leads.map((lead) => ({ lead, view: followUpView(lead, ctx) }));
  return { kind: 'page', filter, seesAll, entries, total, page, pageSize: input.pageSize, now };
}
