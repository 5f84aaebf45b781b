import type { CsvCell } from '../../domain/export/csv.ts';
import type { ExportDataset } from '../../domain/export/export-command.ts';
import { parseCloseReason } from '../../domain/follow-up/close-reason.ts';
import { timingSegment } from '../../domain/follow-up/purchase-timing.ts';
import { storedTiming } from '../../domain/lead-follow-up.ts';
import type { Catalog } from '../../messages.ts';
import type { ExportLeadRow, ExportMessageRow, ExportTouchRow } from '../../ports.ts';

/** The catalog parts an export is written with: its headers, and the labels of stages, channels... */
export type ExportWords = Pick<Catalog, 'export' | 'followUp' | 'modal' | 'nobody'>;

/** The columns of each file, in order (the README lists them). */
export const EXPORT_COLUMNS = {
  leads: [
    'id',
    'name',
    'owner',
    'stage',
    'timing',
    'segment',
    'amount',
    'createdAt',
    'lastTouchAt',
    'lastInboundAt',
    'closedAt',
    'lostReason',
    'handoverDate',
    'blockedAt',
    'optedOutAt',
    'tags',
    'erasedAt',
  ],
  touches: ['at', 'leadId', 'lead', 'channel', 'direction', 'outcome', 'author', 'note'],
  messages: ['createdAt', 'sentAt', 'leadId', 'lead', 'direction', 'kind', 'text', 'author', 'status'],
} as const satisfies { [D in ExportDataset]: readonly (keyof ExportWords['export']['columns'][D])[] };

export function exportHeader(dataset: ExportDataset, words: ExportWords): string[] {
  const names: Record<string, string> = words.export.columns[dataset];
  return EXPORT_COLUMNS[dataset].map((column) => names[column] ?? column);
}

/** A staff member by name, or by Slack user id when the name is not known yet. */
const staffName = (id: string | null, name: string | null) => (id === null ? null : name || id);

/** `today`: the business day the purchase timing's segment is seen from, as in Slack. */
export function leadCells(row: ExportLeadRow, words: ExportWords, today: string): CsvCell[] {
  const close = parseCloseReason(row.closeReason);
  const reason = close.reason ? words.modal.lostReasons[close.reason] : null;
  const lostReason =
    row.stage !== 'lost'
      ? null
      : reason && close.note
        ? words.followUp.reasonWithNote(reason, close.note)
        : (reason ?? close.note);
  const cells: Record<(typeof EXPORT_COLUMNS)['leads'][number], CsvCell> = {
    id: row.id,
    name: row.displayName,
    owner: row.ownerId === null ? words.nobody : staffName(row.ownerId, row.ownerName),
    stage: words.followUp.stages[row.stage],
    timing: row.purchaseTiming,
    segment: words.followUp.segments[timingSegment(storedTiming(row.purchaseTiming), today)],
    amount: row.amountYen,
    createdAt: row.createdAt,
    lastTouchAt: row.lastTouchAt,
    lastInboundAt: row.lastInboundAt,
    closedAt: row.closedAt,
    lostReason,
    handoverDate: row.handoverDate,
    blockedAt: row.status === 'blocked' ? row.blockedAt : null,
    optedOutAt: row.optedOutAt,
    tags: row.tags.length > 0 ? row.tags.join(words.export.tagSeparator) : null,
    erasedAt: row.erasedAt,
  };
  return EXPORT_COLUMNS.leads.map((column) => cells[column]);
}

export function touchCells(row: ExportTouchRow, words: ExportWords): CsvCell[] {
  const cells: Record<(typeof EXPORT_COLUMNS)['touches'][number], CsvCell> = {
    at: row.at,
    leadId: row.leadId,
    lead: row.leadName,
    channel: words.followUp.channels[row.channel],
    direction: words.export.directions[row.direction],
    outcome: words.followUp.outcomes[row.outcome],
    author: staffName(row.authorId, row.authorName),
    note: row.note,
  };
  return EXPORT_COLUMNS.touches.map((column) => cells[column]);
}

export function messageCells(row: ExportMessageRow, words: ExportWords): CsvCell[] {
  const kinds: Record<string, string> = words.export.messageKinds;
  const cells: Record<(typeof EXPORT_COLUMNS)['messages'][number], CsvCell> = {
    createdAt: row.createdAt,
    sentAt: row.sentAt,
    leadId: row.leadId,
    lead: row.leadName,
    direction: words.export.directions[row.direction],
    kind: kinds[row.kind] ?? row.kind,
    text: row.text,
    author: staffName(row.authorId, row.authorName),
    status: words.export.messageStatuses[row.status],
  };
  return EXPORT_COLUMNS.messages.map((column) => cells[column]);
}
