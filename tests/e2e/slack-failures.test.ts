import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { interactionBody, signSlackBody } from '../../adapters/slack/fake/slack-client-requests.ts';
import { ACTION } from '../../adapters/slack/follow-up-ids.ts';
import { SlackIdentity } from '../../adapters/slack/slack-identity.ts';
import { createSlackWebClient } from '../../adapters/slack/slack-notifier.ts';
import { countRows } from '../support/db-peek.ts';
import { eventually } from '../support/eventually.ts';
import { befriend, leadIdOf, repReply } from '../support/scenario.ts';
import { blockAction } from '../support/slack-payloads.ts';
import { ADMIN, SLACK_SECRET, startTestApp, type TestApp } from '../support/test-app.ts';

const REP = 'U0FAILREP01';
const FAILED = 'うまくいきませんでした。もう一度お試しください。';
/** A port nothing listens on: the response_url is unreachable. */
const DEAD_URL = 'http://127.0.0.1:9/response/gone';

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
let app: TestApp;

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  app = await startTestApp();
  await app.slashCommand(ADMIN, `staff add <@${REP}> rep`);
});

afterEach(() => {
  // Every failure below must be handled where it happens: none may reach the process.
  expect(unhandled).toEqual([]);
  app.slack.setDown(false);
});

afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  await app.close();
});

/** Lets any late promise of the request settle before the unhandled-rejection check. */
const settled = () => new Promise((resolve) => setImmediate(resolve));

async function stillServing() {
  const res = await app.slashCommand(REP, 'help');
  expect(res.status).toBe(200);
  expect(res.text).toContain('/tsuikyaku');
}

describe('a failed Slack call inside a listener', () => {
  it('tells the rep to try again when views.open answers expired_trigger_id, and keeps running', async () => {
    const { card } = await befriend(app, 'Ufail0000000000000000000000001');
    const leadId = await leadIdOf(app, 'Ufail0000000000000000000000001');
    app.slack.failNext('views.open', { error: 'expired_trigger_id' });
    const responseUrl = app.slack.responseUrl('expired');
    const res = await app.interact(
      blockAction(REP, card, { type: 'button', action_id: ACTION.call, value: leadId }, responseUrl),
    );
    expect(res.status).toBe(200);
    const told = await app.slack.waitFor(() => app.slack.responses.find((r) => r.id === 'expired'));
    expect(told.body).toMatchObject({ response_type: 'ephemeral', text: FAILED, replace_original: false });
    await settled();
    await stillServing();
  });

  it('answers commands and buttons while the Web API answers 503 or 429, without calling auth.test', async () => {
    const { card } = await befriend(app, 'Ufail0000000000000000000000002');
    const leadId = await leadIdOf(app, 'Ufail0000000000000000000000002');
    const authTests = () => app.slack.calls.filter((c) => c.method === 'auth.test').length;
    const before = authTests();
    for (const failure of [{ status: 503 }, { status: 429 }]) {
      app.slack.setDown(true, failure);
      const help = await app.slashCommand(REP, 'help');
      expect(help.status).toBe(200);
      expect(help.text).toContain('/tsuikyaku');
      const today = await app.slashCommand(REP, 'today');
      expect(today.status).toBe(200);
      expect(today.text).toContain('今日の追客');
      const responseUrl = app.slack.responseUrl(`snooze-${failure.status}`);
      const snooze = await app.interact(
        blockAction(
          REP,
          card,
          { type: 'static_select', action_id: ACTION.snooze, selected_option: { value: `${leadId}|3` } },
          responseUrl,
        ),
      );
      expect(snooze.status).toBe(200);
    }
    // The change is made after the ack, through the database alone.
    await eventually(
      async () =>
        (await countRows(app.service, 'leads', `id = '${leadId}' and snoozed_until is not null`)) === 1,
    );
    app.slack.setDown(false);
    expect(authTests()).toBe(before);
    await settled();
  });

  it('stays up when the response_url is unreachable after the ack', async () => {
    const { card } = await befriend(app, 'Ufail0000000000000000000000003');
    const leadId = await leadIdOf(app, 'Ufail0000000000000000000000003');
    const res = await app.interact(
      blockAction(
        REP,
        card,
        { type: 'static_select', action_id: ACTION.timing, selected_option: { value: `${leadId}|bogus` } },
        DEAD_URL,
      ),
    );
    expect(res.status).toBe(200);
    await app.service.worker.whenIdle();
    await settled();
    await stillServing();
  });

  it('answers a lead search with a NUL in it instead of failing', async () => {
    const res = await app.slashCommand(REP, 'lead a\u0000b');
    expect(res.status).toBe(200);
    expect(res.text).toContain('見つかりません');
    await settled();
    await stillServing();
  });

  it('stores a rep reply and pushes it to LINE while Slack is down', async () => {
    const lineUser = 'Ufail0000000000000000000000004';
    const { card } = await befriend(app, lineUser);
    app.slack.setDown(true, { status: 503 });
    const res = await repReply(app, card, REP, 'Slack停止中の返信');
    expect(res.status).toBe(200);
    await app.line.waitFor(() => app.line.pushes.find((p) => p.to === lineUser));
    app.slack.setDown(false);
    await app.service.worker.whenIdle();
    expect(await countRows(app.service, 'messages', `text = 'Slack停止中の返信'`)).toBe(1);
  });
});

