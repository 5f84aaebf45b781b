import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { followEvent, textMessageEvent } from '../../adapters/line/fake/line-webhook-events.ts';
import { queryRows } from '../support/db-peek.ts';
import { eventually } from '../support/eventually.ts';
import { ManualClock, tokyo } from '../support/manual-clock.ts';
import { ADMIN, startTestApp, type TestApp } from '../support/test-app.ts';

/*
 * A new friend who writes at once: the greeting step's thread line and the relay of the message
 * both need the lead's thread, which does not exist yet. Slack answers slowly here, so the two
 * jobs overlap; whichever runs first, the lead gets one card, and everything about it lands in
 * that card's thread (a second card would be a thread the rep answers in and nobody reads).
 */

const REP = 'U0ONECARD01';
const LEADS = Array.from({ length: 8 }, (_, i) => ({
  userId: `Uonecard${String(i).padStart(24, '0')}`,
  name: `一枚 ${i + 1}`,
  text: `はじめまして、${i + 1}番目の質問です`,
}));

const clock = new ManualClock(tokyo('2026-11-30 10:00'));
let app: TestApp;

beforeAll(async () => {
  app = await startTestApp({ clock, env: { SEQUENCES_FILE: '' }, slackLatencyMs: 150 });
  app.slack.addUser({ id: REP, name: 'ichimai', displayName: '一枚' });
  await app.slashCommand(ADMIN, `staff add <@${REP}> rep`);
});
afterAll(async () => {
  await app?.close();
});

describe('a new friend who writes straight away', () => {
  it('gets one lead card, and the greeting’s line and the message are both in its thread', async () => {
    for (const lead of LEADS) app.line.setProfile(lead.userId, { displayName: lead.name });
    await app.lineWebhook(
      LEADS.flatMap((lead) => [
        followEvent(app.line, lead.userId, { timestamp: clock.now().getTime() }),
        textMessageEvent(app.line, lead.userId, lead.text, { timestamp: clock.now().getTime() }),
      ]),
    );
    const posts = () => app.slack.messages;
    await eventually(
      async () =>
        LEADS.every(
          (lead) =>
            posts().some((m) => m.text?.includes(lead.text)) &&
            posts().filter((m) => m.text?.includes('ステップ配信: 友だち追加のごあいさつ 1/1')).length >=
              LEADS.length,
        ),
      { what: 'every message relayed and every greeting’s line posted', timeoutMs: 60_000 },
    );
    await app.service.worker.whenIdle(60_000);

    const threads = await queryRows<{ line_user_id: string; channel_id: string; thread_ts: string }>(
      app.service,
      `select l.line_user_id, t.channel_id, t.thread_ts from lead_threads t join leads l on l.id = t.lead_id`,
    );
    // No other top-level post either (a card posted before the profile named the lead, say).
    expect(
      posts()
        .filter((m) => !m.threadTs)
        .map((m) => m.text),
    ).toHaveLength(LEADS.length);
    for (const lead of LEADS) {
      const cards = posts().filter(
        (m) => !m.threadTs && JSON.stringify([m.text, m.blocks]).includes(lead.name),
      );
      expect(cards, `cards of ${lead.name}`).toHaveLength(1);
      const [thread] = threads.filter((t) => t.line_user_id === lead.userId);
      expect(thread).toMatchObject({ channel_id: cards[0]?.channel, thread_ts: cards[0]?.ts });
      const inThread = posts().filter((m) => m.threadTs === thread?.thread_ts);
      expect(inThread.filter((m) => m.text?.includes(lead.text))).toHaveLength(1);
      expect(
        inThread.filter((m) => m.text?.includes('ステップ配信: 友だち追加のごあいさつ 1/1')),
      ).toHaveLength(1);
    }
  }, 120_000);
});
