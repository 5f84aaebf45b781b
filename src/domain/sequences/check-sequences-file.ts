import { lintSequences } from './lint-sequences.ts';
import { byPlace, type FileProblem, parseSequencesFile } from './parse-sequences-file.ts';
import type { SequencesFile } from './sequence.ts';

export interface SequencesCheck {
  /** The sequences when there is no error (warnings do not stop a file). */
  file: SequencesFile | null;
  errors: FileProblem[];
  warnings: FileProblem[];
}

/** Validation errors and lint warnings of a sequences file's text, each with its line and column. */
export function checkSequencesFile(text: string): SequencesCheck {
  const parsed = parseSequencesFile(text);
  if (!parsed.ok) return { file: null, errors: parsed.errors, warnings: [] };
  const warnings = lintSequences(parsed.file).map((w) => ({ ...parsed.locate(w.path), message: w.message }));
  return { file: parsed.file, errors: [], warnings: byPlace(warnings) };
}

/** `file:line:column: message`, as compilers print it, so that editors can jump to the place. */
export function problemLine(fileName: string, problem: FileProblem): string {
  return `${fileName}:${problem.line}:${problem.column}: ${problem.message}`;
}
