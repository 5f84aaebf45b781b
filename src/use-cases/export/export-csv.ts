import { localDate } from '../../domain/business-calendar.ts';
import { type CsvCell, csvLine, UTF8_BOM } from '../../domain/export/csv.ts';
import type { ExportDataset } from '../../domain/export/export-command.ts';
import type { ExportRange, Repos } from '../../ports.ts';
import { type ExportWords, exportHeader, leadCells, messageCells, touchCells } from './export-columns.ts';

/** Rows read per query: a page of touches with notes is a few MB at most. */
export const EXPORT_PAGE_SIZE = 5_000;

export interface ExportCsvInput {
  dataset: ExportDataset;
  range: ExportRange;
  timezone: string;
  now: Date;
  pageSize?: number;
}

/**
 * The file as text chunks, one per page read: the byte order mark and the header row first
 * (so an empty period still gives a file Excel opens), then the rows. `counted` learns how many
 * data rows there were once the chunks are consumed.
 */
export async function* exportCsv(
  deps: { store: Pick<Repos, 'exports'>; words: ExportWords },
  input: ExportCsvInput,
  counted: (rows: number) => void,
): AsyncGenerator<string> {
  const { dataset, range, timezone } = input;
  const pageSize = input.pageSize ?? EXPORT_PAGE_SIZE;
  yield `${UTF8_BOM}${csvLine(exportHeader(dataset, deps.words), timezone)}`;
  let rows = 0;
  const emit = (cells: CsvCell[][]) => {
    rows += cells.length;
    return cells.map((row) => csvLine(row, timezone)).join('');
  };
  const exports = deps.store.exports;
  if (dataset === 'leads') {
    const today = localDate(input.now, timezone);
    for await (const page of exports.leads(range, pageSize))
      yield emit(page.map((row) => leadCells(row, deps.words, today)));
  } else if (dataset === 'touches') {
    for await (const page of exports.touches(range, pageSize))
      yield emit(page.map((row) => touchCells(row, deps.words)));
  } else {
    for await (const page of exports.messages(range, pageSize))
      yield emit(page.map((row) => messageCells(row, deps.words)));
  }
  counted(rows);
}
