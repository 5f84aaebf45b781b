import { afterAll, describe, expect, it } from 'vitest';
import { startFakeLineApi } from '../../adapters/line/fake/fake-line-api.ts';
import { textMessageEvent } from '../../adapters/line/fake/line-webhook-events.ts';
import { startFakeSlackApi } from '../../adapters/slack/fake/fake-slack-api.ts';
import { befriend } from '../support/scenario.ts';
import { ADMIN, LINE_TOKEN, SLACK_TOKEN, startTestApp, type TestApp } from '../support/test-app.ts';
import { createTestDatabase, onPostgres } from '../support/test-database.ts';

const REP = 'U0CRASHREP1';
const LEADS = 20;
const PER_LEAD = 10;
const IN_FLIGHT = 16;
const cleanups: (() => Promise<void>)[] = [];

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
});

/**
 * A replica dies with Slack posts in flight: Slack stored them, the answers never came back, and
 * the replica no longer renews its leases. Another replica takes the rows over once their leases
 * run out and must find those posts by their metadata tags instead of posting them again.
 * Two replicas need a shared database, so this runs on PostgreSQL only.
 */
describe.skipIf(!onPostgres)('a replica that crashes with Slack posts in flight', () => {
  it('relays all 200 queued messages in order, none twice, on the replica that takes over', async () => {
    const db = await createTestDatabase();
    cleanups.push(db.drop);
    const line = await startFakeLineApi({ channelAccessToken: LINE_TOKEN });
    const slack = await startFakeSlackApi({ botToken: SLACK_TOKEN });
    // Closing the fake Slack first ends the hung calls, so the crashed replica can be closed.
    cleanups.push(async () => {
      await Promise.all([line.close(), slack.close()]);
    });
    const reuse = { databaseUrl: db.url ?? '', line, slack };
    const env = { OUTBOX_CONCURRENCY: String(IN_FLIGHT) };
    const crashed: TestApp = await startTestApp({ reuse, env });
    cleanups.push(() => crashed.close());
    await crashed.slashCommand(ADMIN, `staff add <@${REP}> rep`);
    const users = Array.from({ length: LEADS }, (_, i) => `Ucrash${String(i).padStart(26, '0')}`);
    const cards = new Map<string, { channel: string; ts: string }>();
    for (const user of users) cards.set(user, (await befriend(crashed, user)).card);
    await crashed.service.worker.whenIdle();

    slack.failNext(
      'chat.postMessage',
      ...Array.from({ length: IN_FLIGHT }, () => 'apply_then_hang' as const),
    );
    const hung = () => slack.calls.filter((c) => c.method === 'chat.postMessage' && c.status === 0).length;
    for (let n = 0; n < PER_LEAD; n++) {
      const events = users.map((user) => textMessageEvent(line, user, `${user.slice(-4)} のメッセージ ${n}`));
      expect((await crashed.lineWebhook(events)).status).toBe(200);
    }
    await slack.waitFor(() => hung() >= IN_FLIGHT, 15_000);
    // The crash: no more claims, no more lease renewals; the hung calls never settle.
    void crashed.service.worker.stop();

    const successor = await startTestApp({ reuse, env });
    cleanups.push(() => successor.close());
    await successor.service.worker.whenIdle(90_000);

    for (const user of users) {
      const card = cards.get(user) as { channel: string; ts: string };
      const texts = slack
        .thread(card.channel, card.ts)
        .map((m) => m.text ?? '')
        .filter((text) => text.includes('のメッセージ'));
      expect(texts).toEqual(
        Array.from({ length: PER_LEAD }, (_, n) => `${user.slice(-4)} のメッセージ ${n}`),
      );
    }
    // The successor looked for the crashed replica's posts rather than posting blind.
    expect(slack.calls.filter((c) => c.method === 'conversations.replies').length).toBeGreaterThanOrEqual(
      IN_FLIGHT,
    );
  }, 120_000);
});
