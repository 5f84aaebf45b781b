import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  followEvent,
  postbackEvent,
  textMessageEvent,
} from '../../adapters/line/fake/line-webhook-events.ts';
import { ManualClock, tokyo } from '../support/manual-clock.ts';
import { waitForCard } from '../support/scenario.ts';
import { ADMIN, startTestApp, type TestApp } from '../support/test-app.ts';

/*
 * 「ご検討時期は？」 again, at most once: when a lead's purchase timing has passed with no news for
 * 30 days, the daily purchase-timing job asks by push; a lead who wrote meanwhile is not asked.
 */

const REP = 'U0ASKREP001';
const QUIET = 'Uask00000000000000000000000000001';
const TALKING = 'Uask00000000000000000000000000002';

// Monday 2026-11-30, 10:00 in Tokyo.
const clock = new ManualClock(tokyo('2026-11-30 10:00'));
let app: TestApp;

const questionsTo = (user: string) =>
  app.line.pushes.filter((p) => p.to === user && String(p.messages[0]?.text).includes('ご検討時期は？'));

async function runPurchaseTiming(local: string) {
  clock.set(tokyo(local));
  await app.service.scheduler.runOnce(app.service.jobs.purchaseTiming, clock.now());
  await app.service.worker.whenIdle();
}

beforeAll(async () => {
  app = await startTestApp({ clock, env: { SEQUENCES_FILE: '' } });
  app.slack.addUser({ id: REP, name: 'sato', displayName: '佐藤' });
  await app.slashCommand(ADMIN, `staff add <@${REP}> rep`);
  for (const user of [QUIET, TALKING]) {
    await app.lineWebhook([followEvent(app.line, user, { timestamp: clock.now().getTime() })]);
    await waitForCard(app, user);
    // 1ヶ月以内 on 11/30 is December 2026: the timing has passed from 2026-12-01.
    await app.lineWebhook([
      postbackEvent(app.line, user, 'timing=within_1m', { timestamp: clock.now().getTime() }),
    ]);
  }
  await app.service.worker.whenIdle();
});
afterAll(async () => {
  await app?.close();
});

describe('asking the purchase timing again', () => {
  it('is not asked before 30 days of silence past the timing', async () => {
    await runPurchaseTiming('2026-12-30 08:30');
    expect(questionsTo(QUIET)).toHaveLength(0);
  });

  it('is asked once, with the six answers, after 30 days; a lead who wrote in those days is not asked', async () => {
    clock.set(tokyo('2026-12-20 12:00'));
    await app.lineWebhook([
      textMessageEvent(app.line, TALKING, '年明けに相談します', { timestamp: clock.now().getTime() }),
    ]);
    await app.service.worker.whenIdle();
    await runPurchaseTiming('2026-12-31 08:30');
    const [question] = questionsTo(QUIET);
    const items = (question?.messages[0]?.quickReply as { items: unknown[] } | undefined)?.items ?? [];
    expect(items).toHaveLength(6);
    expect(questionsTo(TALKING)).toHaveLength(0);
    await runPurchaseTiming('2027-01-01 08:30');
    await runPurchaseTiming('2027-02-15 08:30');
    expect(questionsTo(QUIET)).toHaveLength(1);
  });
});
