import { nothingToTell, type OutboxHandlers } from './outbox-handler.ts';

/** Staff records kept in step with Slack: the display name used as the LINE sender name. */
export const staffHandlers: OutboxHandlers<'slack.staff_name'> = {
  'slack.staff_name': {
    async deliver(deps, _item, job) {
      const name = await deps.slack.lookupUserName(job.userId);
      if (name) await deps.store.staff.setDisplayName(job.userId, name, deps.clock.now());
      return [];
    },
    // A nicety: replies still go out, under the name given when the person was added or the fallback.
    onGivenUp: nothingToTell,
  },
};
