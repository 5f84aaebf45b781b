import { readFile } from 'node:fs/promises';
import { ConfigError } from './config.ts';
import type { FollowUpSettings } from './domain/follow-up/follow-up-settings.ts';
import { parseFollowUpSettings } from './domain/follow-up/follow-up-settings.ts';

/**
 * The follow-up tables (priority matrix, amount bands, cadences, after-sales calendar): the
 * documented defaults, overridden by the JSON file SETTINGS_FILE names. Every problem in the file
 * is reported at once, like the environment.
 */
export async function loadFollowUpSettings(path: string | undefined): Promise<FollowUpSettings> {
  if (!path) return expectOk(parseFollowUpSettings(undefined), 'defaults');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ConfigError([`SETTINGS_FILE cannot be read (${path}): ${(error as Error).message}`]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError([`SETTINGS_FILE is not valid JSON (${path}): ${(error as Error).message}`]);
  }
  return expectOk(parseFollowUpSettings(json), path);
}

function expectOk(result: ReturnType<typeof parseFollowUpSettings>, source: string): FollowUpSettings {
  if (result.ok) return result.settings;
  throw new ConfigError(result.problems.map((problem) => `SETTINGS_FILE (${source}): ${problem}`));
}
