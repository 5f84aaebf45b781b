import { followUpContext } from '../../domain/follow-up-policy.ts';
import type { Lead } from '../../domain/lead.ts';
import { TEAM_TARGET, threadTargetOf } from '../../domain/lead.ts';
import { followUpView } from '../../domain/lead-follow-up.ts';
import type { Staff } from '../../domain/staff.ts';
import type { LeadCardView, LeadThread } from '../../ports.ts';
import { leadSequencesView } from '../sequences/lead-sequences-view.ts';
import type { DeliveryDeps } from './outbox-handler.ts';

/** How many earlier messages a new thread (after a claim or a handover) shows. */
const HISTORY_SIZE = 10;

/** The lead's thread for its current owner (or the team channel), posting the lead card first if needed. */
export async function ensureThread(deps: DeliveryDeps, lead: Lead): Promise<LeadThread> {
  const target = threadTargetOf(lead);
  const threads = await deps.store.threads.listForLead(lead.id);
  const existing = threads.find((thread) => thread.target === target);
  if (existing) return existing;
  const owner = lead.ownerId ? await deps.store.staff.get(lead.ownerId) : null;
  const channel = target === TEAM_TARGET ? deps.teamChannelId : target;
  const posted = await deps.slack.postLeadCard(channel, {
    ...(await cardView(deps, lead, owner)),
    // A lead that already had a thread elsewhere was handed over, not new.
    arrival: threads.length > 0 ? 'handed_over' : 'new',
  });
  const thread: LeadThread = { leadId: lead.id, target, channelId: posted.channelId, threadTs: posted.ts };
  await deps.store.threads.insert(thread, deps.clock.now());
  const history = await deps.store.messages.recentShown(lead.id, HISTORY_SIZE);
  if (history.length > 0) {
    // The history is a convenience copy of what an earlier thread already shows; losing it loses nothing.
    await deps.slack.postHistory(thread, history, lead).catch((error: unknown) => {
      deps.logger.warn({ leadId: lead.id, error: String(error) }, 'could not post the lead history');
    });
  }
  return thread;
}

/**
 * Redraws every card of the lead: the current thread's with what the lead and its owner are now,
 * and those of threads it has left saying where it went, without buttons.
 */
export async function refreshCards(deps: DeliveryDeps, lead: Lead): Promise<void> {
  const threads = await deps.store.threads.listForLead(lead.id);
  if (threads.length === 0) return;
  const owner = lead.ownerId ? await deps.store.staff.get(lead.ownerId) : null;
  const current = threadTargetOf(lead);
  const view = await cardView(deps, lead, owner);
  for (const thread of threads) {
    await deps.slack.updateLeadCard(
      thread.channelId,
      thread.threadTs,
      thread.target === current ? view : { ...view, claimable: false, movedTo: lead.ownerId },
    );
  }
}

/** Redraws the lead card at the head of a thread with what the lead and its owner are now. */
export async function updateCard(
  deps: DeliveryDeps,
  lead: Lead,
  card: { channelId: string; threadTs: string },
): Promise<void> {
  const owner = lead.ownerId ? await deps.store.staff.get(lead.ownerId) : null;
  await deps.slack.updateLeadCard(card.channelId, card.threadTs, await cardView(deps, lead, owner));
}

async function cardView(deps: DeliveryDeps, lead: Lead, owner: Staff | null): Promise<LeadCardView> {
  const now = deps.clock.now();
  const followUp = followUpView(lead, followUpContext(deps.policy, now));
  const sequences = await leadSequencesView(deps.store, deps.sequences.settings, lead, now);
  return { lead, owner, claimable: lead.ownerId === null, followUp, sequences };
}
