import { nothingToTell, type OutboxHandlers } from './outbox-handler.ts';

/** Telling the team channel that something could not be shown in Slack. */
export const alertHandlers: OutboxHandlers<'slack.alert'> = {
  'slack.alert': {
    async deliver(deps, _item, job) {
      const lead = job.leadId ? await deps.store.leads.get(job.leadId) : null;
      await deps.slack.postDeliveryAlert(deps.teamChannelId, { lead, error: job.error });
      return [];
    },
    // An alert that fails itself is only logged, so failures cannot chain.
    onGivenUp: nothingToTell,
  },
};
