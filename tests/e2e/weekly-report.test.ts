import { afterAll, describe, expect, it } from 'vitest';
import { startFakeLineApi } from '../../adapters/line/fake/fake-line-api.ts';
import { startFakeSlackApi } from '../../adapters/slack/fake/fake-slack-api.ts';
import { eventually } from '../support/eventually.ts';
import { ManualClock, tokyo } from '../support/manual-clock.ts';
import { Seeder } from '../support/seeder.ts';
import { LINE_TOKEN, SLACK_TOKEN, startTestApp, type TestApp } from '../support/test-app.ts';
import { createTestDatabase, onPostgres } from '../support/test-database.ts';

/*
 * The Monday report: on WEEKLY_REPORT_CRON the last ISO week's team numbers and their charts go to
 * SLACK_REPORT_CHANNEL, once per fire however many replicas fire it, and not on a holiday.
 */

const REPORT_CHANNEL = 'C0REPORT001';
const REP = 'U0WEEKLYR01';
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function start(opts: Parameters<typeof startTestApp>[0] = {}): Promise<TestApp> {
  const app = await startTestApp({
    clock: new ManualClock(tokyo('2026-11-30 09:00')),
    ...opts,
    env: { SLACK_REPORT_CHANNEL: REPORT_CHANNEL, ...opts.env },
  });
  cleanups.push(() => app.close());
  return app;
}

async function seedWeek(app: TestApp): Promise<void> {
  const seed = new Seeder(app.service.store);
  await seed.staff({ slackUserId: REP, role: 'rep', displayName: 'weekly' });
  const lead = await seed.lead({ displayName: '週報', ownerId: REP }, new Date(tokyo('2026-11-24 10:00')));
  await seed.touch(lead, {
    channel: 'line',
    direction: 'inbound',
    outcome: 'replied',
    at: new Date(tokyo('2026-11-24 10:00')),
  });
  await seed.touch(lead, {
    channel: 'phone',
    direction: 'outbound',
    outcome: 'reached',
    authorId: REP,
    at: new Date(tokyo('2026-11-24 10:20')),
  });
}

const reports = (app: TestApp) =>
  app.slack.messages.filter((m) => m.channel === REPORT_CHANNEL && m.text?.startsWith('先週の数字'));
const charts = (app: TestApp) => app.slack.uploads.filter((u) => u.completed?.channel === REPORT_CHANNEL);
const MONDAY = new Date(tokyo('2026-11-30 09:00'));

describe('the weekly report', () => {
  it("posts last week's numbers and both charts in the report channel, once per week", async () => {
    const app = await start();
    await seedWeek(app);
    const job = app.service.jobs.weeklyReport;
    if (!job) throw new Error('the weekly report is scheduled by default');
    expect(job.schedule).toBe('0 9 * * 1');
    expect(await app.service.scheduler.runOnce(job, MONDAY)).toBe(true);
    await eventually(async () => charts(app).length >= 2, { what: 'the report and its two charts' });
    const [report] = reports(app);
    expect(report?.text).toBe('先週の数字（11月23日(月)〜11月29日(日)）');
    const body = JSON.stringify(report?.blocks);
    expect(body).toContain('営業時間内に届いた分: 1件 ・ 中央値 20分');
    expect(body).toContain(`<@${REP}> 担当 1件`);
    // The same fire again, and a catch-up fire later that morning for the same week: nothing more.
    expect(await app.service.scheduler.runOnce(job, MONDAY)).toBe(false);
    expect(await app.service.scheduler.runOnce(job, new Date(tokyo('2026-11-30 09:05')))).toBe(true);
    await app.service.worker.whenIdle();
    expect(reports(app)).toHaveLength(1);
    expect(charts(app)).toHaveLength(2);
  });

  it('is skipped on a holiday, and WEEKLY_REPORT_CRON empty turns it off', async () => {
    const app = await start();
    const job = app.service.jobs.weeklyReport;
    if (!job) throw new Error('the weekly report is scheduled by default');
    // 2026-11-23 is 勤労感謝の日, a Monday.
    expect(await app.service.scheduler.runOnce(job, new Date(tokyo('2026-11-23 09:00')))).toBe(true);
    await app.service.worker.whenIdle();
    expect(reports(app)).toEqual([]);
    const off = await start({ env: { WEEKLY_REPORT_CRON: '' } });
    expect(off.service.jobs.weeklyReport).toBeNull();
  });
});

describe.skipIf(!onPostgres)('the weekly report with two replicas', () => {
  it('goes out once when both fire it at the same moment', async () => {
    const db = await createTestDatabase();
    cleanups.push(db.drop);
    const line = await startFakeLineApi({ channelAccessToken: LINE_TOKEN });
    const slack = await startFakeSlackApi({ botToken: SLACK_TOKEN });
    cleanups.push(async () => {
      await Promise.all([line.close(), slack.close()]);
    });
    const reuse = { databaseUrl: db.url ?? '', line, slack };
    const [a, b] = await Promise.all([start({ reuse }), start({ reuse })]);
    await seedWeek(a);
    const [jobA, jobB] = [a.service.jobs.weeklyReport, b.service.jobs.weeklyReport];
    if (!jobA || !jobB) throw new Error('the weekly report is scheduled by default');
    const ran = await Promise.all([
      a.service.scheduler.runOnce(jobA, MONDAY),
      b.service.scheduler.runOnce(jobB, MONDAY),
    ]);
    expect(ran.filter(Boolean)).toHaveLength(1);
    await eventually(async () => charts(a).length >= 2, { what: 'the report and its two charts' });
    await Promise.all([a.service.worker.whenIdle(), b.service.worker.whenIdle()]);
    expect(reports(a)).toHaveLength(1);
    expect(charts(a)).toHaveLength(2);
  });
});
