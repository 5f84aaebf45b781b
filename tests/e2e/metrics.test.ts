import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeLineApi } from '../../adapters/line/fake/fake-line-api.ts';
import { followEvent, textMessageEvent } from '../../adapters/line/fake/line-webhook-events.ts';
import { startFakeSlackApi } from '../../adapters/slack/fake/fake-slack-api.ts';
import { countRows, queryRows } from '../support/db-peek.ts';
import { eventually } from '../support/eventually.ts';
import { befriend, repReply } from '../support/scenario.ts';
import { type Scrape, scrape } from '../support/scrape.ts';
import { ADMIN, LINE_TOKEN, SLACK_TOKEN, startTestApp, type TestApp } from '../support/test-app.ts';
import { createTestDatabase, onPostgres } from '../support/test-database.ts';

const REP = 'U0METRICS01';
const TOKEN = 'metrics-token-0123456789abcdef';
const WAIT_MS = 20_000;

let app: TestApp;
let seq = 0;
const newLead = () => `U${(++seq).toString(16).padStart(32, 'd')}`;
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  app = await startTestApp();
  app.slack.addUser({ id: REP, name: 'ito', displayName: '伊藤' });
  await app.slashCommand(ADMIN, `staff add <@${REP}> rep`);
});
afterAll(async () => {
  await app?.close();
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
});

/** A counter or histogram value that is absent before its first increment reads as 0. */
const count = (s: Scrape, name: string, labels: Record<string, string> = {}) => s.value(name, labels) ?? 0;

