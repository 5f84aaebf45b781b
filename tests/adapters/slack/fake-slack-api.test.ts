import {
  type ConversationsRepliesResponse,
  ErrorCode,
  type Logger,
  LogLevel,
  WebAPIHTTPError,
  WebAPIPlatformError,
  WebAPIRateLimitedError,
  WebAPIRequestError,
  WebClient,
} from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeSlackApi, startFakeSlackApi } from '../../../adapters/slack/fake/fake-slack-api.ts';

const TOKEN = 'xoxb-test-token';

// The SDK logs response_metadata.messages of failed calls at error level; keep test output readable.
const quietLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  setLevel: () => {},
  getLevel: () => LogLevel.ERROR,
  setName: () => {},
};

function clientFor(fake: FakeSlackApi, extra: { timeout?: number; token?: string } = {}): WebClient {
  return new WebClient(extra.token ?? TOKEN, {
    slackApiUrl: fake.url,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    logger: quietLogger,
    ...(extra.timeout !== undefined && { timeout: extra.timeout }),
  });
}

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to reject');
}

const blocksOfSections = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ type: 'section', text: { type: 'mrkdwn', text: `row ${i}` } }));

describe('fake Slack Web API', () => {
  let fake: FakeSlackApi;
  let slack: WebClient;

  beforeEach(async () => {
    fake = await startFakeSlackApi({
      botToken: TOKEN,
      botUserId: 'UBOT0001',
      botId: 'BBOT0001',
      teamId: 'TTEAM001',
    });
    slack = clientFor(fake);
  });
  afterEach(async () => {
    await fake.close();
  });

  it('answers auth.test with the configured identity and records the bearer token', async () => {
    const res = await slack.auth.test();
    expect(res).toMatchObject({ ok: true, user_id: 'UBOT0001', bot_id: 'BBOT0001', team_id: 'TTEAM001' });
    expect(fake.calls).toHaveLength(1);
    expect(fake.calls[0]).toMatchObject({ method: 'auth.test', token: TOKEN, status: 200 });
  });

  it('rejects a wrong token with invalid_auth', async () => {
    const error = await rejectionOf(clientFor(fake, { token: 'xoxb-wrong' }).auth.test());
    expect(error).toBeInstanceOf(WebAPIPlatformError);
    expect((error as WebAPIPlatformError).data.error).toBe('invalid_auth');
  });

  it('routes a post to a user id into the bot DM channel', async () => {
    const res = await slack.chat.postMessage({ channel: 'U123ABC', text: 'こんにちは' });
    const dm = fake.dmChannelOf('U123ABC');
    expect(dm).toMatch(/^D/);
    expect(res.channel).toBe(dm);
    expect(res.ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(res.message).toMatchObject({ text: 'こんにちは', ts: res.ts, bot_id: 'BBOT0001' });
    expect(fake.messages).toEqual([
      { channel: dm, ts: res.ts, text: 'こんにちは', user: 'UBOT0001', botId: 'BBOT0001', reactions: [] },
    ]);
    const opened = await slack.conversations.open({ users: 'U123ABC' });
    expect(opened.channel?.id).toBe(dm);
  });

  it('keeps the name and icon a post chose (chat:write.customize), as Slack shows and returns them', async () => {
    const picture = 'https://profile.line-scdn.net/abc';
    const res = await slack.chat.postMessage({
      channel: 'C0GENERAL',
      text: 'こんにちは',
      username: '山田 花子 (LINE)',
      icon_url: picture,
    });
    await slack.chat.postMessage({
      channel: 'C0GENERAL',
      text: 'x',
      username: 'B',
      icon_emoji: ':x:',
    });
    expect(fake.messages.map((m) => [m.username, m.iconUrl, m.iconEmoji])).toEqual([
      ['山田 花子 (LINE)', picture, undefined],
      ['B', undefined, ':x:'],
    ]);
    const history = await slack.conversations.history({ channel: 'C0GENERAL' });
    expect(history.messages?.find((m) => m.ts === res.ts)).toMatchObject({
      username: '山田 花子 (LINE)',
      icons: { image_48: picture },
    });
  });

  it('decodes form-encoded blocks back into arrays', async () => {
    const blocks = blocksOfSections(2);
    await slack.chat.postMessage({ channel: 'C0GENERAL', text: 'fallback', blocks });
    expect(fake.calls[0]?.body.blocks).toEqual(blocks);
    expect(fake.messages[0]?.blocks).toEqual(blocks);
  });

  it('keeps thread replies in order behind their parent, with increasing ts', async () => {
    const parent = await slack.chat.postMessage({ channel: 'C0GENERAL', text: 'parent' });
    const parentTs = parent.ts as string;
    await slack.chat.postMessage({ channel: 'C0GENERAL', text: 'other top-level' });
    const r1 = await slack.chat.postMessage({ channel: 'C0GENERAL', text: 'reply 1', thread_ts: parentTs });
    // Replying to a reply still lands in the parent's thread.
    await slack.chat.postMessage({ channel: 'C0GENERAL', text: 'reply 2', thread_ts: r1.ts as string });
    await slack.chat.postEphemeral({
      channel: 'C0GENERAL',
      user: 'U123ABC',
      text: 'only you',
      thread_ts: parentTs,
    });

    const thread = fake.thread('C0GENERAL', parentTs);
    expect(thread.map((m) => m.text)).toEqual(['parent', 'reply 1', 'reply 2']);
    expect(thread.slice(1).every((m) => m.threadTs === parentTs)).toBe(true);
    expect(r1.message?.thread_ts).toBe(parentTs);
    const tss = fake.messages.map((m) => Number(m.ts));
    expect(tss).toEqual([...tss].sort((a, b) => a - b));
    expect(new Set(tss).size).toBe(tss.length);
    expect(fake.messages.find((m) => m.ephemeralFor === 'U123ABC')).toMatchObject({
      text: 'only you',
      threadTs: parentTs,
    });
  });

  it('edits messages in place with chat.update and reports unknown ones', async () => {
    const posted = await slack.chat.postMessage({ channel: 'C0GENERAL', text: 'v1' });
    const updated = await slack.chat.update({ channel: 'C0GENERAL', ts: posted.ts as string, text: 'v2' });
    expect(updated).toMatchObject({ ok: true, channel: 'C0GENERAL', ts: posted.ts, text: 'v2' });
    expect(fake.messages).toHaveLength(1);
    expect(fake.messages[0]).toMatchObject({ text: 'v2', ts: posted.ts });
    expect(fake.messages[0]?.updatedAt).toEqual(expect.any(Number));

    const error = await rejectionOf(slack.chat.update({ channel: 'C0GENERAL', ts: '1.000001', text: 'x' }));
    expect((error as WebAPIPlatformError).data.error).toBe('message_not_found');
  });

  it('adds reactions once', async () => {
    const posted = await slack.chat.postMessage({ channel: 'C0GENERAL', text: 'hi' });
    await slack.reactions.add({ channel: 'C0GENERAL', timestamp: posted.ts as string, name: 'eyes' });
    expect(fake.messages[0]?.reactions).toEqual(['eyes']);
    const error = await rejectionOf(
      slack.reactions.add({ channel: 'C0GENERAL', timestamp: posted.ts as string, name: 'eyes' }),
    );
    expect((error as WebAPIPlatformError).data.error).toBe('already_reacted');
  });

  it('answers users.info from registered users', async () => {
    fake.addUser({ id: 'U123ABC', name: 'tanaka', realName: '田中 太郎', displayName: '田中' });
    const res = await slack.users.info({ user: 'U123ABC' });
    expect(res.user).toMatchObject({
      id: 'U123ABC',
      name: 'tanaka',
      real_name: '田中 太郎',
      is_bot: false,
      profile: { display_name: '田中', real_name: '田中 太郎', image_72: expect.any(String) },
    });
    const error = await rejectionOf(slack.users.info({ user: 'U999NONE' }));
    expect((error as WebAPIPlatformError).data.error).toBe('user_not_found');
  });

  it('surfaces a scripted 429 as the SDK rate-limit error without changing state', async () => {
    fake.failNext('chat.postMessage', { status: 429, headers: { 'Retry-After': '1' } });
    const error = await rejectionOf(slack.chat.postMessage({ channel: 'C0GENERAL', text: 'hi' }));
    expect(error).toBeInstanceOf(WebAPIRateLimitedError);
    expect(error).toMatchObject({ code: ErrorCode.RateLimitedError, retryAfter: 1 });
    expect(ErrorCode.RateLimitedError).toBe('slack_webapi_rate_limited_error');
    expect(fake.calls[0]).toMatchObject({
      method: 'chat.postMessage',
      status: 429,
      response: { ok: false, error: 'ratelimited' },
    });
    expect(fake.messages).toHaveLength(0);

    await slack.chat.postMessage({ channel: 'C0GENERAL', text: 'hi' });
    expect(fake.messages).toHaveLength(1);
  });

  it('surfaces a scripted 500 as an HTTP error and {error} as a platform error', async () => {
    fake.failNext('chat.postMessage', { status: 500 }, { error: 'channel_not_found' });
    const http = await rejectionOf(slack.chat.postMessage({ channel: 'C0GENERAL', text: 'hi' }));
    expect(http).toBeInstanceOf(WebAPIHTTPError);
    expect(http).toMatchObject({
      code: ErrorCode.HTTPError,
      statusCode: 500,
      body: { ok: false, error: 'internal_error' },
    });

    const platform = await rejectionOf(slack.chat.postMessage({ channel: 'C0GENERAL', text: 'hi' }));
    expect(platform).toMatchObject({
      code: ErrorCode.PlatformError,
      data: { ok: false, error: 'channel_not_found' },
    });
    expect(fake.messages).toHaveLength(0);
  });

  it('fails every method while down and recovers afterwards', async () => {
    fake.setDown(true);
    const a = await rejectionOf(slack.auth.test());
    const b = await rejectionOf(slack.chat.postMessage({ channel: 'C0GENERAL', text: 'hi' }));
    expect(a).toMatchObject({ statusCode: 503 });
    expect(b).toMatchObject({ statusCode: 503 });
    fake.setDown(false);
    await expect(slack.chat.postMessage({ channel: 'C0GENERAL', text: 'hi' })).resolves.toMatchObject({
      ok: true,
    });
    expect(fake.calls.map((c) => c.status)).toEqual([503, 503, 200]);
  });

  it('rejects Block Kit and argument mistakes like Slack does', async () => {
    const cases: Array<[Parameters<WebClient['chat']['postMessage']>[0], string]> = [
      [{ channel: 'C0GENERAL', text: 'x', blocks: blocksOfSections(51) }, 'invalid_blocks'],
      [
        {
          channel: 'C0GENERAL',
          text: 'x',
          blocks: [
            {
              type: 'actions',
              elements: Array.from({ length: 26 }, (_, i) => ({
                type: 'button' as const,
                text: { type: 'plain_text' as const, text: `b${i}` },
                action_id: `a${i}`,
              })),
            },
          ],
        },
        'invalid_blocks',
      ],
      [
        {
          channel: 'C0GENERAL',
          text: 'x',
          blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'あ'.repeat(3001) } }],
        },
        'invalid_blocks',
      ],
      [{ channel: 'C0GENERAL', text: 'x'.repeat(40_001) }, 'msg_too_long'],
      [{ channel: 'C0GENERAL', text: '' }, 'no_text'],
      [{ channel: 'not-a-channel', text: 'x' }, 'channel_not_found'],
    ];
    for (const [args, expected] of cases) {
      const error = await rejectionOf(slack.chat.postMessage(args));
      expect((error as WebAPIPlatformError).data.error, expected).toBe(expected);
    }
    const invalid = fake.calls[0]?.response as { errors: string[] };
    expect(invalid.errors[0]).toContain('[json-pointer:/blocks]');

    const missing = await rejectionOf(slack.apiCall('chat.update', { text: 'x' }));
    expect((missing as WebAPIPlatformError).data).toMatchObject({ error: 'invalid_arguments' });
    expect(fake.messages).toHaveLength(0);

    await expect(
      slack.chat.postMessage({ channel: 'C0GENERAL', text: 'x', blocks: blocksOfSections(50) }),
    ).resolves.toMatchObject({ ok: true });
  });

  describe('message metadata and the read methods', () => {
    const lead = { event_type: 'lead_thread', event_payload: { lead_id: 'L1', stage: 'new' } };
    const repliesOf = (ts: string, extra: Record<string, unknown> = {}) =>
      slack.conversations.replies({ channel: 'C0GENERAL', ts, ...extra });

    it('keeps metadata on the message and shows it to replies and history only with include_all_metadata', async () => {
      const posted = await slack.chat.postMessage({ channel: 'C0GENERAL', text: 'card', metadata: lead });
      const ts = posted.ts as string;
      expect(fake.calls[0]?.body.metadata).toEqual(lead);
      expect(fake.messages[0]?.metadata).toEqual(lead);
      expect(posted.message).not.toHaveProperty('metadata');

      expect((await repliesOf(ts)).messages?.[0]).not.toHaveProperty('metadata');
      expect((await repliesOf(ts, { include_all_metadata: true })).messages?.[0]?.metadata).toEqual(lead);
      const plain = await slack.conversations.history({ channel: 'C0GENERAL' });
      expect(plain.messages?.[0]).not.toHaveProperty('metadata');
      const full = await slack.conversations.history({ channel: 'C0GENERAL', include_all_metadata: true });
      expect(full.messages?.[0]).toMatchObject({ ts, text: 'card', metadata: lead });
    });

    it('keeps metadata through chat.update unless replaced, and an empty object removes it', async () => {
      const posted = await slack.chat.postMessage({ channel: 'C0GENERAL', text: 'v1', metadata: lead });
      const ts = posted.ts as string;
      await slack.chat.update({ channel: 'C0GENERAL', ts, text: 'v2' });
      expect(fake.messages[0]).toMatchObject({ text: 'v2', metadata: lead });
      const won = { event_type: 'lead_thread', event_payload: { lead_id: 'L1', stage: 'won' } };
      await slack.chat.update({ channel: 'C0GENERAL', ts, text: 'v3', metadata: won });
      expect(fake.messages[0]?.metadata).toEqual(won);
      await slack.apiCall('chat.update', { channel: 'C0GENERAL', ts, text: 'v4', metadata: {} });
      expect(fake.messages[0]).not.toHaveProperty('metadata');
    });

    it('rejects malformed metadata with Slack’s format and schema errors and stores nothing', async () => {
      const cases: Array<[unknown, string]> = [
        ['{not json', 'invalid_metadata_format'],
        ['lead_thread', 'invalid_metadata_format'],
        [[lead], 'invalid_metadata_format'],
        [{ event_payload: { lead_id: 'L1' } }, 'invalid_metadata_schema'],
        [{ event_type: '', event_payload: {} }, 'invalid_metadata_schema'],
        [{ event_type: 42, event_payload: {} }, 'invalid_metadata_schema'],
        [{ event_type: 'lead_thread' }, 'invalid_metadata_schema'],
        [{ event_type: 'lead_thread', event_payload: 'L1' }, 'invalid_metadata_schema'],
      ];
      for (const [metadata, expected] of cases) {
        const error = await rejectionOf(
          slack.apiCall('chat.postMessage', { channel: 'C0GENERAL', text: 'x', metadata }),
        );
        expect((error as WebAPIPlatformError).data.error, JSON.stringify(metadata)).toBe(expected);
      }
      expect(fake.messages).toHaveLength(0);

      const posted = await slack.chat.postMessage({ channel: 'C0GENERAL', text: 'v1', metadata: lead });
      const error = await rejectionOf(
        slack.apiCall('chat.update', { channel: 'C0GENERAL', ts: posted.ts, text: 'v2', metadata: [] }),
      );
      expect((error as WebAPIPlatformError).data.error).toBe('invalid_metadata_format');
      expect(fake.messages[0]).toMatchObject({ text: 'v1', metadata: lead });
    });

    it('answers conversations.replies with the parent first, then the replies in ts order, without ephemerals', async () => {
      fake.addUser({ id: 'U123ABC', name: 'tanaka' });
      const blocks = blocksOfSections(1);
      const parent = await slack.chat.postMessage({ channel: 'C0GENERAL', text: 'parent', blocks });
      const parentTs = parent.ts as string;
      await slack.chat.postMessage({ channel: 'C0GENERAL', text: 'elsewhere' });
      const r1 = await slack.chat.postMessage({ channel: 'C0GENERAL', text: 'reply 1', thread_ts: parentTs });
      await slack.chat.postEphemeral({
        channel: 'C0GENERAL',
        user: 'U123ABC',
        text: 'psst',
        thread_ts: parentTs,
      });
      const r2 = fake.userPost({
        channel: 'C0GENERAL',
        user: 'U123ABC',
        text: 'reply 2',
        threadTs: parentTs,
      });

      const res = await repliesOf(parentTs);
      expect(res).toMatchObject({ ok: true, has_more: false, response_metadata: { next_cursor: '' } });
      expect(res.messages).toEqual([
        {
          type: 'message',
          text: 'parent',
          user: 'UBOT0001',
          bot_id: 'BBOT0001',
          team: 'TTEAM001',
          ts: parentTs,
          thread_ts: parentTs,
          reply_count: 2,
          reply_users_count: 2,
          reply_users: ['UBOT0001', 'U123ABC'],
          latest_reply: r2.ts,
          blocks,
        },
        {
          type: 'message',
          text: 'reply 1',
          user: 'UBOT0001',
          bot_id: 'BBOT0001',
          team: 'TTEAM001',
          ts: r1.ts,
          thread_ts: parentTs,
        },
        {
          type: 'message',
          text: 'reply 2',
          user: 'U123ABC',
          team: 'TTEAM001',
          ts: r2.ts,
          thread_ts: parentTs,
        },
      ]);
      // A reply's ts names the same thread; a message nobody answered is a thread of one.
      expect((await repliesOf(r1.ts as string)).messages?.map((m) => m.text)).toEqual([
        'parent',
        'reply 1',
        'reply 2',
      ]);
      const lone = fake.messages.find((m) => m.text === 'elsewhere');
      expect((await repliesOf(lone?.ts as string)).messages?.map((m) => m.text)).toEqual(['elsewhere']);
    });

    it('answers conversations.history with top-level messages, newest first, threads summarised', async () => {
      const first = await slack.chat.postMessage({ channel: 'C0GENERAL', text: 'first' });
      await slack.chat.postMessage({ channel: 'C0GENERAL', text: 'a reply', thread_ts: first.ts as string });
      await slack.chat.postMessage({ channel: 'C0OTHER', text: 'other channel' });
      await slack.chat.postEphemeral({ channel: 'C0GENERAL', user: 'U123ABC', text: 'only you' });
      fake.userPost({ channel: 'C0GENERAL', user: 'U123ABC', text: 'second' });

      const res = await slack.conversations.history({ channel: 'C0GENERAL' });
      expect(res).toMatchObject({ ok: true, has_more: false, response_metadata: { next_cursor: '' } });
      expect(res.messages?.map((m) => m.text)).toEqual(['second', 'first']);
      expect(res.messages?.[1]).toMatchObject({ thread_ts: first.ts, reply_count: 1 });
      expect(res.messages?.[0]).not.toHaveProperty('thread_ts');
      expect(res.messages?.[0]).not.toHaveProperty('bot_id');
      expect((await slack.conversations.history({ channel: 'C0EMPTY' })).messages).toEqual([]);
    });

    it('pages through history and replies with cursors, and limits the window with oldest and latest', async () => {
      const tss: string[] = [];
      for (let i = 0; i < 5; i++) {
        tss.push((await slack.chat.postMessage({ channel: 'C0GENERAL', text: `m${i}` })).ts as string);
      }
      const [t0, t1, t2, t3, t4] = tss as [string, string, string, string, string];
      const page1 = await slack.conversations.history({ channel: 'C0GENERAL', limit: 2 });
      expect(page1.messages?.map((m) => m.text)).toEqual(['m4', 'm3']);
      expect(page1.has_more).toBe(true);
      const cursor = page1.response_metadata?.next_cursor as string;
      expect(Buffer.from(cursor, 'base64').toString()).toMatch(/^next_ts:\d+$/);
      // A message posted between pages does not shift the next one.
      await slack.chat.postMessage({ channel: 'C0GENERAL', text: 'late' });
      const page2 = await slack.conversations.history({ channel: 'C0GENERAL', limit: 2, cursor });
      expect(page2.messages?.map((m) => m.text)).toEqual(['m2', 'm1']);
      const page3 = await slack.conversations.history({
        channel: 'C0GENERAL',
        limit: 2,
        cursor: page2.response_metadata?.next_cursor as string,
      });
      expect(page3).toMatchObject({ has_more: false, response_metadata: { next_cursor: '' } });
      expect(page3.messages?.map((m) => m.text)).toEqual(['m0']);

      const window = (extra: Record<string, unknown>) =>
        slack.conversations
          .history({ channel: 'C0GENERAL', oldest: t1, latest: t3, ...extra })
          .then((r) => r.messages?.map((m) => m.text));
      expect(await window({})).toEqual(['m2']);
      expect(await window({ inclusive: true })).toEqual(['m3', 'm2', 'm1']);
      // oldest and latest also take whole seconds.
      expect(await window({ oldest: String(Number(t0.split('.')[0]) - 1) })).toEqual(['m2', 'm1', 'm0']);

      for (const t of [t1, t2, t3, t4]) {
        await slack.chat.postMessage({ channel: 'C0GENERAL', text: `re ${t}`, thread_ts: t0 });
      }
      // The SDK's own paginate() follows next_cursor until it is empty.
      const texts: string[] = [];
      for await (const page of slack.paginate('conversations.replies', {
        channel: 'C0GENERAL',
        ts: t0,
        limit: 2,
      }) as AsyncIterable<ConversationsRepliesResponse>) {
        texts.push(...(page.messages ?? []).map((m) => m.text ?? ''));
      }
      expect(texts).toEqual(['m0', `re ${t1}`, `re ${t2}`, `re ${t3}`, `re ${t4}`]);
      const replyCalls = fake.calls.filter((c) => c.method === 'conversations.replies');
      expect(replyCalls).toHaveLength(3);
    });

    it('answers unknown threads, channels, cursors and timestamps with Slack’s errors', async () => {
      const posted = await slack.chat.postMessage({ channel: 'C0GENERAL', text: 'hi' });
      const errorOf = async (method: string, args: Record<string, unknown>) =>
        ((await rejectionOf(slack.apiCall(method, args))) as WebAPIPlatformError).data.error;
      expect(await errorOf('conversations.replies', { channel: 'C0GENERAL', ts: '1.000001' })).toBe(
        'thread_not_found',
      );
      expect(await errorOf('conversations.replies', { channel: 'C0OTHER', ts: posted.ts })).toBe(
        'thread_not_found',
      );
      expect(await errorOf('conversations.replies', { channel: 'general', ts: posted.ts })).toBe(
        'channel_not_found',
      );
      expect(await errorOf('conversations.history', { channel: 'U123ABC' })).toBe('channel_not_found');
      expect(await errorOf('conversations.history', { channel: 'C0GENERAL', cursor: 'bm9wZQ==' })).toBe(
        'invalid_cursor',
      );
      expect(await errorOf('conversations.history', { channel: 'C0GENERAL', oldest: 'yesterday' })).toBe(
        'invalid_ts_oldest',
      );
      expect(
        await errorOf('conversations.replies', { channel: 'C0GENERAL', ts: posted.ts, latest: '-1' }),
      ).toBe('invalid_ts_latest');
      expect(await errorOf('conversations.replies', { channel: 'C0GENERAL' })).toBe('invalid_arguments');
    });

    it('applies scripted failures to the read methods and records their calls', async () => {
      const posted = await slack.chat.postMessage({ channel: 'C0GENERAL', text: 'hi', metadata: lead });
      fake.failNext('conversations.replies', { status: 429 }, { error: 'ratelimited' });
      expect(await rejectionOf(repliesOf(posted.ts as string))).toBeInstanceOf(WebAPIRateLimitedError);
      expect(await rejectionOf(repliesOf(posted.ts as string))).toMatchObject({
        data: { ok: false, error: 'ratelimited' },
      });
      fake.setDown(true);
      expect(await rejectionOf(slack.conversations.history({ channel: 'C0GENERAL' }))).toMatchObject({
        statusCode: 503,
      });
      fake.setDown(false);
      await repliesOf(posted.ts as string, { include_all_metadata: true });
      expect(fake.calls.slice(1).map((c) => `${c.method}:${c.status}`)).toEqual([
        'conversations.replies:429',
        'conversations.replies:200',
        'conversations.history:503',
        'conversations.replies:200',
      ]);
      expect(fake.calls.at(-1)?.body).toMatchObject({ channel: 'C0GENERAL', ts: posted.ts });
    });
  });

  it('answers unknown methods with unknown_method', async () => {
    const error = await rejectionOf(slack.apiCall('chat.frobnicate', {}));
    expect((error as WebAPIPlatformError).data.error).toBe('unknown_method');
  });

  it('opens and updates views', async () => {
    const view = {
      type: 'modal' as const,
      title: { type: 'plain_text' as const, text: '対応メモ' },
      blocks: blocksOfSections(1),
    };
    const opened = await slack.views.open({ trigger_id: '123.456.abc', view });
    expect(opened.view).toMatchObject({
      id: expect.stringMatching(/^V/),
      type: 'modal',
      blocks: view.blocks,
    });
    const updated = await slack.views.update({
      view_id: opened.view?.id as string,
      view: { ...view, blocks: blocksOfSections(2) },
    });
    expect(updated.view?.id).toBe(opened.view?.id);
    expect(updated.view?.blocks).toHaveLength(2);
  });

  it('lets a hanging call time out on the client and still closes promptly', async () => {
    fake.failNext('chat.postMessage', 'hang');
    const client = clientFor(fake, { timeout: 200 });
    const error = await rejectionOf(client.chat.postMessage({ channel: 'C0GENERAL', text: 'hi' }));
    expect(error).toBeInstanceOf(WebAPIRequestError);
    expect(error).toMatchObject({ code: ErrorCode.RequestError });
    expect((error as WebAPIRequestError).original.name).toBe('TimeoutError');
    expect(fake.calls[0]).toMatchObject({ method: 'chat.postMessage', status: 0 });
    expect(fake.messages).toHaveLength(0);
  });

  // The hanging call gets no answer and this client has no timeout, so close() can only settle
  // (within the test's own timeout) by dropping that connection itself.
  it('close() does not wait for a call that is still hanging', async () => {
    fake.failNext('auth.test', 'hang');
    const pending = rejectionOf(slack.auth.test());
    await fake.waitFor(() => fake.calls.length === 1);
    await fake.close();
    const error = await pending;
    expect(error).toBeInstanceOf(WebAPIRequestError);
    expect((error as WebAPIRequestError).original.name).not.toBe('TimeoutError');
  });

  it('records posts to response URLs', async () => {
    const url = fake.responseUrl('cmd-1');
    expect(url).toBe(`${fake.origin}/response/cmd-1`);
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ replace_original: true, text: '送信しました' }),
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('ok');
    expect(fake.responses).toEqual([
      { id: 'cmd-1', body: { replace_original: true, text: '送信しました' }, at: expect.any(Number) },
    ]);
    expect(fake.responseUrl()).not.toBe(fake.responseUrl());
  });

  it('notifies listeners, waits for state and resets', async () => {
    const seen: string[] = [];
    const off = fake.onCall((call) => seen.push(`${call.method}:${call.status}`));
    void slack.chat.postMessage({ channel: 'C0GENERAL', text: 'later' });
    const message = await fake.waitFor(() => fake.messages.find((m) => m.text === 'later'));
    expect(message.channel).toBe('C0GENERAL');
    off();
    await slack.auth.test();
    expect(seen).toEqual(['chat.postMessage:200']);

    await expect(fake.waitFor(() => fake.messages.length > 5, 50)).rejects.toThrow(
      /timed out after 50ms.*chat\.postMessage -> 200/,
    );

    fake.addUser({ id: 'U123ABC', name: 'tanaka' });
    fake.failNext('auth.test', { error: 'fatal_error' });
    fake.reset();
    expect([fake.calls.length, fake.messages.length, fake.responses.length]).toEqual([0, 0, 0]);
    await expect(slack.auth.test()).resolves.toMatchObject({ ok: true });
    await expect(slack.users.info({ user: 'U123ABC' })).resolves.toMatchObject({ ok: true });
  });

  it('delays answers by latencyMs', async () => {
    const slow = await startFakeSlackApi({ latencyMs: 100 });
    try {
      const started = Date.now();
      await clientFor(slow).auth.test();
      expect(Date.now() - started).toBeGreaterThanOrEqual(90);
    } finally {
      await slow.close();
    }
  });
});
