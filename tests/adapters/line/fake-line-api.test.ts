import { randomUUID } from 'node:crypto';
import { HTTPFetchError, messagingApi, validateSignature } from '@line/bot-sdk';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FakeLineApi, FakeLineCall } from '../../../adapters/line/fake/fake-line-api.ts';
import { startFakeLineApi } from '../../../adapters/line/fake/fake-line-api.ts';
import {
  fileMessageEvent,
  followEvent,
  imageMessageEvent,
  locationMessageEvent,
  madeUpReplyTokens,
  postbackEvent,
  randomReplyToken,
  signLineBody,
  stickerMessageEvent,
  textMessageEvent,
  unfollowEvent,
  validateWebhookBody,
  webhookBody,
} from '../../../adapters/line/fake/line-webhook-events.ts';

const TOKEN = 'test-channel-access-token';
const USER = 'U1234567890abcdef1234567890abcdef';
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

// Loose on purpose: assertions below check the exact shapes.
interface LineBody {
  message?: string;
  details?: Array<{ message: string; property: string }>;
  sentMessages?: Array<{ id: string; quoteToken?: string }>;
  [k: string]: unknown;
}

let fake: FakeLineApi;

beforeAll(async () => {
  fake = await startFakeLineApi({ channelAccessToken: TOKEN });
});
afterEach(() => fake.reset());
afterAll(() => fake.close());

