import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { textMessageEvent } from '../../adapters/line/fake/line-webhook-events.ts';
import { queryRows } from '../support/db-peek.ts';
import { befriend, repReply } from '../support/scenario.ts';
import { ADMIN, LINE_TOKEN, startTestApp, TEAM_CHANNEL, type TestApp } from '../support/test-app.ts';

const REP = 'U0RELIABLE1';
let app: TestApp;
let seq = 0;
const newLead = () => `U${(++seq).toString(16).padStart(32, 'e')}`;

const outboxRow = async (kind: string) =>
  (
    await queryRows<{
      id: number;
      status: string;
      attempts: number;
      retry_key: string | null;
      last_error: string | null;
    }>(
      app.service,
      `select id, status, attempts, retry_key, last_error from outbox where kind = '${kind}' order by id desc limit 1`,
    )
  )[0];

/** As if an earlier attempt had reached LINE with this retry key and its answer was lost. */
const acceptedEarlier = (to: string, retryKey: string, text: string, line = app.line) =>
  fetch(`${line.url}/v2/bot/message/push`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${LINE_TOKEN}`,
      'content-type': 'application/json',
      'x-line-retry-key': retryKey,
    },
    body: JSON.stringify({ to, messages: [{ type: 'text', text }] }),
  });

const pushAttempts = (line = app.line) => line.calls.filter((c) => c.path === '/v2/bot/message/push');
/** Generous: a loaded machine may answer slowly, and every wait below is for a condition. */
const WAIT_MS = 20_000;

beforeAll(async () => {
  // The default outbound timeout (10 s): here no call is meant to time out, however slow the
  // machine. The one test about timeouts has an app of its own.
  app = await startTestApp();
  app.slack.addUser({ id: REP, name: 'kato', displayName: '加藤' });
  await app.slashCommand(ADMIN, `staff add <@${REP}> rep`);
});
afterAll(async () => {
  await app?.close();
});
beforeEach(() => {
  app.line.reset();
});

describe('LINE failures', () => {
  it('retries a push after a LINE 500 with the same retry key, and LINE accepts it once', async () => {
    const { card } = await befriend(app, newLead());
    app.line.failNext('push', { status: 500, body: { message: 'Internal error' } }, { status: 503 });
    await repReply(app, card, REP, '500のあとでも届く');
    await app.line.waitFor(() => app.line.pushes[0], WAIT_MS);
    await app.slack.waitFor(
      () => app.slack.thread(card.channel, card.ts).find((m) => m.reactions.includes('white_check_mark')),
      WAIT_MS,
    );
    await app.service.worker.whenIdle(WAIT_MS);
    const attempts = pushAttempts();
    expect(attempts.slice(0, 2).map((c) => c.status)).toEqual([500, 503]);
    expect(attempts.length).toBeGreaterThanOrEqual(3);
    expect(new Set(attempts.map((c) => c.headers['x-line-retry-key'])).size).toBe(1);
    expect(app.line.pushes).toHaveLength(1);
  });

  it('treats 409 (retry key already accepted) as delivered and sends nothing twice', async () => {
    const lead = newLead();
    const { card } = await befriend(app, lead);
    await app.service.worker.stop();
    await repReply(app, card, REP, '一度だけ');
    const pending = await outboxRow('line.push');
    expect(pending?.status).toBe('pending');
    // An earlier attempt reached LINE (same retry key) but its answer was lost before we recorded it.
    const first = await acceptedEarlier(lead, pending?.retry_key ?? '', '一度だけ');
    expect(first.status).toBe(200);
    app.service.worker.start();
    await app.line.waitFor(() => app.line.calls.find((c) => c.status === 409), WAIT_MS);
    await app.slack.waitFor(
      () => app.slack.thread(card.channel, card.ts).find((m) => m.reactions.includes('white_check_mark')),
      WAIT_MS,
    );
    await app.service.worker.whenIdle(WAIT_MS);
    expect(app.line.pushes).toHaveLength(1);
    expect((await outboxRow('line.push'))?.status).toBe('done');
  });

  it('gives up on a 400 at once and shows LINE’s error in the thread', async () => {
    const { card } = await befriend(app, newLead());
    app.line.failNext('push', {
      status: 400,
      body: {
        message: 'The request body has 1 error(s)',
        details: [{ message: 'bad', property: 'messages[0].text' }],
      },
    });
    await repReply(app, card, REP, '届かないメッセージ');
    const notice = await app.slack.waitFor(
      () =>
        app.slack.thread(card.channel, card.ts).find((m) => m.text?.includes('LINEへの送信に失敗しました')),
      WAIT_MS,
    );
    expect(notice.text).toContain('LINE API 400');
    expect(notice.text).toContain('messages[0].text');
    await app.service.worker.whenIdle(WAIT_MS);
    expect(pushAttempts()).toHaveLength(1);
    expect(app.line.pushes).toHaveLength(0);
    const [message] = await queryRows<{ status: string; error: string }>(
      app.service,
      `select status, error from messages where text = '届かないメッセージ'`,
    );
    expect(message?.status).toBe('failed');
  });

  it('backs off on a LINE 429 and then delivers', async () => {
    const { card } = await befriend(app, newLead());
    app.line.failNext('push', { status: 429, body: { message: 'Too Many Requests' } });
    await repReply(app, card, REP, '429のあと');
    await app.line.waitFor(() => app.line.pushes[0], WAIT_MS);
    await app.service.worker.whenIdle(WAIT_MS);
    const attempts = pushAttempts();
    expect(attempts[0]?.status).toBe(429);
    expect(attempts.length).toBeGreaterThanOrEqual(2);
    expect(new Set(attempts.map((c) => c.headers['x-line-retry-key'])).size).toBe(1);
    expect(app.line.pushes).toHaveLength(1);
  });
});

describe('LINE timeouts', () => {
  let short: TestApp;
  beforeAll(async () => {
    // Short, so the hung call is given up soon. Any other call may time out too on a slow machine;
    // the assertions hold either way (one retry key, LINE accepts the push once).
    short = await startTestApp({ env: { OUTBOUND_TIMEOUT_MS: '1000' } });
    short.slack.addUser({ id: REP, name: 'kato', displayName: '加藤' });
    await short.slashCommand(ADMIN, `staff add <@${REP}> rep`);
  });
  afterAll(async () => {
    await short?.close();
  });

  it('retries a hung push after the timeout with the same retry key', async () => {
    const { card } = await befriend(short, newLead());
    short.line.failNext('push', 'hang');
    await repReply(short, card, REP, 'タイムアウト後の再送');
    await short.line.waitFor(() => short.line.pushes[0], WAIT_MS);
    await short.service.worker.whenIdle(WAIT_MS);
    const attempts = pushAttempts(short.line);
    expect(attempts[0]?.status).toBe(0);
    expect(attempts.length).toBeGreaterThanOrEqual(2);
    expect(new Set(attempts.map((c) => c.headers['x-line-retry-key'])).size).toBe(1);
    expect(short.line.pushes).toHaveLength(1);
  });
});

describe('Slack failures', () => {
  it('keeps answering LINE during a Slack outage and relays every held message once, in order, when Slack returns', async () => {
    const leads = [newLead(), newLead()];
    const cards = await Promise.all(leads.map((lead) => befriend(app, lead)));
    app.slack.setDown(true);
    for (let i = 1; i <= 5; i++) {
      for (const lead of leads) {
        const res = await app.lineWebhook([
          textMessageEvent(app.line, lead, `停止中 ${lead.slice(-4)} ${i}`),
        ]);
        expect(res.status).toBe(200);
      }
    }
    // The worker has tried (and failed) to post each lead's held messages before Slack comes back.
    const heldPosts = () =>
      app.slack.calls.filter(
        (c) => c.method === 'chat.postMessage' && String(c.body.text).startsWith('停止中'),
      );
    await app.slack.waitFor(
      () => leads.every((lead) => heldPosts().some((c) => String(c.body.text).includes(lead.slice(-4)))),
      WAIT_MS,
    );
    expect(heldPosts().filter((c) => c.status === 200)).toHaveLength(0);
    app.slack.setDown(false);
    for (const [index, lead] of leads.entries()) {
      const card = cards[index]?.card;
      if (!card) throw new Error('card missing');
      const expected = Array.from({ length: 5 }, (_, i) => `停止中 ${lead.slice(-4)} ${i + 1}`);
      const thread = await app.slack.waitFor(() => {
        const texts = app.slack.thread(card.channel, card.ts).map((m) => m.text);
        return texts.filter((t) => t?.startsWith('停止中')).length >= 5 ? texts : undefined;
      }, WAIT_MS);
      expect(thread.filter((t) => t?.startsWith('停止中'))).toEqual(expected);
    }
    // Once, not just at least once: nothing more arrives after the queue drains.
    await app.service.worker.whenIdle(WAIT_MS);
    for (const [index, lead] of leads.entries()) {
      const card = cards[index]?.card;
      if (!card) throw new Error('card missing');
      const texts = app.slack.thread(card.channel, card.ts).map((m) => m.text);
      expect(texts.filter((t) => t?.startsWith('停止中'))).toEqual(
        Array.from({ length: 5 }, (_, i) => `停止中 ${lead.slice(-4)} ${i + 1}`),
      );
    }
  });

  it('honours Slack’s Retry-After on a 429', async () => {
    const lead = newLead();
    const { card } = await befriend(app, lead);
    app.slack.failNext('chat.postMessage', { status: 429, headers: { 'Retry-After': '1' } });
    await app.lineWebhook([textMessageEvent(app.line, lead, 'レート制限のあと')]);
    await app.slack.waitFor(
      () => app.slack.thread(card.channel, card.ts).find((m) => m.text === 'レート制限のあと'),
      WAIT_MS,
    );
    await app.service.worker.whenIdle(WAIT_MS);
    const posts = app.slack.calls.filter(
      (c) => c.method === 'chat.postMessage' && c.body.text === 'レート制限のあと',
    );
    expect(posts[0]?.status).toBe(429);
    expect(posts.length).toBeGreaterThanOrEqual(2);
    expect(app.slack.thread(card.channel, card.ts).filter((m) => m.text === 'レート制限のあと')).toHaveLength(
      1,
    );
    // A lower bound only: the retry may come later on a slow machine, never sooner than Slack asked.
    expect((posts[1]?.at ?? 0) - (posts[0]?.at ?? 0)).toBeGreaterThanOrEqual(950);
  });

  it('does not retry a Slack error that retrying cannot fix, and alerts the team channel', async () => {
    const lead = newLead();
    const { card } = await befriend(app, lead);
    app.slack.failNext('chat.postMessage', { error: 'channel_not_found' });
    await app.lineWebhook([textMessageEvent(app.line, lead, '失敗する投稿')]);
    await app.slack.waitFor(
      () =>
        app.slack.calls.find(
          (c) => c.status === 200 && (c.response as { error?: string }).error === 'channel_not_found',
        ),
      WAIT_MS,
    );
    await app.service.worker.whenIdle(WAIT_MS);
    expect(app.slack.thread(card.channel, card.ts).find((m) => m.text === '失敗する投稿')).toBeUndefined();
    expect(
      app.slack.calls.filter((c) => c.method === 'chat.postMessage' && c.body.text === '失敗する投稿'),
    ).toHaveLength(1);
    const row = await outboxRow('slack.relay');
    expect(row?.status).toBe('failed');
    expect(row?.last_error).toContain('channel_not_found');
    // Staff learn of it in the team channel.
    const alert = await app.slack.waitFor(() =>
      app.slack.messages.find(
        (m) => m.channel === TEAM_CHANNEL && m.text?.includes('Slackに表示できませんでした'),
      ),
    );
    expect(alert.text).toContain('channel_not_found');
  });
});

describe('restarts', () => {
  it('reclaims a delivery a crashed worker left mid-flight, and LINE gets it once', async () => {
    const lead = newLead();
    const { card } = await befriend(app, lead);
    await app.service.worker.stop();
    await repReply(app, card, REP, 'クラッシュ後に再開');
    const row = await outboxRow('line.push');
    // As a worker that claimed the row, pushed to LINE, and died before recording the outcome leaves it.
    await acceptedEarlier(lead, row?.retry_key ?? '', 'クラッシュ後に再開');
    await queryRows(
      app.service,
      `update outbox set status = 'processing', attempts = 1, locked_until = now() - interval '1 second' where id = ${row?.id}`,
    );
    app.service.worker.start();
    await app.slack.waitFor(
      () => app.slack.thread(card.channel, card.ts).find((m) => m.reactions.includes('white_check_mark')),
      WAIT_MS,
    );
    await app.service.worker.whenIdle(WAIT_MS);
    expect(app.line.pushes).toHaveLength(1);
    const settled = await outboxRow('line.push');
    expect(settled?.status).toBe('done');
    expect(settled?.attempts).toBeGreaterThanOrEqual(2);
  });
});
