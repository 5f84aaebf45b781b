import { RESPONSE_BUCKET_KEYS } from '../../src/domain/stats/stats-figures.ts';
import type { StatsChart } from '../../src/ports/stats.ts';
import { type BlockContext, shownDay, shownPeriod } from '../slack/block-kit.ts';
import { renderBarChart, renderLineChart } from './chart-renderer.ts';

/** A chart of the numbers as a PNG, with its file name and title, labelled from the catalog. */
export async function renderStatsChart(
  chart: StatsChart,
  ctx: BlockContext,
): Promise<{ png: Buffer; filename: string; title: string }> {
  const s = ctx.t.stats;
  const span = `${chart.period.firstDay}_${chart.period.lastDay}`;
  if (chart.kind === 'first_response') {
    const title = s.chartResponses(shownPeriod(chart.period, ctx));
    const png = await renderBarChart({
      title,
      labels: RESPONSE_BUCKET_KEYS.map((key) => s.buckets[key]),
      series: [
        { label: s.inHours, values: RESPONSE_BUCKET_KEYS.map((key) => chart.inHours[key]) },
        { label: s.outOfHours, values: RESPONSE_BUCKET_KEYS.map((key) => chart.outOfHours[key]) },
      ],
      yAxisLabel: s.chartLeads,
      stacked: true,
    });
    return { png, filename: `first-response_${span}.png`, title };
  }
  const title = s.chartTrend;
  const png = await renderLineChart({
    title,
    labels: chart.weeks.map((week) => s.chartWeek(shownDay(week.weekStart, ctx))),
    series: [
      { label: s.chartTouches, values: chart.weeks.map((week) => week.touches) },
      { label: s.chartReplies, values: chart.weeks.map((week) => week.leadReplies) },
    ],
    yAxisLabel: s.chartLeads,
  });
  return { png, filename: `weekly-trend_${span}.png`, title };
}
