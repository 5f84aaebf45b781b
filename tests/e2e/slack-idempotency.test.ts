import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { followEvent, textMessageEvent } from '../../adapters/line/fake/line-webhook-events.ts';
import { queryRows } from '../support/db-peek.ts';
import { befriend, waitForCard } from '../support/scenario.ts';
import { ADMIN, startTestApp, type TestApp } from '../support/test-app.ts';

const REP = 'U0IDEMP0001';
let app: TestApp;

beforeAll(async () => {
  app = await startTestApp();
  await app.slashCommand(ADMIN, `staff add <@${REP}> rep`);
});

afterAll(async () => {
  await app.close();
});

const user = (n: number) => `Uidemp${String(n).padStart(26, '0')}`;

describe('a Slack post whose answer was lost is not posted again', () => {
  it('relays a lead message once when Slack stored it but the answer never came back', async () => {
    const lead = user(1);
    const { card } = await befriend(app, lead);
    app.slack.failNext('chat.postMessage', 'lose_answer');
    const res = await app.lineWebhook([textMessageEvent(app.line, lead, '答えが届かなかった投稿')]);
    expect(res.status).toBe(200);
    await app.service.worker.whenIdle();
    const copies = app.slack.thread(card.channel, card.ts).filter((m) => m.text === '答えが届かなかった投稿');
    expect(copies).toHaveLength(1);
    const [stored] = await queryRows<{ slack_ts: string }>(
      app.service,
      `select slack_ts from messages where text = '答えが届かなかった投稿'`,
    );
    expect(stored?.slack_ts).toBe(copies[0]?.ts);
    // The retry looked for its tag instead of posting blind.
    expect(app.slack.calls.some((c) => c.method === 'conversations.replies')).toBe(true);
  });

  it('posts a new lead’s card in the rep’s DM once when the first answer was lost', async () => {
    const lead = user(2);
    app.slack.failNext('chat.postMessage', 'lose_answer');
    const res = await app.lineWebhook([followEvent(app.line, lead)]);
    expect(res.status).toBe(200);
    const { card, owner } = await waitForCard(app, lead, 15_000);
    await app.service.worker.whenIdle();
    const [row] = await queryRows<{ id: string }>(
      app.service,
      `select id from leads where line_user_id = '${lead}'`,
    );
    const cards = app.slack.messages.filter(
      (m) => m.threadTs === undefined && JSON.stringify(m.blocks ?? []).includes(String(row?.id)),
    );
    expect(cards).toHaveLength(1);
    expect(cards[0]?.ts).toBe(card.ts);
    expect(owner).toBe(REP);
  });

  it('tags every post with its outbox row in message metadata', async () => {
    const lead = user(3);
    const { card } = await befriend(app, lead);
    await app.lineWebhook([textMessageEvent(app.line, lead, 'タグ付きの投稿')]);
    await app.service.worker.whenIdle();
    const posted = app.slack.calls.find(
      (c) => c.method === 'chat.postMessage' && c.body.text === 'タグ付きの投稿',
    );
    expect(posted?.body.metadata).toMatchObject({
      event_type: 'tsuikyaku_outbox',
      event_payload: { outbox_id: expect.any(Number), role: 'relay:0' },
    });
    expect(app.slack.thread(card.channel, card.ts).filter((m) => m.text === 'タグ付きの投稿')).toHaveLength(
      1,
    );
  });
});

describe('a lead text longer than Slack takes', () => {
  it('is split over several posts in the thread, in order, each posted once', async () => {
    const lead = user(4);
    const { card } = await befriend(app, lead);
    const text = `${'あ'.repeat(4000)}${'い'.repeat(4000)}${'う'.repeat(1000)}`;
    // Forged: LINE itself caps texts at 5,000 characters, but nothing may be lost either way.
    app.slack.failNext('chat.postMessage', { status: 503 }, 'lose_answer');
    await app.lineWebhook([textMessageEvent(app.line, lead, text)]);
    await app.service.worker.whenIdle();
    const parts = app.slack.thread(card.channel, card.ts).filter((m) => /^[あいう]+$/.test(m.text ?? ''));
    expect(parts.map((m) => m.text)).toEqual(['あ'.repeat(4000), 'い'.repeat(4000), 'う'.repeat(1000)]);
    expect(
      await queryRows(app.service, `select 1 from outbox where status = 'failed' and kind = 'slack.relay'`),
    ).toEqual([]);
  });
});
