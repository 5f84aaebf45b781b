import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../support/db-peek.ts';
import {
  type DueLead,
  dueStepsEnv,
  enrolDue,
  PERSONAL_SEQUENCE,
  PERSONAL_TEXT,
  seedDueLeads,
  stepDeliveries,
  writeDueStepsFile,
} from '../support/due-steps.ts';
import { ManualClock, tokyo } from '../support/manual-clock.ts';
import { ADMIN, startTestApp, type TestApp } from '../support/test-app.ts';

/*
 * A dispatch run's personal steps go 25 pushes to an outbox row. When LINE fails some pushes of a
 * row, the others count as sent at once; a refused push fails its step alone; a push that failed
 * for a while goes again with the row, under its own retry key; every lead gets its step once and
 * its thread one line for it.
 */

const REP = 'U0PUSHROWS1';
const LEADS = 30;
const clock = new ManualClock(tokyo('2026-11-30 10:00'));
let app: TestApp;
let dir: string;
let leads: DueLead[];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tsuikyaku-step-pushes-'));
  app = await startTestApp({ clock, env: dueStepsEnv(await writeDueStepsFile(dir)) });
  app.slack.addUser({ id: REP, name: 'pushrows', displayName: '押田' });
  await app.slashCommand(ADMIN, `staff add <@${REP}> rep`);
  leads = await seedDueLeads(app.service.database.db, {
    count: LEADS,
    prefix: 'e',
    reps: [REP],
    at: clock.now(),
    thread: (lead) => {
      const card = app.slack.userPost({
        channel: app.slack.dmChannelOf(REP),
        user: REP,
        text: `card ${lead.id}`,
      });
      return { channelId: card.channel, threadTs: card.ts };
    },
  });
  await enrolDue(
    app.service.store,
    leads.map((lead) => lead.id),
    PERSONAL_SEQUENCE,
    new Date(clock.now().getTime() - 60_000),
  );
});
afterAll(async () => {
  await app?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('personal steps, 25 pushes to a row', () => {
  it('sends each once although LINE failed some pushes of a row for a while and refused one', async () => {
    // The run's first pushes: one 500 (tried again with its row), one 400 (that step fails).
    app.line.failNext(
      'push',
      { status: 500 },
      { status: 400, body: { message: 'The request body has 1 error(s)' } },
    );
    await app.service.scheduler.runOnce(app.service.jobs.stepDispatch, clock.now());
    await app.service.worker.whenIdle(60_000);

    const rows = await queryRows<{ kind: string; n: number }>(
      app.service,
      `select kind, count(*)::int as n from outbox where kind like 'line.step%' group by kind`,
    );
    expect(rows).toEqual([{ kind: 'line.step_pushes', n: 2 }]);
    const sends = await queryRows<{ status: string; n: number }>(
      app.service,
      'select status, count(*)::int as n from step_sends group by status order by status',
    );
    expect(sends).toEqual([
      { status: 'failed', n: 1 },
      { status: 'sent', n: LEADS - 1 },
    ]);
    const { personal } = stepDeliveries(app.line);
    expect([...personal.values()].every((count) => count === 1)).toBe(true);
    expect(personal.size).toBe(LEADS - 1);
    const [failed] = await queryRows<{ line_user_id: string }>(
      app.service,
      `select l.line_user_id from step_sends s join leads l on l.id = s.lead_id where s.status = 'failed'`,
    );
    expect(personal.has(failed?.line_user_id ?? '')).toBe(false);
    // The texts name each lead (見込み客<i>), so they went by push, one per lead.
    for (const push of app.line.pushes)
      expect(String(push.messages[0]?.text)).toMatch(new RegExp(`^見込み客\\d+様、${PERSONAL_TEXT}$`));

    // One thread line per step sent, in that lead's thread; none for the refused one.
    const threads = await queryRows<{ line_user_id: string; thread_ts: string }>(
      app.service,
      'select l.line_user_id, t.thread_ts from lead_threads t join leads l on l.id = t.lead_id',
    );
    for (const { line_user_id, thread_ts } of threads) {
      const lines = app.slack.messages.filter(
        (m) => m.threadTs === thread_ts && m.text?.includes('ステップ配信: 個別のお知らせ 1/1'),
      );
      expect(lines, line_user_id).toHaveLength(line_user_id === failed?.line_user_id ? 0 : 1);
    }
  }, 90_000);
});
