import { type FollowUpPolicy, followUpContext } from '../domain/follow-up-policy.ts';
import { isErased } from '../domain/lead.ts';
import { followUpView } from '../domain/lead-follow-up.ts';
import { canActOnLead } from '../domain/staff.ts';
import type { Clock, LeadCardView, Store } from '../ports.ts';
import { leadSequencesView } from './sequences/lead-sequences-view.ts';
import type { SequenceSettings } from './sequences/sequence-settings.ts';

/**
 * A lead's card on request (a line of `/tsuikyaku leads`): for its owner or a manager, checked when
 * asked, not when the list was shown. An erased lead has no card to show.
 */
export async function showLeadCard(
  deps: { store: Store; clock: Clock; policy: FollowUpPolicy; sequences: SequenceSettings },
  input: { actorId: string; leadId: string },
): Promise<
  { kind: 'card'; card: LeadCardView } | { kind: 'not_staff' } | { kind: 'gone' } | { kind: 'forbidden' }
> {
  const actor = await deps.store.staff.get(input.actorId);
  if (!actor?.active) return { kind: 'not_staff' };
  const lead = await deps.store.leads.get(input.leadId);
  if (!lead || isErased(lead)) return { kind: 'gone' };
  if (!canActOnLead(actor, lead)) return { kind: 'forbidden' };
  const owner = lead.ownerId ? await deps.store.staff.get(lead.ownerId) : null;
  const now = deps.clock.now();
  const followUp = followUpView(lead, followUpContext(deps.policy, now));
  const sequences = await leadSequencesView(deps.store, deps.sequences, lead, now);
  return { kind: 'card', card: { lead, owner, claimable: false, followUp, sequences } };
}
