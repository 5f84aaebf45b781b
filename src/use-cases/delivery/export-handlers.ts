import { exportOrderKey } from '../export/request-export.ts';
import { sendExport } from '../export/send-export.ts';
import { alertTeam, type OutboxHandlers } from './outbox-handler.ts';

/** The CSV export: the file in the asker's DM, and word to them when it cannot be sent. */
export const exportHandlers: OutboxHandlers<'slack.export' | 'slack.export_failed'> = {
  'slack.export': {
    async deliver(deps, _item, job) {
      await sendExport({ ...deps, timezone: deps.policy.calendar.timezone }, job);
      return [];
    },
    // A revoked files:write, a DM the bot cannot write to, data that cannot be read: the asker
    // learns that no file is coming, instead of waiting for it.
    async onGivenUp(_tx, _item, job, error) {
      const { userId, dataset, period } = job;
      return [
        {
          job: { kind: 'slack.export_failed', userId, dataset, period, error },
          orderKey: exportOrderKey(userId),
        },
      ];
    },
  },
  'slack.export_failed': {
    async deliver(deps, _item, job) {
      await deps.slack.postExportFailed(job.userId, job);
      return [];
    },
    // The asker cannot be reached either (the token itself, say): the team channel hears of it.
    async onGivenUp(_tx, _item, job, _error) {
      return alertTeam('slack.export', null, `CSV export of ${job.dataset} for ${job.userId}: ${job.error}`);
    },
  },
};
