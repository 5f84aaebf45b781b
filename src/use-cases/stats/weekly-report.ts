import { localDate } from '../../domain/business-calendar.ts';
import { lastWeek } from '../../domain/report-period.ts';
import { reportToJson } from '../../domain/stats/stats-figures.ts';
import { chartOrderKey, statsChartEntries } from './stats-charts.ts';
import { buildStatsReport, type StatsDeps } from './team-stats.ts';

export type WeeklyReportRun =
  | { kind: 'queued'; firstDay: string; lastDay: string }
  | { kind: 'holiday'; date: string };

/**
 * The Monday report (WEEKLY_REPORT_CRON): last week's team numbers and their charts in the report
 * channel, skipped on a holiday like the digest. The scheduler fires it once across replicas, and
 * the dedupe keys make a re-run of the same week (a restart, a catch-up) add nothing.
 */
export async function runWeeklyReport(
  deps: StatsDeps,
  fireAt: Date,
  channelId: string,
): Promise<WeeklyReportRun> {
  const date = localDate(fireAt, deps.policy.calendar.timezone);
  if (deps.policy.calendar.holidays(date)) return { kind: 'holiday', date };
  const period = lastWeek(date);
  const report = await buildStatsReport(deps, period, null);
  const audience = { channelId, askerId: null, responseUrl: null };
  const week = `${period.firstDay}..${period.lastDay}`;
  // One statement: the report and its charts are queued together or not at all.
  await deps.store.outbox.enqueue([
    {
      job: { kind: 'slack.stats_report', channelId, report: reportToJson(report) },
      orderKey: chartOrderKey(audience),
      dedupeKey: `weekly-report:${channelId}:${week}`,
    },
    ...statsChartEntries(report, audience).map((entry) => ({
      ...entry,
      dedupeKey: `weekly-report-charts:${channelId}:${week}`,
    })),
  ]);
  return { kind: 'queued', firstDay: period.firstDay, lastDay: period.lastDay };
}