describe('requests Slack would never send', () => {
  const post = (body: string, contentType: string, timestamp: number, signature?: string) =>
    fetch(`${app.url}/slack/events`, {
      method: 'POST',
      headers: {
        'content-type': contentType,
        'x-slack-request-timestamp': String(timestamp),
        'x-slack-signature': signature ?? signSlackBody(body, SLACK_SECRET, timestamp),
      },
      body,
    });
  const now = () => Math.floor(Date.now() / 1000);

  it('refuses a block_actions payload without a user with 400', async () => {
    const payload = blockAction(
      REP,
      { channel: 'D0X', ts: '1.1' },
      { action_id: ACTION.call, value: 'x' },
      DEAD_URL,
    );
    delete (payload as { user?: unknown }).user;
    const res = await post(interactionBody(payload), 'application/x-www-form-urlencoded', now());
    expect(res.status).toBe(400);
    await settled();
  });

  it('refuses an event_callback whose event is null with 400', async () => {
    const body = JSON.stringify({ type: 'event_callback', event_id: 'EvNULL', event: null });
    const res = await post(body, 'application/json', now());
    expect(res.status).toBe(400);
  });

  it.each([
    ['400 s ahead', String(now() + 400)],
    ['a day ahead', String(now() + 86_400)],
    ['1e20', '1e20'],
    ['Infinity', 'Infinity'],
    ['an hour old', String(now() - 3600)],
  ])('refuses a request signed %s with 401, and it changes nothing', async (_label, timestamp) => {
    const body = new URLSearchParams({
      command: '/tsuikyaku',
      text: 'staff add <@U0FUTURE01> rep',
      user_id: ADMIN,
      team_id: 'T0FAKETEAM',
      response_url: DEAD_URL,
    }).toString();
    const signature = `v0=${(await import('node:crypto'))
      .createHmac('sha256', SLACK_SECRET)
      .update(`v0:${timestamp}:${body}`)
      .digest('hex')}`;
    const res = await fetch(`${app.url}/slack/events`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-slack-request-timestamp': timestamp,
        'x-slack-signature': signature,
      },
      body,
    });
    expect(res.status).toBe(401);
    expect(await countRows(app.service, 'staff', `slack_user_id = 'U0FUTURE01'`)).toBe(0);
  });

  it('checks the signature before parsing: a large unsigned body is refused with 401', async () => {
    const res = await post('['.repeat(1_000_000), 'application/json', now(), 'v0=00');
    expect(res.status).toBe(401);
  });
});

describe('the bot identity', () => {
  it('is learnt from one auth.test in the background, retried while Slack is down', async () => {
    app.slack.setDown(true, { status: 503 });
    const identity = new SlackIdentity({
      client: createSlackWebClient('xoxb-test-token', app.slack.url, 2000),
      logger: { info() {}, warn() {}, error() {} },
      configured: {},
    });
    const calls = () => app.slack.calls.filter((c) => c.method === 'auth.test').length;
    const before = calls();
    identity.start();
    await app.slack.waitFor(() => calls() > before);
    expect(identity.known).toBe(false);
    app.slack.setDown(false);
    await app.slack.waitFor(() => identity.known, 10_000);
    expect(identity.current).toEqual({ botUserId: 'U0FAKEBOT', botId: 'B0FAKEBOT' });
    identity.stop();
  });

  it('comes from configuration without any Slack call', () => {
    const identity = new SlackIdentity({
      client: createSlackWebClient('xoxb-test-token', app.slack.url, 2000),
      logger: { info() {}, warn() {}, error() {} },
      configured: { botUserId: 'U0CONFIG01', botId: 'B0CONFIG01' },
    });
    identity.start();
    expect(identity.known).toBe(true);
    identity.stop();
  });
});
