import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startFakeLineApi } from '../../adapters/line/fake/fake-line-api.ts';
import { followEvent, textMessageEvent } from '../../adapters/line/fake/line-webhook-events.ts';
import { startFakeSlackApi } from '../../adapters/slack/fake/fake-slack-api.ts';
import { countRows, queryRows } from '../support/db-peek.ts';
import { befriend, waitForCard } from '../support/scenario.ts';
import { ADMIN, LINE_TOKEN, SLACK_TOKEN, startTestApp, type TestApp } from '../support/test-app.ts';
import { createTestDatabase, onPostgres } from '../support/test-database.ts';

const REP = 'U0DURABLE01';
const opened: TestApp[] = [];
const cleanups: (() => Promise<void>)[] = [];

async function start(opts: Parameters<typeof startTestApp>[0] = {}) {
  const app = await startTestApp(opts);
  opened.push(app);
  return app;
}

afterAll(async () => {
  for (const app of opened) await app.close().catch(() => {});
  for (const cleanup of cleanups) await cleanup();
});

/** Makes one table unreachable for a while, as a database hiccup would, then restores it. */
async function breakTable(app: TestApp, table: string) {
  await queryRows(app.service, `alter table ${table} rename to ${table}_away`);
  return () => queryRows(app.service, `alter table ${table}_away rename to ${table}`);
}

describe('database hiccups', () => {
  it('answers LINE with a 5xx when the event cannot be stored, so LINE redelivers and nothing is lost', async () => {
    const app = await start();
    await app.slashCommand(ADMIN, `staff add <@${REP}> rep`);
    const lead = 'Uhiccup000000000000000000000001';
    const { card } = await befriend(app, lead);
    const message = textMessageEvent(app.line, lead, 'DB障害中に送信');
    const restore = await breakTable(app, 'line_webhook_events');
    const failed = await app.lineWebhook([message]);
    expect(failed.status).toBe(500);
    expect(await failed.json()).toEqual({ error: 'internal', message: 'internal error' });
    await restore();
    const redelivered = await app.lineWebhook([{ ...message, deliveryContext: { isRedelivery: true } }]);
    expect(redelivered.status).toBe(200);
    await app.slack.waitFor(() =>
      app.slack.thread(card.channel, card.ts).find((m) => m.text === 'DB障害中に送信'),
    );
    expect(await countRows(app.service, 'messages', `text = 'DB障害中に送信'`)).toBe(1);
  });

  it('answers Slack with a 500 when a rep reply cannot be stored, so Slack retries it and LINE gets it once', async () => {
    const app = await start();
    await app.slashCommand(ADMIN, `staff add <@${REP}> rep`);
    const { card } = await befriend(app, 'Uhiccup000000000000000000000002');
    const restore = await breakTable(app, 'slack_events');
    const posted = app.slack.userPost({
      channel: card.channel,
      user: REP,
      text: '保存できるまで再送',
      threadTs: card.ts,
    });
    const event = {
      type: 'message',
      channel: card.channel,
      channel_type: 'im',
      user: REP,
      text: posted.text,
      ts: posted.ts,
      thread_ts: card.ts,
    };
    const failed = await app.slackEvent(event, { eventId: 'EvHICCUP0001' });
    expect(failed.status).toBe(500);
    await restore();
    const retried = await app.slackEvent(event, {
      eventId: 'EvHICCUP0001',
      headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_error' },
    });
    expect(retried.status).toBe(200);
    await app.line.waitFor(() => app.line.pushes[0]);
    await app.service.worker.whenIdle();
    expect(app.line.pushes).toHaveLength(1);
  });
});

describe('restarts', () => {
  it('delivers what was queued before a restart, once', async () => {
    let env: Record<string, string> = {};
    let reuse: { databaseUrl?: string } | undefined;
    if (onPostgres) {
      const db = await createTestDatabase();
      cleanups.push(db.drop);
      reuse = db.url ? { databaseUrl: db.url } : undefined;
    } else {
      const dir = await mkdtemp(join(tmpdir(), 'tsuikyaku-restart-'));
      cleanups.push(() => rm(dir, { recursive: true, force: true }));
      env = { PGLITE_DIR: join(dir, 'db') };
    }
    const first = await start({ env, ...(reuse ? { reuse } : {}), withWorker: false });
    await first.slashCommand(ADMIN, `staff add <@${REP}> rep`);
    const lead = 'Urestart00000000000000000000001';
    expect(
      (
        await first.lineWebhook([
          followEvent(first.line, lead),
          textMessageEvent(first.line, lead, '再起動の前に届いた'),
        ])
      ).status,
    ).toBe(200);
    await first.close();

    const second = await start({ env, ...(reuse ? { reuse } : {}) });
    const text = await second.slack.waitFor(() =>
      second.slack.messages.find((m) => m.text === '再起動の前に届いた'),
    );
    expect(text.threadTs).toBeDefined();
    await second.service.worker.whenIdle();
    expect(second.slack.messages.filter((m) => m.text === '再起動の前に届いた')).toHaveLength(1);
  });
});

