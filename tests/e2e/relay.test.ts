import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { followEvent, textMessageEvent } from '../../adapters/line/fake/line-webhook-events.ts';
import { ADMIN, startTestApp, type TestApp } from '../support/test-app.ts';

const REP_A = 'U0REPAAAA1';
const REP_B = 'U0REPBBBB2';

let app: TestApp;

beforeAll(async () => {
  app = await startTestApp();
  app.slack.addUser({ id: REP_A, name: 'sato', realName: '佐藤 花子', displayName: '佐藤' });
  app.slack.addUser({ id: REP_B, name: 'suzuki', realName: '鈴木 一郎', displayName: '鈴木' });
  expect((await app.slashCommand(ADMIN, `staff add <@${REP_A}|sato> rep`)).status).toBe(200);
  expect((await app.slashCommand(ADMIN, `staff add <@${REP_B}> rep`)).status).toBe(200);
});

afterAll(async () => {
  await app?.close();
});

describe('live relay', () => {
  it('relays a new friend and their message to the owner DM thread, and the reply back to LINE', async () => {
    app.line.setProfile('Ulead0000000000000000000000000001', {
      displayName: '山田 太郎',
      pictureUrl: 'https://example.com/p.png',
    });
    const follow = await app.lineWebhook([followEvent('Ulead0000000000000000000000000001')]);
    expect(follow.status).toBe(200);
    const card = await app.slack.waitFor(() =>
      app.slack.messages.find((m) => m.channel === app.slack.dmChannelOf(REP_A) && !m.threadTs),
    );
    expect(JSON.stringify(card.blocks)).toContain('山田 太郎');

    await app.lineWebhook([
      textMessageEvent('Ulead0000000000000000000000000001', '見学したいです <!channel>'),
    ]);
    const relayed = await app.slack.waitFor(() => app.slack.thread(card.channel, card.ts)[1]);
    expect(relayed.text).toBe('見学したいです &lt;!channel&gt;');

    const res = await app.slackEvent({
      type: 'message',
      channel: card.channel,
      channel_type: 'im',
      user: REP_A,
      text: 'ありがとうございます &amp; よろしくお願いします',
      ts: '1800000000.000200',
      thread_ts: card.ts,
    });
    expect(res.status).toBe(200);
    const push = await app.line.waitFor(() => app.line.pushes[0]);
    expect(push.to).toBe('Ulead0000000000000000000000000001');
    expect(push.messages).toEqual([
      { type: 'text', text: 'ありがとうございます & よろしくお願いします', sender: { name: '佐藤' } },
    ]);
    expect(push.retryKey).toMatch(/^[0-9a-f-]{36}$/);
    await app.slack.waitFor(() => app.slack.calls.find((c) => c.method === 'reactions.add'));
  });
});
