import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type FakeLineApi, startFakeLineApi } from '../../adapters/line/fake/fake-line-api.ts';
import { type FakeSlackApi, startFakeSlackApi } from '../../adapters/slack/fake/fake-slack-api.ts';
import { openDatabase } from '../../db/client.ts';
import { createStore } from '../../db/store.ts';
import { type ChildApp, startChildApp } from '../support/child-app.ts';
import { queryRows } from '../support/db-peek.ts';
import {
  type DueLead,
  dueLeadUserId,
  dueStepsEnv,
  duplicatesAndMisses,
  enrolDue,
  IDENTICAL_SEQUENCE,
  PERSONAL_SEQUENCE,
  seedDueLeads,
  stepDeliveries,
  writeDueStepsFile,
} from '../support/due-steps.ts';
import { eventually } from '../support/eventually.ts';
import { befriend } from '../support/scenario.ts';
import {
  ADMIN,
  businessHoursClock,
  fakeApiEnv,
  LINE_TOKEN,
  SLACK_TOKEN,
  startTestApp,
} from '../support/test-app.ts';
import { createTestDatabase, onPostgres } from '../support/test-database.ts';

/**
 * Due steps in the crash run: 10,000 on PostgreSQL (about 35 s on a 2-core machine). PGlite runs
 * every statement through one WASM connection, a few milliseconds each, and 10,000 steps with
 * their 10,000 thread lines took 75 s there, so it gets a quarter. What is under test, a kill
 * between any two statements of a run of many batches with rows in flight, does not depend on the
 * count. A fifth of the steps are personalised (one push each), the rest identical (multicast).
 */
const CRASH_STEPS = onPostgres ? 10_000 : 2_500;
/** Two dispatchers at once: what matters is the claims of the dispatch, not the volume sent. */
const REPLICA_STEPS = 2_000;
const REPS = Array.from({ length: 20 }, (_, i) => `U0CRASHREP${String(i).padStart(2, '0')}`);
const cleanups: (() => Promise<unknown>)[] = [];

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
});

interface World {
  line: FakeLineApi;
  slack: FakeSlackApi;
  env: Record<string, string>;
  personal: DueLead[];
  identical: DueLead[];
  total: number;
}

/**
 * Fake LINE and Slack in this process, a database the children share (a PGlite directory on disk,
 * or a fresh PostgreSQL database), and `total` leads with cards in the fake Slack, each enrolled
 * in a one-step sequence due now.
 */
