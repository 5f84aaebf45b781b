import { readFile } from 'node:fs/promises';
import { ConfigError } from './config.ts';
import { checkSequencesFile, problemLine } from './domain/sequences/check-sequences-file.ts';
import type { SequencesFile } from './domain/sequences/sequence.ts';

/** The built-in sequences, shipped as the documented example file. */
export const DEFAULT_SEQUENCES_PATH = new URL('./domain/sequences/default-sequences.yml', import.meta.url);

/** The file SEQUENCES_FILE names, or the defaults, with its check (errors and lint warnings). */
export async function readSequencesFile(path: string | undefined) {
  const name = path ?? 'default-sequences.yml';
  let text: string;
  try {
    text = await readFile(path ?? DEFAULT_SEQUENCES_PATH, 'utf8');
  } catch (error) {
    return { name, readError: (error as Error).message, check: null };
  }
  return { name, readError: null, check: checkSequencesFile(text) };
}

/**
 * Read and validated at start: an error stops the start naming the file's line and column, like
 * SETTINGS_FILE. Lint warnings do not stop it (`npm run sequences:check` prints them).
 */
export async function loadSequences(path: string | undefined): Promise<SequencesFile> {
  const { name, readError, check } = await readSequencesFile(path);
  if (readError !== null || !check)
    throw new ConfigError([`SEQUENCES_FILE cannot be read (${name}): ${readError}`]);
  if (check.file) return check.file;
  throw new ConfigError(check.errors.map((error) => `SEQUENCES_FILE ${problemLine(name, error)}`));
}
