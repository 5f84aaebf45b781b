import type { StatsReport } from '../../domain/stats/stats-figures.ts';
import type { OutboxEntry, StatsChart, Store } from '../../ports.ts';

/** Where a command's charts go and who hears about them. */
export interface ChartAudience {
  channelId: string;
  /** The asker: the charts go to their DM when the bot cannot post in `channelId`. */
  askerId: string | null;
  responseUrl: string | null;
}

/**
 * The outbox row for a report's charts: the first, which queues the next where it went (the
 * conversation, or the asker's DM when the bot cannot post there). One row per chart, so a failure
 * of one never posts another twice.
 */
export function statsChartEntries(report: StatsReport, audience: ChartAudience): OutboxEntry[] {
  const [first, ...next] = statsCharts(report);
  if (!first) return [];
  return [
    {
      job: { kind: 'slack.stats_chart', chart: first, next, ...audience },
      orderKey: chartOrderKey(audience),
    },
  ];
}

/** The charts of a report: the first-response distribution, then the weekly trend. */
export function statsCharts(report: StatsReport): StatsChart[] {
  return [
    {
      kind: 'first_response',
      period: report.period,
      inHours: report.speed.inHours.buckets,
      outOfHours: report.speed.outOfHours.buckets,
    },
    { kind: 'weekly_trend', period: report.period, weeks: report.trend },
  ];
}

export const chartOrderKey = (audience: Pick<ChartAudience, 'askerId' | 'channelId'>) =>
  `stats:${audience.askerId ?? audience.channelId}`;

/** Queues a command's charts and starts delivering them. */
export async function queueStatsCharts(
  deps: { store: Store; kick: () => void },
  report: StatsReport,
  audience: ChartAudience,
): Promise<void> {
  await deps.store.outbox.enqueue(statsChartEntries(report, audience));
  deps.kick();
}
