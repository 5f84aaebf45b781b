import { DeliveryError } from '../../errors.ts';
import type { OutboxEntry, StatsNote } from '../../ports.ts';
import { chartOrderKey } from '../stats/stats-charts.ts';
import { alertTeam, nothingToTell, type OutboxHandlers } from './outbox-handler.ts';

/** One note of each kind per command, however many of its charts run into it. */
function noteEntry(responseUrl: string, note: StatsNote): OutboxEntry {
  return {
    job: { kind: 'slack.stats_note', responseUrl, note },
    orderKey: `stats-note:${responseUrl}`,
    dedupeKey: `stats-note:${note.key}:${responseUrl}`,
  };
}

/** Managers' numbers in Slack: the charts, the notes about them, the weekly report. */
export const statsHandlers: OutboxHandlers<'slack.stats_chart' | 'slack.stats_note' | 'slack.stats_report'> =
  {
    'slack.stats_chart': {
      async deliver(deps, _item, job) {
        let channelId = job.channelId;
        const notes: OutboxEntry[] = [];
        try {
          await deps.slack.postStatsChart(channelId, job.chart);
        } catch (error) {
          const cannotPostThere = error instanceof DeliveryError && error.retry === 'never';
          if (!cannotPostThere || job.askerId === null || job.askerId === job.channelId) throw error;
          // A channel the bot is not in, or a DM between people: the charts go to the asker's DM.
          channelId = job.askerId;
          await deps.slack.postStatsChart(channelId, job.chart);
          if (job.responseUrl) notes.push(noteEntry(job.responseUrl, { key: 'charts_in_dm' }));
        }
        const [chart, ...next] = job.next;
        if (!chart) return notes;
        const following: OutboxEntry = {
          job: { ...job, chart, next, channelId },
          orderKey: chartOrderKey(job),
        };
        return [...notes, following];
      },
      // The numbers already arrived as text: the asker learns the chart is missing, or the team does.
      async onGivenUp(_tx, _item, job, error) {
        if (job.responseUrl) return [noteEntry(job.responseUrl, { key: 'chart_missing', error })];
        return alertTeam(job.kind, null, error);
      },
    },
    'slack.stats_note': {
      async deliver(deps, _item, job) {
        await deps.slack.postStatsNote(job.responseUrl, job.note);
        return [];
      },
      // A response_url lasts 30 minutes; a note that cannot reach it has nowhere else to go.
      onGivenUp: nothingToTell,
    },
    'slack.stats_report': {
      async deliver(deps, _item, job) {
        await deps.slack.postStatsReport(job.channelId, job.report);
        return [];
      },
      async onGivenUp(_tx, _item, job, error) {
        return alertTeam(job.kind, null, error);
      },
    },
  };
