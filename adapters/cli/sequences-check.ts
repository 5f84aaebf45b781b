// `npm run sequences:check [file]`: validates a sequences file (the built-in defaults when no file
// is given), prints every error and lint warning as file:line:column, and exits 1 on errors only.
import { problemLine } from '../../src/domain/sequences/check-sequences-file.ts';
import { readSequencesFile } from '../../src/sequences-file.ts';

const path = process.argv[2];
const { name, readError, check } = await readSequencesFile(path);
if (readError !== null || !check) {
  console.error(`${name}: cannot be read: ${readError}`);
  process.exit(1);
}
for (const error of check.errors) console.error(`${problemLine(name, error)} (error)`);
for (const warning of check.warnings) console.error(`${problemLine(name, warning)} (warning)`);
const count = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const errors = check.errors.length;
const warnings = count(check.warnings.length, 'warning');
if (check.file) {
  const steps = check.file.sequences.reduce((sum, s) => sum + s.steps.length, 0);
  console.log(
    `${name}: ${count(check.file.sequences.length, 'sequence')}, ${count(steps, 'step')}, ${warnings}`,
  );
} else {
  console.log(`${name}: ${count(errors, 'error')}, ${warnings}; not loaded`);
}
process.exit(errors > 0 ? 1 : 0);
