import { reportFromJson } from '../../src/domain/stats/stats-figures.ts';
import { DeliveryError } from '../../src/errors.ts';
import type { FileSlack, SlackPosted, StatsNote, StatsSlack } from '../../src/ports.ts';
import { type BlockContext, shownPeriod } from './block-kit.ts';
import { statsMessage } from './stats-blocks.ts';

function noteText(note: StatsNote, ctx: BlockContext): string {
  return note.key === 'charts_in_dm' ? ctx.t.stats.chartsInDm : ctx.t.stats.chartMissing(note.error);
}

/**
 * The numbers in Slack: charts rendered in process and shared as PNG files (through the
 * notifier's once-only upload), notes to a command's response_url, and the weekly report.
 */
export function statsSlack(
  ctx: BlockContext,
  upload: FileSlack['uploadFile'],
  post: (role: string, args: { channel: string; text: string; blocks: unknown[] }) => Promise<SlackPosted>,
  timeoutMs: number,
): StatsSlack {
  return {
    async postStatsChart(channel, chart) {
      // Loaded on the first chart: the canvas and chart.js cost ~30 MB a process that never draws need not pay.
      const { renderStatsChart } = await import('../charts/stats-chart-specs.ts');
      const { png, filename, title } = await renderStatsChart(chart, ctx);
      return upload({ channel, filename, title, content: png, altText: title });
    },
    async postStatsNote(responseUrl, note) {
      let response: Response;
      try {
        response = await fetch(responseUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            response_type: 'ephemeral',
            replace_original: false,
            text: noteText(note, ctx),
          }),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        throw new DeliveryError(
          'later',
          `response_url unreachable: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
      await response.body?.cancel();
      if (response.ok) return;
      // 404/410: the url expired (30 minutes, 5 uses); only a server error is worth another try.
      const retry = response.status >= 500 || response.status === 429 ? 'later' : 'never';
      throw new DeliveryError(retry, `response_url answered HTTP ${response.status}`, {
        status: response.status,
      });
    },
    async postStatsReport(channelId, json) {
      const report = reportFromJson(json);
      const message = statsMessage(report, ctx, {
        title: ctx.t.stats.weeklyTitle(shownPeriod(report.period, ctx)),
      });
      await post('stats_report', { channel: channelId, text: message.text, blocks: message.blocks });
    },
  };
}
