import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { textMessageEvent } from '../../adapters/line/fake/line-webhook-events.ts';
import { queryRows, sleep } from '../support/db-peek.ts';
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
const acceptedEarlier = (to: string, retryKey: string, text: string) =>
  fetch(`${app.line.url}/v2/bot/message/push`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${LINE_TOKEN}`,
      'content-type': 'application/json',
      'x-line-retry-key': retryKey,
    },
    body: JSON.stringify({ to, messages: [{ type: 'text', text }] }),
  });

beforeAll(async () => {
  app = await startTestApp({ env: { OUTBOUND_TIMEOUT_MS: '300' } });
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
    await app.line.waitFor(() => app.line.pushes[0]);
    const attempts = app.line.calls.filter((c) => c.path === '/v2/bot/message/push');
    expect(attempts.map((c) => c.status)).toEqual([500, 503, 200]);
    expect(new Set(attempts.map((c) => c.headers['x-line-retry-key'])).size).toBe(1);
    expect(app.line.pushes).toHaveLength(1);
    await app.slack.waitFor(() =>
      app.slack.thread(card.channel, card.ts).find((m) => m.reactions.includes('white_check_mark')),
    );
  });

  it('retries a hung push after the timeout with the same retry key', async () => {
    const { card } = await befriend(app, newLead());
    app.line.failNext('push', 'hang');
    await repReply(app, card, REP, 'タイムアウト後の再送');
    await app.line.waitFor(() => app.line.pushes[0]);
    const attempts = app.line.calls.filter((c) => c.path === '/v2/bot/message/push');
    expect(attempts).toHaveLength(2);
    expect(attempts[0]?.headers['x-line-retry-key']).toBe(attempts[1]?.headers['x-line-retry-key']);
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
    await app.line.waitFor(() => app.line.calls.find((c) => c.status === 409));
    await app.slack.waitFor(() =>
      app.slack.thread(card.channel, card.ts).find((m) => m.reactions.includes('white_check_mark')),
    );
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
    const notice = await app.slack.waitFor(() =>
      app.slack.thread(card.channel, card.ts).find((m) => m.text?.includes('LINEへの送信に失敗しました')),
    );
    expect(notice.text).toContain('LINE API 400');
    expect(notice.text).toContain('messages[0].text');
    expect(app.line.calls.filter((c) => c.path === '/v2/bot/message/push')).toHaveLength(1);
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
    await app.line.waitFor(() => app.line.pushes[0]);
    expect(app.line.calls.filter((c) => c.path === '/v2/bot/message/push').map((c) => c.status)).toEqual([
      429, 200,
    ]);
  });
});

describe('Slack failures', () => {
  it('keeps answering LINE during a Slack outage and relays every held message once, in order, when Slack returns', async () => {
    const leads = [newLead(), newLead()];
    const cards = await Promise.all(leads.map((lead) => befriend(app, lead)));
    app.slack.setDown(true);
    for (let i = 1; i <= 5; i++) {
      for (const lead of leads) {
        const res = await app.lineWebhook([textMessageEvent(lead, `停止中 ${lead.slice(-4)} ${i}`)]);
        expect(res.status).toBe(200);
      }
    }
    await sleep(400);
    expect(
      app.slack.calls.filter(
        (c) =>
          c.method === 'chat.postMessage' && c.status === 200 && String(c.body.text).startsWith('停止中'),
      ),
    ).toHaveLength(0);
    app.slack.setDown(false);
    for (const [index, lead] of leads.entries()) {
      const card = cards[index]?.card;
      if (!card) throw new Error('card missing');
      const expected = Array.from({ length: 5 }, (_, i) => `停止中 ${lead.slice(-4)} ${i + 1}`);
      const thread = await app.slack.waitFor(() => {
        const texts = app.slack.thread(card.channel, card.ts).map((m) => m.text);
        return texts.filter((t) => t?.startsWith('停止中')).length >= 5 ? texts : undefined;
      }, 10_000);
      expect(thread.filter((t) => t?.startsWith('停止中'))).toEqual(expected);
    }
  });

  it('honours Slack’s Retry-After on a 429', async () => {
    const lead = newLead();
    const { card } = await befriend(app, lead);
    app.slack.failNext('chat.postMessage', { status: 429, headers: { 'Retry-After': '1' } });
    await app.lineWebhook([textMessageEvent(lead, 'レート制限のあと')]);
    await app.slack.waitFor(() =>
      app.slack.thread(card.channel, card.ts).find((m) => m.text === 'レート制限のあと'),
    );
    const posts = app.slack.calls.filter(
      (c) => c.method === 'chat.postMessage' && c.body.text === 'レート制限のあと',
    );
    expect(posts.map((c) => c.status)).toEqual([429, 200]);
    // A lower bound only: the retry may come later on a slow machine, never sooner than Slack asked.
    expect((posts[1]?.at ?? 0) - (posts[0]?.at ?? 0)).toBeGreaterThanOrEqual(950);
  });

  it('does not retry a Slack error that retrying cannot fix, and alerts the team channel', async () => {
    const lead = newLead();
    const { card } = await befriend(app, lead);
    app.slack.failNext('chat.postMessage', { error: 'channel_not_found' });
    await app.lineWebhook([textMessageEvent(lead, '失敗する投稿')]);
    await app.slack.waitFor(() =>
      app.slack.calls.find(
        (c) => c.status === 200 && (c.response as { error?: string }).error === 'channel_not_found',
      ),
    );
    await sleep(300);
    expect(app.slack.thread(card.channel, card.ts).find((m) => m.text === '失敗する投稿')).toBeUndefined();
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
    await app.slack.waitFor(() =>
      app.slack.thread(card.channel, card.ts).find((m) => m.reactions.includes('white_check_mark')),
    );
    expect(app.line.pushes).toHaveLength(1);
    expect((await outboxRow('line.push'))?.attempts).toBe(2);
  });
});
