import { localDate } from '../../domain/business-calendar.ts';
import type { ExportDataset } from '../../domain/export/export-command.ts';
import {
  defaultPeriod,
  type PeriodParse,
  parsePeriod,
  type ReportPeriod,
} from '../../domain/report-period.ts';
import { isManager } from '../../domain/staff.ts';
import type { Clock, Store } from '../../ports.ts';

export type ExportRequest =
  | { kind: 'queued'; dataset: ExportDataset; period: ReportPeriod }
  /** Not an active manager: nothing is read or queued. */
  | { kind: 'forbidden' }
  | { kind: 'invalid_period'; word: string; problem: Extract<PeriodParse, { kind: 'invalid' }>['problem'] };

/**
 * `/tsuikyaku export <dataset> [period]`: a manager asks for a CSV file. The file is written and
 * uploaded by the outbox (`slack.export`), so the command answers at once however large the
 * period, and a Slack outage delays the file instead of losing it. The period defaults to this
 * ISO week, in the business time zone.
 */
export async function requestExport(
  deps: { store: Store; clock: Clock; timezone: string },
  input: { actorId: string; dataset: ExportDataset; period: string | null },
): Promise<ExportRequest> {
  if (!isManager(await deps.store.staff.get(input.actorId))) return { kind: 'forbidden' };
  const now = deps.clock.now();
  const parsed: PeriodParse =
    input.period === null
      ? { kind: 'period', period: defaultPeriod(now, deps.timezone) }
      : parsePeriod(input.period, localDate(now, deps.timezone));
  if (parsed.kind === 'invalid')
    return { kind: 'invalid_period', word: parsed.word, problem: parsed.problem };
  const { dataset } = input;
  await deps.store.outbox.enqueue([
    {
      job: { kind: 'slack.export', userId: input.actorId, dataset, period: parsed.period },
      orderKey: exportOrderKey(input.actorId),
    },
  ]);
  return { kind: 'queued', dataset, period: parsed.period };
}

/** One manager's exports (and word of their failures) are delivered one after another. */
export function exportOrderKey(userId: string): string {
  return `export:${userId}`;
}
