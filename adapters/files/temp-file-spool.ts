import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ExportSpool } from '../../src/ports.ts';

/**
 * Scratch files in `dir` (the OS temp directory by default), written through a stream so that a
 * file of any size passes through a few pages of memory. A write that fails leaves no file behind;
 * a process killed mid-export leaves one, named `tsuikyaku-export-*`, for the OS to clean.
 */
export function tempFileSpool(dir = tmpdir()): ExportSpool {
  return {
    async write(chunks) {
      const path = join(dir, `tsuikyaku-export-${randomUUID()}.tmp`);
      const out = createWriteStream(path, { flags: 'wx', mode: 0o600 });
      try {
        // pipeline waits on 'drain', so a slow disk slows the reads instead of filling memory.
        await pipeline(Readable.from(chunks, { objectMode: false }), out);
      } catch (error) {
        await rm(path, { force: true });
        throw error;
      }
      return { path, bytes: out.bytesWritten, remove: () => rm(path, { force: true }) };
    },
  };
}
