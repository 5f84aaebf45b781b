import { commandWords } from '../command-words.ts';

/** What a manager can export. */
export type ExportDataset = 'leads' | 'touches' | 'messages';

/** The words that name each dataset: English, and the Japanese a manager may type. */
export const DATASET_WORDS: Readonly<Record<ExportDataset, readonly string[]>> = {
  leads: ['leads', 'lead', 'リード'],
  touches: ['touches', 'touch', '接触', '接触履歴'],
  messages: ['messages', 'message', 'メッセージ'],
};

export type ExportCommand =
  /** `period`: the period as typed, or null for the default. */
  | { kind: 'export'; dataset: ExportDataset; period: string | null }
  /** No dataset named, or more words than a dataset and a period. */
  | { kind: 'usage' }
  | { kind: 'unknown_dataset'; word: string };

/** `/tsuikyaku export <dataset> [period]`, the text after `export`. */
export function parseExportCommand(args: string): ExportCommand {
  const words = commandWords(args);
  const [first, period, ...rest] = words;
  if (first === undefined || rest.length > 0) return { kind: 'usage' };
  const typed = first.normalize('NFKC').toLowerCase();
  const dataset = (Object.keys(DATASET_WORDS) as ExportDataset[]).find((name) =>
    DATASET_WORDS[name].includes(typed),
  );
  if (!dataset) return { kind: 'unknown_dataset', word: first };
  return { kind: 'export', dataset, period: period ?? null };
}

/** `tsuikyaku-leads-2026-11-23_2026-11-29.csv`; one day: `tsuikyaku-leads-2026-11-25.csv`. */
export function exportFilename(
  dataset: ExportDataset,
  period: { firstDay: string; lastDay: string },
): string {
  const days = period.firstDay === period.lastDay ? period.firstDay : `${period.firstDay}_${period.lastDay}`;
  return `tsuikyaku-${dataset}-${days}.csv`;
}