describe('GET /metrics', () => {
  it('answers in the Prometheus text format with the process metrics and every documented metric', async () => {
    const s = await scrape(app.url);
    expect(s.status).toBe(200);
    expect(s.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(s.value('process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(s.value('nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
    for (const name of [
      'tsuikyaku_line_webhook_events_total',
      'tsuikyaku_slack_requests_total',
      'tsuikyaku_outbox_pending',
      'tsuikyaku_outbox_oldest_pending_seconds',
      'tsuikyaku_outbox_deliveries_total',
      'tsuikyaku_relay_seconds',
      'tsuikyaku_job_runs_total',
      'tsuikyaku_job_last_success_timestamp_seconds',
      'tsuikyaku_leads_awaiting_reply',
    ]) {
      expect(s.text).toContain(`# HELP ${name} `);
    }
    expect(s.value('tsuikyaku_database_up')).toBe(1);
  });

  it('is open when METRICS_TOKEN is unset', async () => {
    expect((await scrape(app.url, 'anything-at-all-here')).status).toBe(200);
  });

  it('with METRICS_TOKEN set, refuses a scrape without the bearer token or with a wrong one', async () => {
    const guarded = await startTestApp({ env: { METRICS_TOKEN: TOKEN } });
    cleanups.push(() => guarded.close());
    const missing = await scrape(guarded.url);
    expect(missing.status).toBe(401);
    expect(missing.text).not.toContain('tsuikyaku_');
    expect((await scrape(guarded.url, 'wrong-token-0123456789abcdef00')).status).toBe(401);
    expect((await scrape(guarded.url, `${TOKEN}x`)).status).toBe(401);
    const basic = await fetch(`${guarded.url}/metrics`, {
      headers: { authorization: `Basic ${Buffer.from(`user:${TOKEN}`).toString('base64')}` },
    });
    expect(basic.status).toBe(401);
    const ok = await scrape(guarded.url, TOKEN);
    expect(ok.status).toBe(200);
    expect(ok.value('tsuikyaku_outbox_pending')).toBe(0);
  });
});

describe('counters', () => {
  it('count a relayed lead message: the webhook event, the Slack delivery and its relay latency', async () => {
    const lead = newLead();
    const { card } = await befriend(app, lead);
    await app.service.worker.whenIdle(WAIT_MS);
    const before = await scrape(app.url);

    const message = textMessageEvent(app.line, lead, 'メトリクスの確認です');
    expect((await app.lineWebhook([message])).status).toBe(200);
    await app.slack.waitFor(
      () => app.slack.thread(card.channel, card.ts).find((m) => m.text === 'メトリクスの確認です'),
      WAIT_MS,
    );
    await app.service.worker.whenIdle(WAIT_MS);
    // LINE redelivers the same event: stored once, counted as a duplicate.
    expect((await app.lineWebhook([message])).status).toBe(200);
    expect((await app.lineWebhook([message], { signature: 'bm90IGEgc2lnbmF0dXJl' })).status).toBe(401);
    const after = await scrape(app.url);

    const delta = (name: string, labels: Record<string, string> = {}) =>
      count(after, name, labels) - count(before, name, labels);
    const events = 'tsuikyaku_line_webhook_events_total';
    expect(delta(events, { type: 'message', result: 'stored' })).toBe(1);
    expect(delta(events, { type: 'message', result: 'duplicate' })).toBe(1);
    expect(delta(events, { type: 'unknown', result: 'rejected' })).toBe(1);
    expect(delta('tsuikyaku_outbox_deliveries_total', { kind: 'slack.relay', result: 'sent' })).toBe(1);
    expect(delta('tsuikyaku_relay_seconds_count')).toBe(1);
    expect(delta('tsuikyaku_relay_seconds_sum')).toBeGreaterThanOrEqual(0);
    expect(delta('tsuikyaku_relay_seconds_bucket', { le: '+Inf' })).toBe(1);
  });

  it('count each webhook event by its LINE type, and malformed events as dead-lettered', async () => {
    const before = await scrape(app.url);
    const lead = newLead();
    const res = await app.lineWebhook([
      followEvent(app.line, lead),
      { type: 'message', mode: 'active', timestamp: Date.now() },
    ]);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ stored: 1, deadLettered: 1 });
    const after = await scrape(app.url);
    const events = 'tsuikyaku_line_webhook_events_total';
    expect(count(after, events, { type: 'follow', result: 'stored' })).toBe(
      count(before, events, { type: 'follow', result: 'stored' }) + 1,
    );
    expect(count(after, events, { type: 'message', result: 'dead_lettered' })).toBe(
      count(before, events, { type: 'message', result: 'dead_lettered' }) + 1,
    );
  });

  it('count Slack requests by kind and outcome', async () => {
    const before = await scrape(app.url);
    const lead = newLead();
    const { card } = await befriend(app, lead);
    expect((await app.slashCommand(REP, 'help')).status).toBe(200);
    expect((await repReply(app, card, REP, 'お問い合わせありがとうございます')).status).toBe(200);
    expect(
      (await app.slackRequest('{}', 'application/json', { signature: 'v0=0000000000000000' })).status,
    ).toBe(401);
    expect((await app.slackRequest('{"type":"nothing"}', 'application/json')).status).toBe(400);
    const delta = (after: Scrape, labels: Record<string, string>) =>
      count(after, 'tsuikyaku_slack_requests_total', labels) -
      count(before, 'tsuikyaku_slack_requests_total', labels);
    // A command is answered when its listener acks, and counted when the listener has finished.
    const after = await eventually(
      async () => {
        const s = await scrape(app.url);
        return delta(s, { kind: 'command', result: 'ok' }) === 1 && s;
      },
      { what: 'the command counted' },
    );
    expect(delta(after, { kind: 'event/message', result: 'ok' })).toBe(1);
    expect(delta(after, { kind: 'unknown', result: 'bad_signature' })).toBe(1);
    expect(delta(after, { kind: 'unknown', result: 'bad_request' })).toBe(1);
  });

  it('count a Slack post that failed as retried, and one that cannot succeed as given up', async () => {
    const lead = newLead();
    await befriend(app, lead);
    await app.service.worker.whenIdle(WAIT_MS);
    const before = await scrape(app.url);
    app.slack.failNext('chat.postMessage', { status: 503 });
    await app.lineWebhook([textMessageEvent(app.line, lead, '一度は失敗する')]);
    await app.service.worker.whenIdle(WAIT_MS);
    app.slack.failNext('chat.postMessage', { error: 'channel_not_found' });
    await app.lineWebhook([textMessageEvent(app.line, lead, '届かない投稿')]);
    await app.service.worker.whenIdle(WAIT_MS);
    const after = await scrape(app.url);
    const delta = (result: string) =>
      count(after, 'tsuikyaku_outbox_deliveries_total', { kind: 'slack.relay', result }) -
      count(before, 'tsuikyaku_outbox_deliveries_total', { kind: 'slack.relay', result });
    expect(delta('retried')).toBe(1);
    expect(delta('sent')).toBe(1);
    expect(delta('given_up')).toBe(1);
  });

  it('count a job run, a fire another replica already ran, and record the last success', async () => {
    const { scheduler, jobs } = app.service;
    const fireAt = new Date('2026-11-25T01:05:00Z');
    const before = await scrape(app.url);
    expect(await scheduler.runOnce(jobs.speedToLead, fireAt)).toBe(true);
    expect(await scheduler.runOnce(jobs.speedToLead, fireAt)).toBe(false);
    const after = await scrape(app.url);
    const delta = (result: string) =>
      count(after, 'tsuikyaku_job_runs_total', { job: 'speed-to-lead', result }) -
      count(before, 'tsuikyaku_job_runs_total', { job: 'speed-to-lead', result });
    expect(delta('success')).toBe(1);
    expect(delta('skipped')).toBe(1);
    expect(delta('error')).toBe(0);
    const [run] = await queryRows<{ finished_at: string | Date }>(
      app.service,
      `select finished_at from cron_runs where key = 'speed-to-lead:${fireAt.toISOString()}'`,
    );
    const lastSuccess = after.value('tsuikyaku_job_last_success_timestamp_seconds', { job: 'speed-to-lead' });
    // Set when the run finished, on the service's clock: at or just after the recorded finish.
    expect(lastSuccess).toBeGreaterThanOrEqual(new Date(run?.finished_at ?? 0).getTime() / 1000);
    expect(after.value('tsuikyaku_job_last_success_timestamp_seconds', { job: 'morning-digest' })).toBe(
      undefined,
    );
  });
});

describe('gauges read from the database', () => {
  let idle: TestApp;
  beforeAll(async () => {
    idle = await startTestApp({ withWorker: false });
    cleanups.push(() => idle.close());
  });

  it('still answer the scrape when the database read fails: NaN, and tsuikyaku_database_up 0', async () => {
    await queryRows(idle.service, 'alter table outbox rename to outbox_moved');
    try {
      const s = await scrape(idle.url);
      expect(s.status).toBe(200);
      expect(s.value('tsuikyaku_database_up')).toBe(0);
      expect(s.value('tsuikyaku_outbox_pending')).toBeNaN();
      expect(s.value('tsuikyaku_outbox_oldest_pending_seconds')).toBeNaN();
      expect(s.value('tsuikyaku_leads_awaiting_reply')).toBeNaN();
      expect(s.value('process_cpu_user_seconds_total')).toBeGreaterThan(0);
    } finally {
      await queryRows(idle.service, 'alter table outbox_moved rename to outbox');
    }
    expect((await scrape(idle.url)).value('tsuikyaku_database_up')).toBe(1);
  });

  it('show the outbox backlog and its age on the database clock, and 0 once it is drained', async () => {
    const lead = newLead();
    await idle.lineWebhook([followEvent(idle.line, lead), textMessageEvent(idle.line, lead, '待っています')]);
    const undelivered = await countRows(idle.service, 'outbox', `status in ('pending', 'processing')`);
    expect(undelivered).toBeGreaterThan(0);
    const waiting = await scrape(idle.url);
    expect(waiting.value('tsuikyaku_outbox_pending')).toBe(undelivered);
    expect(waiting.value('tsuikyaku_outbox_oldest_pending_seconds')).toBeGreaterThanOrEqual(0);

    // The service's clock is days away from the database's: only the database's counts here.
    await queryRows(
      idle.service,
      `update outbox set created_at = now() - interval '1 hour' where id = (select min(id) from outbox)`,
    );
    const oldest = (await scrape(idle.url)).value('tsuikyaku_outbox_oldest_pending_seconds') ?? 0;
    expect(oldest).toBeGreaterThanOrEqual(3600);
    expect(oldest).toBeLessThan(7200);

    idle.service.worker.start();
    await idle.service.worker.whenIdle(WAIT_MS);
    const drained = await scrape(idle.url);
    expect(drained.value('tsuikyaku_outbox_pending')).toBe(0);
    expect(drained.value('tsuikyaku_outbox_oldest_pending_seconds')).toBe(0);
  });

  it('count the leads whose message waits for an answer, as the database does', async () => {
    const awaiting = () => countRows(app.service, 'leads', 'awaiting_reply_since is not null');
    const lead = newLead();
    const { card } = await befriend(app, lead);
    await app.lineWebhook([textMessageEvent(app.line, lead, '返事をお待ちしています')]);
    expect(await awaiting()).toBeGreaterThan(0);
    const waiting = await scrape(app.url);
    expect(waiting.value('tsuikyaku_leads_awaiting_reply')).toBe(await awaiting());

    await repReply(app, card, REP, 'お返事します');
    await app.service.worker.whenIdle(WAIT_MS);
    const answered = await scrape(app.url);
    expect(answered.value('tsuikyaku_leads_awaiting_reply')).toBe(await awaiting());
    expect(answered.value('tsuikyaku_leads_awaiting_reply')).toBe(
      (waiting.value('tsuikyaku_leads_awaiting_reply') ?? 0) - 1,
    );
  });
});

describe.skipIf(!onPostgres)('two replicas on one PostgreSQL database', () => {
  it('report the same database gauges, and each its own counters', async () => {
    const db = await createTestDatabase();
    cleanups.push(db.drop);
    const line = await startFakeLineApi({ channelAccessToken: LINE_TOKEN });
    const slack = await startFakeSlackApi({ botToken: SLACK_TOKEN });
    cleanups.push(async () => {
      await Promise.all([line.close(), slack.close()]);
    });
    const reuse = { databaseUrl: db.url ?? '', line, slack };
    const a = await startTestApp({ reuse, withWorker: false });
    cleanups.push(() => a.close());
    const b = await startTestApp({ reuse, withWorker: false });
    cleanups.push(() => b.close());
    const leads = [newLead(), newLead()];
    await a.lineWebhook([followEvent(line, leads[0] as string)]);
    await b.lineWebhook([
      followEvent(line, leads[1] as string),
      textMessageEvent(line, leads[1] as string, 'もう一台へ'),
    ]);
    const [sa, sb] = [await scrape(a.url), await scrape(b.url)];
    const undelivered = await countRows(a.service, 'outbox', `status in ('pending', 'processing')`);
    expect(undelivered).toBeGreaterThan(0);
    for (const s of [sa, sb]) {
      expect(s.value('tsuikyaku_outbox_pending')).toBe(undelivered);
      expect(s.value('tsuikyaku_leads_awaiting_reply')).toBe(
        await countRows(a.service, 'leads', 'awaiting_reply_since is not null'),
      );
    }
    const stored = (s: Scrape, type: string) =>
      count(s, 'tsuikyaku_line_webhook_events_total', { type, result: 'stored' });
    expect([stored(sa, 'follow'), stored(sa, 'message')]).toEqual([1, 0]);
    expect([stored(sb, 'follow'), stored(sb, 'message')]).toEqual([1, 1]);
  });
});
