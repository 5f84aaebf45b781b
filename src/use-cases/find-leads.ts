import { type FollowUpPolicy, followUpContext } from '../domain/follow-up-policy.ts';
import { followUpView } from '../domain/lead-follow-up.ts';
import { storableText } from '../domain/storable-text.ts';
import type { Clock, LeadCardView, Store } from '../ports.ts';
import { leadSequencesView } from './sequences/lead-sequences-view.ts';
import type { SequenceSettings } from './sequences/sequence-settings.ts';

/** `/tsuikyaku lead <name>`: matching leads with their cards; a rep sees only leads they may act on. */
export async function findLeads(
  deps: { store: Store; clock: Clock; policy: FollowUpPolicy; sequences: SequenceSettings },
  input: { actorId: string; query: string; limit: number },
): Promise<
  { kind: 'found'; cards: LeadCardView[]; more: boolean; scope: 'all' | 'own' } | { kind: 'not_staff' }
> {
  const actor = await deps.store.staff.get(input.actorId);
  if (!actor?.active) return { kind: 'not_staff' };
  const ctx = followUpContext(deps.policy, deps.clock.now());
  const leads = await deps.store.leads.search(storableText(input.query).trim(), 50);
  const visible = leads.filter((lead) => actor.role === 'manager' || lead.ownerId === actor.slackUserId);
  const cards: LeadCardView[] = [];
  for (const lead of visible.slice(0, input.limit)) {
    const owner = lead.ownerId ? await deps.store.staff.get(lead.ownerId) : null;
    const sequences = await leadSequencesView(deps.store, deps.sequences, lead, ctx.now);
    cards.push({ lead, owner, claimable: false, followUp: followUpView(lead, ctx), sequences });
  }
  // A manager searched every lead; a rep only their own, and a miss must say so.
  const scope = actor.role === 'manager' ? 'all' : 'own';
  return { kind: 'found', cards, more: visible.length > input.limit, scope };
}