async function call(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; body: LineBody }> {
  const res = await fetch(`${fake.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${TOKEN}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as LineBody };
}

const push = (body: unknown, retryKey?: string) =>
  call('POST', '/v2/bot/message/push', body, retryKey ? { 'X-Line-Retry-Key': retryKey } : {});

const hello = { to: USER, messages: [{ type: 'text', text: 'こんにちは' }] };

describe('push', () => {
  it('accepts and records a valid push', async () => {
    const key = randomUUID();
    const res = await push(hello, key);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-line-request-id')).toMatch(UUID_RE);
    expect(res.body.sentMessages).toEqual([
      { id: expect.stringMatching(/^\d+$/), quoteToken: expect.any(String) },
    ]);
    expect(fake.pushes).toEqual([
      {
        to: USER,
        messages: hello.messages,
        retryKey: key,
        requestId: res.headers.get('x-line-request-id'),
        at: expect.any(Number),
      },
    ]);
    expect(fake.calls).toHaveLength(1);
    expect(fake.calls[0]).toMatchObject({
      method: 'POST',
      path: '/v2/bot/message/push',
      status: 200,
      valid: true,
    });
    expect(fake.calls[0]?.headers['x-line-retry-key']).toBe(key);
  });

  it('answers a repeated retry key with 409 and the original request id, recording the push once', async () => {
    const key = randomUUID();
    const first = await push(hello, key);
    const second = await push(hello, key);
    expect(second.status).toBe(409);
    expect(second.headers.get('x-line-accepted-request-id')).toBe(first.headers.get('x-line-request-id'));
    expect(second.body).toEqual({
      message: 'The retry key is already accepted',
      sentMessages: first.body.sentMessages,
    });
    expect(fake.pushes).toHaveLength(1);
    expect(fake.calls.map((c) => c.status)).toEqual([200, 409]);
  });

  it('rejects a retry key that is not a UUID', async () => {
    const res = await push(hello, 'not-a-uuid');
    expect(res.status).toBe(400);
    expect(res.body.message).toContain('X-Line-Retry-Key');
    expect(fake.pushes).toHaveLength(0);
    expect(fake.calls[0]?.valid).toBe(false);
  });

  it.each([
    [
      '6 messages',
      { to: USER, messages: Array.from({ length: 6 }, () => ({ type: 'text', text: 'x' })) },
      'messages',
    ],
    ['missing to', { messages: [{ type: 'text', text: 'x' }] }, 'to'],
    ['text message without text', { to: USER, messages: [{ type: 'text' }] }, 'messages[0].text'],
    [
      'sender name of 21 chars',
      { to: USER, messages: [{ type: 'text', text: 'x', sender: { name: 'a'.repeat(21) } }] },
      'messages[0].sender.name',
    ],
    [
      'non-https image url',
      {
        to: USER,
        messages: [
          {
            type: 'image',
            originalContentUrl: 'http://x.test/a.jpg',
            previewImageUrl: 'https://x.test/p.jpg',
          },
        ],
      },
      'messages[0].originalContentUrl',
    ],
  ])('rejects an invalid body (%s) with LINE-style details', async (_name, body, property) => {
    const res = await push(body);
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/^The request body has \d+ error\(s\)$/);
    expect(res.body.details).toContainEqual({ message: expect.any(String), property });
    // One detail per property even where the spec and the zod rules overlap.
    const props = (res.body.details ?? []).map((d) => d.property);
    expect(new Set(props).size).toBe(props.length);
    expect(fake.pushes).toHaveLength(0);
    expect(fake.calls[0]).toMatchObject({ status: 400, valid: false, validationErrors: expect.any(Array) });
  });

  it('returns a scripted 500, then accepts the retry with the same key', async () => {
    const key = randomUUID();
    fake.failNext('push', { status: 500 });
    const failed = await push(hello, key);
    expect(failed.status).toBe(500);
    expect(fake.pushes).toHaveLength(0);
    const retried = await push(hello, key);
    expect(retried.status).toBe(200);
    expect(fake.pushes).toHaveLength(1);
  });

  it('returns a scripted 429 with LINE body and any scripted headers', async () => {
    fake.failNext('push', { status: 429 }, { status: 429, headers: { 'retry-after': '3' } });
    const a = await push(hello);
    expect(a.status).toBe(429);
    expect(a.body).toEqual({ message: 'Too Many Requests' });
    expect(a.headers.get('retry-after')).toBeNull();
    const b = await push(hello);
    expect(b.headers.get('retry-after')).toBe('3');
    expect((await push(hello)).status).toBe(200);
  });

  it('counts accepted push recipients in quota consumption', async () => {
    await push(hello);
    await push(hello);
    expect((await call('GET', '/v2/bot/message/quota')).body).toEqual({ type: 'none' });
    expect((await call('GET', '/v2/bot/message/quota/consumption')).body).toEqual({ totalUsage: 2 });
  });
});

describe('monthly quota', () => {
  const multicast = (to: string[], retryKey?: string) =>
    call(
      'POST',
      '/v2/bot/message/multicast',
      { to, messages: hello.messages },
      retryKey ? { 'X-Line-Retry-Key': retryKey } : {},
    );
  const quota = async () => ({
    quota: (await call('GET', '/v2/bot/message/quota')).body,
    consumption: (await call('GET', '/v2/bot/message/quota/consumption')).body,
  });
  const monthly = { status: 429, body: { message: 'You have reached your monthly limit.' } };

  it('reports a set limit and earlier consumption, and refuses a send past the limit', async () => {
    fake.setQuota(4);
    fake.setConsumption(1);
    expect(await quota()).toEqual({ quota: { type: 'limited', value: 4 }, consumption: { totalUsage: 1 } });
    expect((await multicast([USER, `${USER.slice(0, -1)}0`])).status).toBe(200);
    const key = randomUUID();
    expect(await push(hello, key)).toMatchObject({ status: 200 });
    expect(await push(hello, randomUUID())).toMatchObject(monthly);
    expect(await multicast([USER], randomUUID())).toMatchObject(monthly);
    // An accepted retry key is answered 409 as before, and costs nothing.
    expect((await push(hello, key)).status).toBe(409);
    expect(fake.pushes).toHaveLength(1);
    expect(fake.multicasts).toHaveLength(1);
    expect((await quota()).consumption).toEqual({ totalUsage: 4 });
  });

  it('accepts a refused request’s retry key once there is room', async () => {
    fake.setQuota(0);
    const key = randomUUID();
    expect(await push(hello, key)).toMatchObject(monthly);
    fake.setQuota(null);
    expect((await push(hello, key)).status).toBe(200);
    expect(fake.pushes).toHaveLength(1);
  });

  it('forgets the limit and the earlier consumption on reset', async () => {
    fake.setQuota(0);
    fake.setConsumption(7);
    await push(hello);
    fake.reset();
    expect(await quota()).toEqual({ quota: { type: 'none' }, consumption: { totalUsage: 0 } });
    expect((await push(hello)).status).toBe(200);
  });
});

describe('rate limits', () => {
  const rateLimited = {
    status: 429,
    body: { message: 'The API rate limit has been exceeded. Try again later.' },
  };
  let now = Date.parse('2026-11-30T09:00:00+09:00');
  let own: FakeLineApi;
  const pushAt = async (at: number) => {
    now = at;
    return (await fetch(`${own.url}/v2/bot/message/push`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(hello),
    }).then(async (res) => ({ status: res.status, body: await res.json() }))) as {
      status: number;
      body: unknown;
    };
  };

  beforeAll(async () => {
    own = await startFakeLineApi({ now: () => now, rateLimits: { pushPerSecond: 2 } });
  });
  afterEach(() => own.reset());
  afterAll(() => own.close());

  it('lets through at most the limit in any 1000 ms, the window sliding with the clock', async () => {
    const t = now;
    expect((await pushAt(t)).status).toBe(200);
    expect((await pushAt(t + 600)).status).toBe(200);
    expect(await pushAt(t + 999)).toEqual(rateLimited);
    expect((await pushAt(t + 1000)).status).toBe(200);
    expect(await pushAt(t + 1599)).toEqual(rateLimited);
    expect((await pushAt(t + 1600)).status).toBe(200);
    expect(own.pushes).toHaveLength(4);
  });

  it('does not count refused requests toward the window', async () => {
    const t = now + 10_000;
    await pushAt(t);
    await pushAt(t);
    expect(await pushAt(t + 500)).toEqual(rateLimited);
    expect(await pushAt(t + 500)).toEqual(rateLimited);
    // Had the refusals at t + 500 counted, these would be refused until t + 1500.
    expect((await pushAt(t + 1000)).status).toBe(200);
    expect((await pushAt(t + 1000)).status).toBe(200);
  });

  it('takes new limits from setRateLimits and goes back to the options’ on reset', async () => {
    const t = now + 10_000;
    own.setRateLimits({});
    for (let i = 0; i < 5; i++) expect((await pushAt(t)).status).toBe(200);
    own.setRateLimits({ pushPerSecond: 1 });
    expect((await pushAt(t)).status).toBe(200);
    expect(await pushAt(t)).toEqual(rateLimited);
    own.reset();
    expect((await pushAt(t)).status).toBe(200);
    expect((await pushAt(t)).status).toBe(200);
    expect(await pushAt(t)).toEqual(rateLimited);
    expect(() => own.setRateLimits({ multicastPerSecond: 1.5 })).toThrow(/whole number/);
  });

  it('does not limit other operations, nor count requests answered before the check', async () => {
    const t = now + 10_000;
    own.failNext('push', { status: 500 });
    expect((await pushAt(t)).status).toBe(500);
    await pushAt(t);
    await pushAt(t);
    expect((await fetch(`${own.url}/v2/bot/message/quota`)).status).toBe(200);
    expect(await pushAt(t)).toEqual(rateLimited);
    expect(own.pushes).toHaveLength(2);
  });
});

describe('hang', () => {
  it('never answers a hung call, and close() still resolves', async () => {
    const own = await startFakeLineApi();
    own.failNext('push', 'hang');
    const pending = fetch(`${own.url}/v2/bot/message/push`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(hello),
      signal: AbortSignal.timeout(200),
    });
    await expect(pending).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(own.calls).toMatchObject([{ status: 0, valid: true }]);
    expect(own.pushes).toHaveLength(0);

    // A second hang still open at close() time must not keep close() pending.
    own.failNext('push', 'hang');
    const stillOpen = fetch(`${own.url}/v2/bot/message/push`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(hello),
    }).catch((err: unknown) => err);
    await own.waitFor(() => own.calls.length === 2);
    await own.close();
    expect(await stillOpen).toBeInstanceOf(Error);
  });
});

describe('other routes', () => {
  it('requires the channel access token', async () => {
    const res = await call('POST', '/v2/bot/message/push', hello, { authorization: 'Bearer wrong' });
    expect(res.status).toBe(401);
    expect(res.body.message).toMatch(/^Authentication failed/);
  });

  it('404s unknown paths', async () => {
    expect((await call('GET', '/v2/bot/nope')).status).toBe(404);
  });

  it('serves profiles, 404s unknown and blocked users', async () => {
    fake.setProfile(USER, { displayName: '山田太郎', language: 'ja' });
    const ok = await call('GET', `/v2/bot/profile/${USER}`);
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ userId: USER, displayName: '山田太郎', language: 'ja' });
    expect(await call('GET', '/v2/bot/profile/Uunknown')).toMatchObject({
      status: 404,
      body: { message: 'Not found' },
    });
    fake.setBlocked(USER, true);
    expect((await call('GET', `/v2/bot/profile/${USER}`)).status).toBe(404);
    expect((await push({ ...hello, to: USER })).status).toBe(200);
    fake.setBlocked(USER, false);
  });

  it('starts the loading animation', async () => {
    expect(
      await call('POST', '/v2/bot/chat/loading/start', { chatId: USER, loadingSeconds: 10 }),
    ).toMatchObject({
      status: 202,
      body: {},
    });
    expect(
      (await call('POST', '/v2/bot/chat/loading/start', { chatId: USER, loadingSeconds: 7 })).status,
    ).toBe(400);
  });

  it('notifies listeners, supports waitFor, and reset clears state', async () => {
    const seen: FakeLineCall[] = [];
    const off = fake.onRequest((c) => seen.push(c));
    void push(hello);
    const p = await fake.waitFor(() => fake.pushes[0]);
    expect(p.to).toBe(USER);
    await fake.waitFor(() => seen.length === 1);
    off();
    await push(hello);
    expect(seen).toHaveLength(1);
    const calls = fake.calls;
    fake.reset();
    expect(calls).toHaveLength(0);
    expect(fake.pushes).toHaveLength(0);
    await expect(fake.waitFor(() => fake.pushes.length > 0, 50)).rejects.toThrow(/timed out after 50ms/);
  });

  it('delays every answer by latencyMs', async () => {
    const slow = await startFakeLineApi({ latencyMs: 80 });
    const started = performance.now();
    const res = await fetch(`${slow.url}/v2/bot/message/quota`);
    expect(res.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(75);
    await slow.close();
  });

  it('rejects failNext for unknown routes', () => {
    expect(() => fake.failNext('pish', { status: 500 })).toThrow(/unknown route "pish"/);
  });
});

describe('reply tokens', () => {
  const sticker = [{ type: 'sticker', packageId: '446', stickerId: '1988' }];
  const reply = (replyToken: string, api: FakeLineApi = fake) =>
    fetch(`${api.url}/v2/bot/message/reply`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ replyToken, messages: sticker }),
    }).then(async (res) => ({ status: res.status, body: (await res.json()) as LineBody }));
  const refused = { status: 400, body: { message: 'Invalid reply token' } };

  it('accepts a reply with a token the fake issued', async () => {
    const token = fake.issueReplyToken();
    const res = await reply(token);
    expect(res.status).toBe(200);
    expect(res.body.sentMessages).toEqual([
      { id: expect.stringMatching(/^\d+$/), quoteToken: expect.any(String) },
    ]);
    expect(fake.replies).toEqual([{ replyToken: token, messages: sticker, at: expect.any(Number) }]);
  });

  it('refuses a token it never issued', async () => {
    expect(await reply('nextreplytoken0000000000000000')).toEqual(refused);
    expect(await reply(randomReplyToken())).toEqual(refused);
    expect(fake.replies).toHaveLength(0);
  });

  it('refuses a token used once already', async () => {
    const token = fake.issueReplyToken();
    expect((await reply(token)).status).toBe(200);
    expect(await reply(token)).toEqual(refused);
    expect(fake.replies).toHaveLength(1);
  });

  it('refuses a token more than a minute old by the fake’s clock', async () => {
    let now = Date.parse('2026-11-30T09:00:00+09:00');
    const own = await startFakeLineApi({ channelAccessToken: TOKEN, now: () => now });
    try {
      const onTime = own.issueReplyToken();
      const late = own.issueReplyToken();
      now += 60_000;
      expect((await reply(onTime, own)).status).toBe(200);
      now += 1;
      expect(await reply(late, own)).toEqual(refused);
      expect(own.replies.map((r) => r.replyToken)).toEqual([onTime]);
    } finally {
      await own.close();
    }
  });

  it('does not use up a token on a scripted failure or a body LINE would reject', async () => {
    const token = fake.issueReplyToken();
    fake.failNext('reply', { status: 500 });
    expect((await reply(token)).status).toBe(500);
    const invalid = await call('POST', '/v2/bot/message/reply', { replyToken: token, messages: [] });
    expect(invalid.status).toBe(400);
    expect((await reply(token)).status).toBe(200);
  });

  it('forgets issued tokens on reset', async () => {
    const token = fake.issueReplyToken();
    fake.reset();
    expect(await reply(token)).toEqual(refused);
  });

  it('gives the webhook builders tokens a reply is accepted with, one per event', async () => {
    const events = [
      followEvent(fake, USER),
      textMessageEvent(fake, USER, 'x'),
      stickerMessageEvent(fake, USER, '446', '1988'),
      postbackEvent(fake, USER, 'a=1'),
    ];
    const client = new messagingApi.MessagingApiClient({ channelAccessToken: TOKEN, baseURL: fake.url });
    for (const event of events) {
      await client.replyMessage({ replyToken: event.replyToken, messages: [{ type: 'text', text: 'ok' }] });
    }
    expect(fake.replies.map((r) => r.replyToken)).toEqual(events.map((e) => e.replyToken));
    const again = await client
      .replyMessage({ replyToken: events[0]?.replyToken ?? '', messages: [{ type: 'text', text: 'ok' }] })
      .catch((e: unknown) => e);
    expect(again).toBeInstanceOf(HTTPFetchError);
    expect((again as HTTPFetchError).status).toBe(400);
    expect(JSON.parse((again as HTTPFetchError).body)).toEqual({ message: 'Invalid reply token' });
  });
});

describe('@line/bot-sdk against the fake', () => {
  it('pushes through MessagingApiClient and surfaces 409 as HTTPFetchError', async () => {
    const client = new messagingApi.MessagingApiClient({ channelAccessToken: TOKEN, baseURL: fake.url });
    const key = randomUUID();
    const res = await client.pushMessage({ to: USER, messages: [{ type: 'text', text: 'hi' }] }, key);
    expect(res.sentMessages).toHaveLength(1);
    expect(fake.pushes[0]?.retryKey).toBe(key);

    const err = await client
      .pushMessage({ to: USER, messages: [{ type: 'text', text: 'hi' }] }, key)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HTTPFetchError);
    expect((err as HTTPFetchError).status).toBe(409);
    expect((err as HTTPFetchError).headers.get('x-line-accepted-request-id')).toBe(fake.pushes[0]?.requestId);
    expect(fake.pushes).toHaveLength(1);

    fake.setProfile(USER, { displayName: 'Taro' });
    expect(await client.getProfile(USER)).toEqual({ userId: USER, displayName: 'Taro' });
    await client.showLoadingAnimation({ chatId: USER, loadingSeconds: 5 });
    expect(fake.calls.every((c) => c.valid)).toBe(true);
  });
});

describe('webhook builders', () => {
  const line = madeUpReplyTokens;
  const events = [
    followEvent(line, USER),
    unfollowEvent(USER),
    textMessageEvent(line, USER, '見積もりお願いします', { timestamp: 1_700_000_000_000 }),
    stickerMessageEvent(line, USER, '446', '1988'),
    imageMessageEvent(line, USER),
    fileMessageEvent(line, USER, 'estimate.pdf', 12345),
    locationMessageEvent(line, USER, '東京タワー', '東京都港区芝公園4-2-8', 35.6586, 139.7454),
    postbackEvent(line, USER, 'action=confirm&id=1'),
  ];

  it('produce spec-valid webhook bodies', () => {
    expect(validateWebhookBody(webhookBody(events))).toEqual([]);
    expect(validateWebhookBody(webhookBody([]))).toEqual([]);
  });

  it('fill in the common event fields', () => {
    const e = textMessageEvent(line, USER, 'x', { timestamp: 42 });
    expect(e).toMatchObject({
      type: 'message',
      timestamp: 42,
      mode: 'active',
      deliveryContext: { isRedelivery: false },
      source: { type: 'user', userId: USER },
      replyToken: expect.any(String),
      message: { type: 'text', id: expect.stringMatching(/^\d+$/), text: 'x' },
    });
    expect(e.webhookEventId).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(new Set(events.map((ev) => ev.webhookEventId)).size).toBe(events.length);
  });

  it('validator catches sub-type errors hidden behind discriminators', () => {
    const bad = textMessageEvent(line, USER, 'x') as unknown as { message: Record<string, unknown> };
    delete bad.message.text;
    const errors = validateWebhookBody(webhookBody([bad as never]));
    expect(errors).toContainEqual(expect.stringContaining('events[0].message.text'));
    expect(validateWebhookBody({ destination: 'nope', events: [] })).not.toEqual([]);
  });

  it('signs bodies the way the SDK verifies them', () => {
    const raw = JSON.stringify(webhookBody(events));
    const signature = signLineBody(raw, 'channel-secret');
    expect(validateSignature(raw, 'channel-secret', signature)).toBe(true);
    expect(signLineBody(Buffer.from(raw), 'channel-secret')).toBe(signature);
  });
});
