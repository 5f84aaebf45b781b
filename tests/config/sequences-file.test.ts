import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from '../../src/config.ts';
import { createService } from '../../src/service.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tsuikyaku-sequences-start-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const env = {
  LINE_CHANNEL_SECRET: 'line-secret',
  LINE_CHANNEL_ACCESS_TOKEN: 'line-token',
  SLACK_BOT_TOKEN: 'xoxb-test',
  SLACK_SIGNING_SECRET: 'slack-signing-secret',
  SLACK_TEAM_CHANNEL: 'C0123ABCD',
  SLACK_BOT_USER_ID: 'U0BOT0001',
  SLACK_BOT_ID: 'B0BOT0001',
  LOG_LEVEL: 'silent',
};

describe('SEQUENCES_FILE at start', () => {
  it('stops the start naming the file, line and column of the problem', async () => {
    const path = join(dir, 'broken.yml');
    await writeFile(
      path,
      'sequences:\n  - id: welcome\n    name: ようこそ\n    trigger: follow\n    steps:\n      - after: soon\n        messages: [{ type: text, text: "{name}様" }]\n',
    );
    const start = createService(readConfig({ ...env, SEQUENCES_FILE: path }), { memoryDatabase: true });
    await expect(start).rejects.toThrow(ConfigError);
    await expect(start).rejects.toThrow(
      `SEQUENCES_FILE ${path}:6:16: sequences[0].steps[0].after: must be a delay such as 0m, 30m, 6h or 3d`,
    );
  });

  it('stops the start when the file cannot be read', async () => {
    const path = join(dir, 'missing.yml');
    await expect(
      createService(readConfig({ ...env, SEQUENCES_FILE: path }), { memoryDatabase: true }),
    ).rejects.toThrow(`SEQUENCES_FILE cannot be read (${path})`);
  });

  it('keeps the sequences of a valid file, warnings and all, on the service; the defaults when unset', async () => {
    const path = join(dir, 'ok.json');
    await writeFile(
      path,
      JSON.stringify({
        interests: [],
        sequences: [
          {
            id: 'only',
            name: '唯一',
            trigger: 'manual',
            steps: [{ after: '1d', messages: [{ type: 'text', text: '今だけ' }] }],
          },
        ],
      }),
    );
    const service = await createService(readConfig({ ...env, SEQUENCES_FILE: path }), {
      memoryDatabase: true,
    });
    try {
      expect(service.sequences.sequences.map((s) => s.id)).toEqual(['only']);
      expect(service.sequences.interests).toEqual([]);
    } finally {
      await service.close();
    }
    const defaults = await createService(readConfig(env), { memoryDatabase: true });
    try {
      expect(defaults.sequences.sequences.map((s) => s.id)).toContain('welcome');
    } finally {
      await defaults.close();
    }
  });
});
