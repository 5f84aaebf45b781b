import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { followEvent, textMessageEvent } from '../../adapters/line/fake/line-webhook-events.ts';
import type { FakeSlackMessage } from '../../adapters/slack/fake/fake-slack-api.ts';
import { queryRows } from '../support/db-peek.ts';
import { leadIdOf, repReply, waitForCard } from '../support/scenario.ts';
import { ADMIN, businessHoursClock, startTestApp, TEAM_CHANNEL, type TestApp } from '../support/test-app.ts';

// Issue 9: the JSON logs never hold a lead's message text, display name, LINE user ID, picture
// URL or phone number at `info` (nor at any level); a lead is named by its internal id.
const REP = 'U0PRIVACY01';
const LEAD = 'U5e1ec7ed0a11ce0b0b5ca1ab1e5ec7e7';
const NAME = '秘匿 ひな子 Hinako';
const PICTURE = 'https://profile.line-scdn.net/0hPrivacyTestPicture7f3a';
const PHONE = '090-1234-5678';
const FIRST = `資料の件、折り返しは ${PHONE} までお願いします`;
const DURING_OUTAGE = '駐車場はありますか（DB障害中の送信）';
const SLACK_REFUSED = '土曜日の内覧は可能でしょうか';
const REPLY = 'ひな子様、ご連絡ありがとうございます。担当の山本です。';
const UNDELIVERABLE = '明日10時はいかがでしょうか';
const PERSONAL = [
  LEAD,
  NAME,
  PICTURE,
  PHONE,
  PHONE.replaceAll('-', ''),
  FIRST,
  DURING_OUTAGE,
  SLACK_REFUSED,
  REPLY,
  UNDELIVERABLE,
];

/** Each string as it could appear in a JSON line: as is, JSON-escaped (also \u-escaped), URL-encoded. */
const spellings = (s: string) => [
  s,
  JSON.stringify(s).slice(1, -1),
  s.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
  encodeURIComponent(s),
  encodeURIComponent(s).replaceAll('%20', '+'),
];

/** pino's numbers: `info` is the default and the contract; `trace` lets every line through. */
const LEVELS = { info: 30, trace: 10 } as const;

describe.each(['info', 'trace'] as const)('the logs at LOG_LEVEL=%s', (level) => {
  const lines: string[] = [];
  const clock = businessHoursClock();
  let app: TestApp;
  let card: FakeSlackMessage;
  const thread = () => app.slack.thread(card.channel, card.ts);
  const logged = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);

  beforeAll(async () => {
    app = await startTestApp({
      env: { LOG_LEVEL: level },
      clock,
      logDestination: { write: (line: string) => void lines.push(line) },
    });
    app.slack.addUser({ id: REP, name: 'yamamoto', displayName: '山本' });
    await app.slashCommand(ADMIN, `staff add <@${REP}> rep`);
    app.line.setProfile(LEAD, { displayName: NAME, pictureUrl: PICTURE });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('relay a lead both ways: the card names the lead, the logs do not', async () => {
    await app.lineWebhook([followEvent(app.line, LEAD), textMessageEvent(app.line, LEAD, FIRST)]);
    ({ card } = await waitForCard(app, LEAD));
    await app.slack.waitFor(() => thread().find((m) => m.text === FIRST));
    await app.slack.waitFor(() => JSON.stringify(app.slack.messages).includes(NAME));

    await repReply(app, card, REP, REPLY);
    await app.line.waitFor(() => app.line.pushes.find((p) => JSON.stringify(p.messages).includes(REPLY)));
  });

  it('fail to store a message (drizzle’s "Failed query" carries it as a parameter), then take it again', async () => {
    const message = textMessageEvent(app.line, LEAD, DURING_OUTAGE);
    await queryRows(app.service, 'alter table line_webhook_events rename to line_webhook_events_away');
    try {
      expect((await app.lineWebhook([message])).status).toBe(500);
    } finally {
      await queryRows(app.service, 'alter table line_webhook_events_away rename to line_webhook_events');
    }
    const again = await app.lineWebhook([{ ...message, deliveryContext: { isRedelivery: true } }]);
    expect(again.status).toBe(200);
    await app.slack.waitFor(() => thread().find((m) => m.text === DURING_OUTAGE));

    const failure = logged().find((l) => l.msg === 'request failed');
    expect(failure?.err).toMatchObject({
      message: expect.stringMatching(/^Failed query:\s+insert into line_webhook_events /),
    });
  });

  it('fail on Slack twice for a lead message (a 500 echoing it, then a final error)', async () => {
    app.slack.failNext(
      'chat.postMessage',
      { status: 500, body: { ok: false, echoed: SLACK_REFUSED } },
      { error: 'channel_not_found' },
    );
    await app.lineWebhook([textMessageEvent(app.line, LEAD, SLACK_REFUSED)]);
    await app.slack.waitFor(
      () =>
        app.slack.messages.find(
          (m) => m.channel === TEAM_CHANNEL && m.text?.includes('Slackに表示できませんでした'),
        ),
      15_000,
    );
    expect(thread().find((m) => m.text === SLACK_REFUSED)).toBeUndefined();
  });

  it('fail on LINE for good for a rep’s reply', async () => {
    app.line.failNext('push', {
      status: 400,
      body: {
        message: 'The request body has 1 error(s)',
        details: [{ message: 'May not be empty', property: 'messages[0].text' }],
      },
    });
    await repReply(app, card, REP, UNDELIVERABLE);
    await app.slack.waitFor(
      () => thread().find((m) => m.text?.includes('LINEへの送信に失敗しました')),
      15_000,
    );
  });

  it('run the morning digest, which lists the lead by name in Slack', async () => {
    await app.service.scheduler.runOnce(app.service.jobs.morningDigest, clock.now());
    const digest = await app.slack.waitFor(() =>
      app.slack.messages.find(
        (m) => m.channel === app.slack.dmChannelOf(REP) && m.text?.startsWith('今日の追客'),
      ),
    );
    expect(JSON.stringify(digest.blocks)).toContain(NAME);
    await app.service.worker.whenIdle();
  });

  it('hold none of the lead’s personal strings, and name the lead by its internal id', async () => {
    const all = lines.join('\n');
    const found = PERSONAL.flatMap(spellings).filter((s) => all.includes(s));
    expect(found).toEqual([]);

    const leadId = await leadIdOf(app, LEAD);
    expect(all).toContain(leadId);
    const messages = logged().map((l) => l.msg);
    expect(messages).toContain('incoming request');
    expect(messages).toContain('morning digest run');
    expect(messages).toContain('delivery will be retried');
    expect(messages).toContain('outbox delivery given up');
    expect(logged().every((l) => typeof l.level === 'number' && l.level >= LEVELS[level])).toBe(true);
  });
});
