import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { followEvent, textMessageEvent } from '../../adapters/line/fake/line-webhook-events.ts';
import { countRows } from '../support/db-peek.ts';
import { waitForCard } from '../support/scenario.ts';
import { ADMIN, startTestApp, type TestApp } from '../support/test-app.ts';

const REP = 'U0REPSLACK1';
const LEAD = 'U5lack00000000000000000000000001';
let app: TestApp;
let card: { channel: string; ts: string };

const reply = (text: string, extra: Record<string, unknown> = {}) => ({
  type: 'message',
  channel: card.channel,
  channel_type: 'im',
  user: REP,
  text,
  ts: `${1800000000 + Math.floor(Math.random() * 1e6)}.000100`,
  thread_ts: card.ts,
  ...extra,
});

beforeAll(async () => {
  app = await startTestApp();
  await app.slashCommand(ADMIN, `staff add <@${REP}> rep`);
  await app.lineWebhook([followEvent(app.line, LEAD), textMessageEvent(app.line, LEAD, 'こんにちは')]);
  // The card once its thread is stored too: Slack shows the card a moment before the app has
  // written down which lead the thread belongs to, and a reply in between would find no lead.
  const { card: parent } = await waitForCard(app, LEAD);
  expect(parent.channel).toBe(app.slack.dmChannelOf(REP));
  card = { channel: parent.channel, ts: parent.ts };
});
afterAll(async () => {
  await app?.close();
});

describe('POST /slack/events', () => {
  it('answers url_verification with the challenge', async () => {
    const res = await app.slackRequest(
      JSON.stringify({ type: 'url_verification', challenge: 'abc123', token: 't' }),
      'application/json',
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ challenge: 'abc123' });
  });

  it('rejects a bad signature with 401', async () => {
    const res = await app.slackRequest(
      JSON.stringify({ type: 'url_verification', challenge: 'x' }),
      'application/json',
      {
        signature: 'v0=deadbeef',
      },
    );
    expect(res.status).toBe(401);
  });

  it('rejects a request signed more than 5 minutes ago (replay) with 401', async () => {
    const body = JSON.stringify({ type: 'url_verification', challenge: 'x' });
    const res = await app.slackRequest(body, 'application/json', {
      timestamp: Math.floor(Date.now() / 1000) - 6 * 60,
    });
    expect(res.status).toBe(401);
  });

  it('rejects an unsigned slash command with 401 and changes nothing', async () => {
    const before = await countRows(app.service, 'staff');
    const form = new URLSearchParams({
      command: '/tsuikyaku',
      text: 'staff add U0EVIL0001 manager',
      user_id: ADMIN,
    }).toString();
    const res = await fetch(`${app.url}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form,
    });
    expect(res.status).toBe(401);
    expect(await countRows(app.service, 'staff')).toBe(before);
  });

  it('sends a retried Slack event (same event_id) to LINE only once', async () => {
    const event = reply('再送されても一回だけ');
    const first = await app.slackEvent(event, { eventId: 'EvRETRY0001' });
    const retry = await app.slackEvent(event, {
      eventId: 'EvRETRY0001',
      headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' },
    });
    expect([first.status, retry.status]).toEqual([200, 200]);
    await app.line.waitFor(() =>
      app.line.pushes.find((p) => JSON.stringify(p.messages).includes('再送されても一回だけ')),
    );
    await app.service.worker.whenIdle();
    expect(
      app.line.pushes.filter((p) => JSON.stringify(p.messages).includes('再送されても一回だけ')),
    ).toHaveLength(1);
  });

  it('sends one Slack message (same channel and ts) delivered under 5 event_ids to LINE only once', async () => {
    const event = reply('別のevent_idで届いても一回だけ');
    const statuses = await Promise.all(
      Array.from(
        { length: 5 },
        async (_, i) => (await app.slackEvent(event, { eventId: `EvSAME000${i}` })).status,
      ),
    );
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    await app.service.worker.whenIdle();
    expect(
      app.line.pushes.filter((p) => JSON.stringify(p.messages).includes('別のevent_idで届いても一回だけ')),
    ).toHaveLength(1);
  });

  it('ignores bot messages, edits, deletions and top-level messages, so nothing echoes', async () => {
    await app.service.worker.whenIdle();
    const before = app.line.pushes.length;
    await app.slackEvent(reply('bot says', { bot_id: 'B0FAKEBOT', subtype: 'bot_message' }));
    await app.slackEvent(reply('bot without subtype', { bot_id: 'B0FAKEBOT' }));
    await app.slackEvent(reply('edited', { subtype: 'message_changed' }));
    await app.slackEvent(reply('deleted', { subtype: 'message_deleted' }));
    const topLevel = reply('not in a thread');
    delete (topLevel as Record<string, unknown>).thread_ts;
    await app.slackEvent(topLevel);
    // Events are answered once their listener has run, so anything it queued is in the outbox now.
    await app.service.worker.whenIdle();
    expect(app.line.pushes.length).toBe(before);
  });

  it('ignores a thread reply in a thread that is not a lead thread', async () => {
    await app.service.worker.whenIdle();
    const before = app.line.pushes.length;
    const res = await app.slackEvent(reply('somewhere else', { thread_ts: '1700000000.999999' }));
    expect(res.status).toBe(200);
    await app.service.worker.whenIdle();
    expect(app.line.pushes.length).toBe(before);
  });
});
