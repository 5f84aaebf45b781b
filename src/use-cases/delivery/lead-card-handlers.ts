import { isErased, threadTargetOf } from '../../domain/lead.ts';
import { storableText } from '../../domain/storable-text.ts';
import { refreshCards, updateCard } from './lead-thread.ts';
import { alertTeamAboutLead, type OutboxHandlers } from './outbox-handler.ts';

/** The lead card at the head of a thread: its LINE profile, and redraws after a change or a claim. */
export const leadCardHandlers: OutboxHandlers<'line.profile' | 'slack.card' | 'slack.claimed'> = {
  'line.profile': {
    async deliver(deps, _item, job) {
      const { store } = deps;
      const lead = await store.leads.get(job.leadId);
      // An erased person's profile is never fetched again.
      if (!lead || isErased(lead)) return [];
      const fetched = await deps.line.getProfile(lead.lineUserId);
      if (!fetched) return [];
      // A display name is whatever the person typed in LINE, NUL included.
      const profile = {
        displayName: storableText(fetched.displayName),
        pictureUrl: fetched.pictureUrl === null ? null : storableText(fetched.pictureUrl),
      };
      await store.leads.setProfile(lead.id, profile, deps.clock.now());
      const thread = await store.threads.get(lead.id, threadTargetOf(lead));
      if (thread) await updateCard(deps, { ...lead, ...profile }, thread);
      return [];
    },
    onGivenUp: alertTeamAboutLead,
  },

  'slack.card': {
    async deliver(deps, _item, job) {
      const lead = await deps.store.leads.get(job.leadId);
      if (lead) await refreshCards(deps, lead);
      return [];
    },
    onGivenUp: alertTeamAboutLead,
  },

  'slack.claimed': {
    async deliver(deps, _item, job) {
      const lead = await deps.store.leads.get(job.leadId);
      if (lead) await updateCard(deps, lead, { channelId: job.channelId, threadTs: job.ts });
      return [];
    },
    onGivenUp: alertTeamAboutLead,
  },
};