async function world(total: number): Promise<World> {
  const line = await startFakeLineApi({ channelAccessToken: LINE_TOKEN });
  const slack = await startFakeSlackApi({ botToken: SLACK_TOKEN });
  cleanups.push(() => Promise.all([line.close(), slack.close()]));
  const dir = await mkdtemp(join(tmpdir(), 'tsuikyaku-step-crash-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const database = await createTestDatabase();
  cleanups.push(() => database.drop());
  const pgliteDir = join(dir, 'db');
  const place: Record<string, string> = database.url
    ? { DATABASE_URL: database.url }
    : { PGLITE_DIR: pgliteDir };

  const seeding = await openDatabase(database.url ? { url: database.url } : { pgliteDir });
  try {
    const store = createStore(seeding.db);
    for (const slackUserId of REPS)
      await store.staff.upsert({ slackUserId, role: 'rep', displayName: slackUserId, at: new Date() });
    const leads = await seedDueLeads(seeding.db, {
      count: total,
      prefix: 'c',
      reps: REPS,
      // The lead's card, so Slack can be asked what a thread holds when a post is retried.
      thread: (lead) => {
        const card = slack.userPost({
          channel: slack.dmChannelOf(lead.ownerId),
          user: lead.ownerId,
          text: 'card',
        });
        return { channelId: card.channel, threadTs: card.ts };
      },
    });
    const due = new Date(Date.now() - 60_000);
    const personal = leads.slice(0, total / 5);
    const identical = leads.slice(total / 5);
    await enrolDue(
      store,
      personal.map((lead) => lead.id),
      PERSONAL_SEQUENCE,
      due,
    );
    await enrolDue(
      store,
      identical.map((lead) => lead.id),
      IDENTICAL_SEQUENCE,
      due,
    );
    const env = {
      ...place,
      ...fakeApiEnv(line, slack),
      OUTBOX_CONCURRENCY: '32',
      OUTBOX_POLL_MS: '50',
      OUTBOX_BACKOFF_BASE_MS: '20',
      OUTBOX_BACKOFF_MAX_MS: '200',
      ...dueStepsEnv(await writeDueStepsFile(dir)),
    };
    return { line, slack, env, personal, identical, total };
  } finally {
    await seeding.close();
  }
}

async function started(env: Record<string, string>): Promise<ChildApp> {
  const app = await startChildApp(env);
  cleanups.push(() => app.kill());
  return app;
}

/** Thread lines posted in the fake Slack so far. */
function threadLines(slack: FakeSlackApi): number {
  return slack.messages.filter((m) => m.threadTs && m.text?.includes('ステップ配信:')).length;
}

/**
 * Every step is sent and nothing is left to deliver (the thread lines included). The fake Slack is
 * watched first, so the database (on PGlite, the app's one connection) is only asked at the end.
 */
async function everythingSent(app: ChildApp, w: World, timeoutMs: number) {
  const total = w.total;
  await eventually(async () => threadLines(w.slack) >= total, {
    what: `${total} thread lines in Slack`,
    timeoutMs,
  });
  let last: unknown;
  try {
    return await eventually(
      async () => {
        const [row] = await app.query<{ sent: number; other: number; busy: number; failed: number }>(`
          select (select count(*)::int from step_sends where status = 'sent') as sent,
                 (select count(*)::int from step_sends where status <> 'sent') as other,
                 (select count(*)::int from outbox where status in ('pending', 'processing')) as busy,
                 (select count(*)::int from outbox where status = 'failed') as failed`);
        last = row;
        return row && row.sent === total && row.busy === 0 && row;
      },
      { what: `all ${total} steps sent and the outbox drained`, timeoutMs },
    );
  } catch (error) {
    throw new Error(`${String(error)}; last seen ${JSON.stringify(last)}`);
  }
}

/** Each recipient got its step exactly once, and each lead's thread shows it exactly once. */
function expectEachStepOnce(w: World) {
  const received = stepDeliveries(w.line);
  expect(
    duplicatesAndMisses(
      received.personal,
      w.personal.map((lead) => lead.lineUserId),
    ),
  ).toEqual({
    duplicates: 0,
    misses: 0,
    strangers: 0,
  });
  expect(
    duplicatesAndMisses(
      received.identical,
      w.identical.map((lead) => lead.lineUserId),
    ),
  ).toEqual({
    duplicates: 0,
    misses: 0,
    strangers: 0,
  });
  const lines = new Map<string, number>();
  for (const message of w.slack.messages) {
    if (!message.threadTs || !message.text?.includes('ステップ配信:')) continue;
    const thread = `${message.channel}/${message.threadTs}`;
    lines.set(thread, (lines.get(thread) ?? 0) + 1);
  }
  expect(lines.size).toBe(w.total);
  expect([...lines.values()].filter((n) => n !== 1)).toEqual([]);
}

describe('step dispatch', () => {
  it(`delivers each of ${CRASH_STEPS} due steps exactly once although the app is killed mid-run and started again`, async () => {
    const w = await world(CRASH_STEPS);
    const crashing = await started(w.env);
    // The every-minute job's fire; killed halfway, it never answers.
    void crashing.runJob('stepDispatch', new Date()).catch(() => {});
    await w.line.waitFor(() => w.line.pushes.length >= w.personal.length / 4, 60_000);
    await crashing.kill();

    const restarted = await started(w.env);
    // The next minute's fire claims what the killed one had not; the worker settles the rest.
    await restarted.runJob('stepDispatch', new Date(Date.now() + 60_000));
    const outcome = await everythingSent(restarted, w, 120_000);
    expect(outcome).toMatchObject({ other: 0, failed: 0 });
    expectEachStepOnce(w);
    await restarted.close();
  }, 240_000);

  // Two replicas need a shared database that takes two processes: PostgreSQL.
  it.skipIf(!onPostgres)(
    'sends each step once when two replicas run the dispatcher at the same moment',
    async () => {
      const w = await world(REPLICA_STEPS);
      const [a, b] = await Promise.all([started(w.env), started(w.env)]);
      // Two schedulers firing the same minute would share one fire (cron_runs); two fires of
      // different minutes overlapping are what claims with SKIP LOCKED must keep apart.
      const now = Date.now();
      const ran = await Promise.all([
        a.runJob('stepDispatch', new Date(now)),
        b.runJob('stepDispatch', new Date(now + 60_000)),
      ]);
      expect(ran).toEqual([true, true]);
      const outcome = await everythingSent(a, w, 120_000);
      expect(outcome).toMatchObject({ other: 0, failed: 0 });
      expectEachStepOnce(w);
      await Promise.all([a.close(), b.close()]);
    },
    240_000,
  );

  it('posts only the thread line for a step an attempt sent before dying unsettled', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tsuikyaku-step-sent-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const clock = businessHoursClock();
    const app = await startTestApp({ env: dueStepsEnv(await writeDueStepsFile(dir)), clock });
    cleanups.push(() => app.close());
    await app.slashCommand(ADMIN, `staff add <@${REPS[0]}> rep`);
    const users = [1, 2, 3].map((n) => dueLeadUserId('5e7', n));
    const cards = [];
    for (const user of users) cards.push((await befriend(app, user, `見込み客${user.slice(-1)}`)).card);
    const ids = await queryRows<{ id: string }>(
      app.service,
      `select id from leads where line_user_id like 'U5e7%' order by line_user_id`,
    );
    const due = new Date(clock.now().getTime() - 60_000);
    await enrolDue(app.service.store, [ids[0]?.id ?? ''], PERSONAL_SEQUENCE, due);
    await enrolDue(app.service.store, [ids[1]?.id ?? '', ids[2]?.id ?? ''], IDENTICAL_SEQUENCE, due);
    // The rows are written with nobody delivering them.
    await app.service.worker.whenIdle();
    await app.service.worker.stop();
    await app.service.scheduler.runOnce(app.service.jobs.stepDispatch, new Date());
    // What an attempt leaves when it dies after LINE took the steps and they were marked sent,
    // before the outbox rows were settled: the rows are delivered again.
    await queryRows(app.service, `update step_sends set status = 'sent', sent_at = now()`);
    app.line.reset();
    app.service.worker.start();
    await app.service.worker.whenIdle(30_000);

    expect(app.line.pushes.filter((p) => p.to.startsWith('U5e7'))).toEqual([]);
    expect(app.line.multicasts).toEqual([]);
    for (const [i, card] of cards.entries()) {
      const lines = app.slack.thread(card.channel, card.ts).filter((m) => m.text?.includes('ステップ配信:'));
      expect(lines.map((m) => m.text)).toEqual([
        `:outbox_tray: ステップ配信: ${i === 0 ? '個別' : '一斉'}のお知らせ 1/1`,
      ]);
    }
  });
});
