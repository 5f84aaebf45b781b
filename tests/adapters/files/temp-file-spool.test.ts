import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempFileSpool } from '../../../adapters/files/temp-file-spool.ts';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'spool-test-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function* chunks(...texts: string[]): AsyncGenerator<string> {
  for (const text of texts) yield text;
}

describe('tempFileSpool', () => {
  it('writes the chunks as UTF-8, knows the byte length, and removes the file', async () => {
    const file = await tempFileSpool(dir).write(chunks('\uFEFF名前\r\n', '山田,1\r\n'));
    const bytes = await readFile(file.path);
    expect(bytes.toString('utf8')).toBe('\uFEFF名前\r\n山田,1\r\n');
    expect(file.bytes).toBe(bytes.length);
    await file.remove();
    expect(await readdir(dir)).toEqual([]);
  });

  it('leaves no file behind when the rows cannot be read', async () => {
    async function* failing(): AsyncGenerator<string> {
      yield 'header\r\n';
      throw new Error('connection lost');
    }
    await expect(tempFileSpool(dir).write(failing())).rejects.toThrow('connection lost');
    expect(await readdir(dir)).toEqual([]);
  });
});
