import { zonedParts } from '../business-calendar.ts';

/** A cell of an export: text, a number, an instant, yes/no, or empty. */
export type CsvCell = string | number | boolean | Date | null;

/**
 * What Excel on Japanese Windows needs to open a UTF-8 file as UTF-8 rather than Shift_JIS: the
 * byte order mark, first.
 */
export const UTF8_BOM = '\uFEFF';

/**
 * A text cell that a spreadsheet would run as a formula: one starting with =, +, - or @, or with a
 * tab or carriage return that some programs skip before looking (OWASP, "CSV Injection").
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/** A cell that must be quoted under RFC 4180: it holds a comma, a double quote or a line break. */
const NEEDS_QUOTES = /[",\r\n]/;

/**
 * One cell as CSV text. Text that a spreadsheet would take for a formula (a lead named
 * `=HYPERLINK(…)`, `+81…`, `-` or `@sato`) is kept as text with a leading apostrophe, which
 * spreadsheets show as text and do not evaluate; numbers are written as numbers (a negative
 * amount stays a number). Instants are ISO 8601 in `timeZone`, with its offset.
 */
export function csvCell(cell: CsvCell, timeZone: string): string {
  if (cell === null) return '';
  if (typeof cell === 'number') return Number.isFinite(cell) ? String(cell) : '';
  if (typeof cell === 'boolean') return cell ? 'true' : 'false';
  if (cell instanceof Date) return zonedIso(cell, timeZone);
  const text = FORMULA_START.test(cell) ? `'${cell}` : cell;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * A whole file: the byte order mark, the header row, then one row per record, each line ended by
 * CRLF (RFC 4180). Every row must have as many cells as the header.
 */
export function csvDocument(
  header: readonly string[],
  rows: Iterable<readonly CsvCell[]>,
  timeZone: string,
): string {
  const lines = [header.map((name) => csvCell(name, timeZone)).join(',')];
  for (const row of rows) {
    if (row.length !== header.length)
      throw new RangeError(`a CSV row has ${row.length} cells where the header has ${header.length}`);
    lines.push(row.map((cell) => csvCell(cell, timeZone)).join(','));
  }
  return `${UTF8_BOM}${lines.join('\r\n')}\r\n`;
}

/** One record as a line of CSV, CRLF included: for a file written a page at a time (csvDocument's rows). */
export function csvLine(cells: readonly CsvCell[], timeZone: string): string {
  return `${cells.map((cell) => csvCell(cell, timeZone)).join(',')}\r\n`;
}

/** `2026-12-01T09:05:00+09:00`: the instant's wall-clock time in `timeZone`, with the offset. */
export function zonedIso(instant: Date, timeZone: string): string {
  const p = zonedParts(instant, timeZone);
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  const offsetMinutes = Math.round((wall - Math.floor(instant.getTime() / 1000) * 1000) / 60_000);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const two = (n: number) => String(n).padStart(2, '0');
  return (
    `${String(p.year).padStart(4, '0')}-${two(p.month)}-${two(p.day)}T${two(p.hour)}:${two(p.minute)}:${two(p.second)}` +
    `${sign}${two(Math.floor(abs / 60))}:${two(abs % 60)}`
  );
}
