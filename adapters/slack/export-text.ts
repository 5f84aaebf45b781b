import type { ReportPeriod } from '../../src/domain/report-period.ts';
import { escapeSlackText } from '../../src/domain/slack-text.ts';
import type { ExportDataset, ExportSummary } from '../../src/ports.ts';
import { type BlockContext, shownPeriod } from './block-kit.ts';

/** The file's title and the comment it is shared with (a note when the period held nothing). */
export function exportShareTexts(
  summary: ExportSummary,
  ctx: BlockContext,
): { title: string; comment: string } {
  const e = ctx.t.export;
  const dataset = e.datasets[summary.dataset];
  const period = shownPeriod(summary.period, ctx);
  return {
    title: e.title(dataset, period),
    comment: summary.rows === 0 ? e.empty(dataset, period) : e.comment(dataset, period, summary.rows),
  };
}

/** The DM telling the asker that their file could not be sent, and why (Slack's words, escaped). */
export function exportFailedText(
  failure: { dataset: ExportDataset; period: Pick<ReportPeriod, 'firstDay' | 'lastDay'>; error: string },
  ctx: BlockContext,
): string {
  const e = ctx.t.export;
  return e.failed(
    e.datasets[failure.dataset],
    shownPeriod(failure.period, ctx),
    escapeSlackText(failure.error),
  );
}
