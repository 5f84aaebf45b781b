import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..', '..');
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tsuikyaku-sequences-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** `npm run sequences:check` as a manager runs it: the script, in a child process. */
function check(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      'npm',
      ['run', '--silent', 'sequences:check', '--', ...args],
      { cwd: root },
      (error, stdout, stderr) => {
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

async function fileWith(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

const sequence = (text: string, after = '1d') =>
  `sequences:\n  - id: a\n    name: n\n    trigger: manual\n    steps:\n      - after: ${after}\n        messages:\n          - type: text\n            text: "${text}"\n`;

describe('npm run sequences:check', () => {
  it('checks the built-in defaults when no file is given: clean, exit 0', async () => {
    const result = await check();
    expect(result).toEqual({
      code: 0,
      stdout: 'default-sequences.yml: 6 sequences, 24 steps, 0 warnings\n',
      stderr: '',
    });
  });

  it('prints errors with line and column and exits 1', async () => {
    const path = await fileWith('broken.yml', sequence('{nickname}様', '2w'));
    const result = await check(path);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `${path}:6:16: sequences[0].steps[0].after: must be a delay such as 0m, 30m, 6h or 3d (error)\n` +
        `${path}:9:19: sequences[0].steps[0].messages[0].text: unknown variable {nickname}: use {name}, {owner} or {company} (error)\n`,
    );
    expect(result.stdout).toBe(`${path}: 2 errors, 0 warnings; not loaded\n`);
  });

  it('prints lint warnings and exits 0 when there are only warnings', async () => {
    const path = await fileWith('pushy.json', JSON.stringify({ sequences: [] }, null, 2));
    expect(await check(path)).toEqual({
      code: 0,
      stdout: `${path}: 0 sequences, 0 steps, 0 warnings\n`,
      stderr: '',
    });
    const pushy = await fileWith('pushy.yml', sequence('本日限りのご案内です'));
    const result = await check(pushy);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(
      `${pushy}:9:19: 「本日限り」 presses the lead; write information instead (no deadlines, scarcity or asking for the contract) (warning)\n`,
    );
    expect(result.stdout).toBe(`${pushy}: 1 sequence, 1 step, 1 warning\n`);
  });

  it('exits 1 when the file cannot be read', async () => {
    const result = await check(join(dir, 'missing.yml'));
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/missing\.yml: cannot be read: ENOENT/);
  });
});
