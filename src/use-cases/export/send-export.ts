import { exportFilename } from '../../domain/export/export-command.ts';
import { periodInstants } from '../../domain/report-period.ts';
import type { Clock, ExportJob, ExportSpool, Repos, SlackNotifier } from '../../ports.ts';
import type { ExportWords } from './export-columns.ts';
import { exportCsv } from './export-csv.ts';

/** What delivering an export needs beyond the outbox's usual deps. */
export interface ExportDelivery {
  words: ExportWords;
  spool: ExportSpool;
  /** Rows per query (tests make it small to cross page boundaries). */
  pageSize?: number;
}

/**
 * Writes the CSV of `job` to a scratch file a page of rows at a time (memory stays flat whatever
 * the period holds; Slack needs the length before the bytes), shares it in the asker's DM, and
 * removes the file, whether or not the upload worked.
 */
export async function sendExport(
  deps: {
    store: Pick<Repos, 'exports'>;
    clock: Clock;
    slack: SlackNotifier;
    timezone: string;
    exports: ExportDelivery;
  },
  job: Extract<ExportJob, { kind: 'slack.export' }>,
): Promise<void> {
  const { dataset, period } = job;
  const input = {
    dataset,
    range: periodInstants(period, deps.timezone),
    timezone: deps.timezone,
    now: deps.clock.now(),
    ...(deps.exports.pageSize ? { pageSize: deps.exports.pageSize } : {}),
  };
  let rows = 0;
  const csv = exportCsv({ store: deps.store, words: deps.exports.words }, input, (n) => {
    rows = n;
  });
  const file = await deps.exports.spool.write(csv);
  try {
    await deps.slack.postExport(
      job.userId,
      { path: file.path, filename: exportFilename(dataset, period) },
      { dataset, period, rows },
    );
  } finally {
    await file.remove();
  }
}