/** Two replicas of the service on one fresh PostgreSQL database, sharing one fake LINE and Slack. */
async function twoReplicas() {
  const db = await createTestDatabase();
  cleanups.push(db.drop);
  const line = await startFakeLineApi({ channelAccessToken: LINE_TOKEN });
  const slack = await startFakeSlackApi({ botToken: SLACK_TOKEN });
  cleanups.push(async () => {
    await Promise.all([line.close(), slack.close()]);
  });
  const reuse = { databaseUrl: db.url ?? '', line, slack };
  const [a, b] = await Promise.all([start({ reuse }), start({ reuse })]);
  return { a, b, slack };
}

describe.skipIf(!onPostgres)('several replicas on one PostgreSQL database', () => {
  it('boot together and share the outbox: every message is relayed exactly once, in order per lead', async () => {
    // Both boot (and migrate) at the same moment: the advisory lock lets both come up.
    const { a, b, slack } = await twoReplicas();
    await a.slashCommand(ADMIN, `staff add <@${REP}> rep`);
    const leads = Array.from({ length: 6 }, (_, i) => `Ureplica${String(i).padStart(24, '0')}`);
    for (const lead of leads) await a.lineWebhook([followEvent(a.line, lead)]);
    for (let i = 1; i <= 5; i++) {
      const round = leads.map((lead, n) =>
        ((i + n) % 2 === 0 ? a : b).lineWebhook([textMessageEvent(a.line, lead, `${lead.slice(-2)}-${i}`)]),
      );
      expect((await Promise.all(round)).map((r) => r.status)).toEqual(leads.map(() => 200));
    }
    for (const lead of leads) {
      const { card } = await waitForCard(a, lead);
      const texts = await slack.waitFor(() => {
        const thread = slack
          .thread(card.channel, card.ts)
          .slice(1)
          .map((m) => m.text);
        return thread.length >= 5 ? thread : undefined;
      }, 10_000);
      expect(texts).toEqual([1, 2, 3, 4, 5].map((i) => `${lead.slice(-2)}-${i}`));
    }
    // Idle is read from the shared table, so either replica's rows still in flight hold it off.
    await Promise.all([a.service.worker.whenIdle(), b.service.worker.whenIdle()]);
    expect(slack.messages.filter((m) => m.text?.match(/^\d\d-\d$/))).toHaveLength(30);
  });

  it('run the morning digest job at the same moment and send one digest per rep', async () => {
    const { a, b, slack } = await twoReplicas();
    const reps = ['U0DIGESTA01', 'U0DIGESTB02', 'U0DIGESTC03'];
    for (const rep of reps) await a.slashCommand(ADMIN, `staff add <@${rep}> rep`);
    for (let i = 0; i < 6; i++)
      await a.lineWebhook([followEvent(a.line, `Udigest${String(i).padStart(25, '0')}`)]);
    // Wednesday 2026-11-25 09:00 in Tokyo, fired by both replicas' schedulers at once.
    const fireAt = new Date('2026-11-25T00:00:00Z');
    const ran = await Promise.all([
      a.service.scheduler.runOnce(a.service.jobs.morningDigest, fireAt),
      b.service.scheduler.runOnce(b.service.jobs.morningDigest, fireAt),
    ]);
    expect(ran.filter(Boolean)).toHaveLength(1);
    const digests = (rep: string) =>
      slack.messages.filter(
        (m) => m.channel === slack.dmChannelOf(rep) && m.text?.startsWith('今日の追客 11月25日(水)'),
      );
    await slack.waitFor(() => reps.every((rep) => digests(rep).length === 1));
    await Promise.all([a.service.worker.whenIdle(), b.service.worker.whenIdle()]);
    expect(reps.map((rep) => digests(rep).length)).toEqual([1, 1, 1]);
  });
});
