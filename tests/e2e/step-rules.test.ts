import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { followEvent, postbackEvent } from '../../adapters/line/fake/line-webhook-events.ts';
import { ManualClock, tokyo } from '../support/manual-clock.ts';
import { waitForCard } from '../support/scenario.ts';
import { ADMIN, startTestApp, type TestApp } from '../support/test-app.ts';

/*
 * Quiet hours and the weekly cap, as a lead lives them: steps a minute apart are spread so that
 * none lands in 21:00-09:00 and no rolling 7 days holds more than STEP_WEEKLY_CAP (2). Nothing is
 * dropped: every step goes out, later. Steps for other interests are skipped.
 */

const REP = 'U0RULESREP1';
const LEAD = 'Urules00000000000000000000000001';
const FILE = `
interests: [資金計画, デザイン]
sequences:
  - id: quick
    name: 半年以内の連続配信
    trigger: segment
    segments: [within_6m]
    steps:
      - after: 0m
        messages: [{ type: text, text: "{name}様、1通目です。" }]
      - after: 1m
        messages: [{ type: text, text: "2通目です。" }]
      - after: 1m
        tags: [デザイン]
        messages: [{ type: text, text: "デザインの話です。" }]
      - after: 1m
        messages: [{ type: text, text: "3通目です。" }]
      - after: 1m
        messages: [{ type: text, text: "4通目です。" }]
`;

// Monday 2026-12-07, 20:59 in Tokyo: one minute before the quiet hours.
const clock = new ManualClock(tokyo('2026-12-07 20:59'));
let app: TestApp;
let dir: string;

const sentTexts = () => app.line.pushes.filter((p) => p.to === LEAD).map((p) => String(p.messages[0]?.text));

async function dispatchAt(local: string) {
  clock.set(tokyo(local));
  await app.service.scheduler.runOnce(app.service.jobs.stepDispatch, clock.now());
  await app.service.worker.whenIdle();
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tsuikyaku-rules-'));
  await writeFile(join(dir, 'sequences.yml'), FILE);
  app = await startTestApp({
    clock,
    env: { SEQUENCES_FILE: join(dir, 'sequences.yml'), QUIET_HOURS: '21:00-09:00', STEP_WEEKLY_CAP: '2' },
  });
  app.slack.addUser({ id: REP, name: 'sato', displayName: '佐藤' });
  await app.slashCommand(ADMIN, `staff add <@${REP}> rep`);
  app.line.setProfile(LEAD, { displayName: '鈴木' });
  await app.lineWebhook([followEvent(app.line, LEAD, { timestamp: clock.now().getTime() })]);
  await waitForCard(app, LEAD);
  await app.lineWebhook([
    postbackEvent(app.line, LEAD, 'timing=within_6m', { timestamp: clock.now().getTime() }),
  ]);
  await app.service.worker.whenIdle();
});
afterAll(async () => {
  await app?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('quiet hours and the weekly cap', () => {
  it('20:59: the first step goes at once', async () => {
    await dispatchAt('2026-12-07 20:59');
    expect(sentTexts()).toEqual(['鈴木様、1通目です。']);
  });

  it('21:00 to 08:59 is quiet: the second step waits for 09:00', async () => {
    await dispatchAt('2026-12-07 21:00');
    await dispatchAt('2026-12-08 03:00');
    await dispatchAt('2026-12-08 08:59');
    expect(sentTexts()).toHaveLength(1);
    await dispatchAt('2026-12-08 09:00');
    expect(sentTexts()).toEqual(['鈴木様、1通目です。', '2通目です。']);
  });

  it('two in a week is the cap: the next waits until the first leaves the rolling week; the design step is skipped', async () => {
    await dispatchAt('2026-12-08 09:02');
    await dispatchAt('2026-12-14 20:58');
    expect(sentTexts()).toHaveLength(2);
    await dispatchAt('2026-12-14 20:59');
    expect(sentTexts()).toEqual(['鈴木様、1通目です。', '2通目です。', '3通目です。']);
  });

  it('the last step is a minute later but quiet, then capped until 09:00 the next day: nothing is dropped', async () => {
    await dispatchAt('2026-12-14 21:00');
    await dispatchAt('2026-12-15 08:59');
    expect(sentTexts()).toHaveLength(3);
    await dispatchAt('2026-12-15 09:00');
    expect(sentTexts()).toEqual(['鈴木様、1通目です。', '2通目です。', '3通目です。', '4通目です。']);
    expect(sentTexts()).not.toContain('デザインの話です。');
  });
});
