import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { followEvent, textMessageEvent } from '../../adapters/line/fake/line-webhook-events.ts';
import { countRows, queryRows } from '../support/db-peek.ts';
import { eventually } from '../support/eventually.ts';
import { befriend, repReply } from '../support/scenario.ts';
import { type Scrape, scrape } from '../support/scrape.ts';
import { ADMIN, startTestApp, type TestApp } from '../support/test-app.ts';

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
