import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FakeLineApi } from '../../../adapters/line/fake/fake-line-api.ts';
import { startFakeLineApi } from '../../../adapters/line/fake/fake-line-api.ts';
import { createLineMessenger } from '../../../adapters/line/line-messenger.ts';
import type { LineMessage } from '../../../src/domain/sequences/line-message-schema.ts';
import { DeliveryError } from '../../../src/errors.ts';
import type { LineMessenger } from '../../../src/ports.ts';

const TOKEN = 'test-channel-access-token';
const userId = (n: number) => `U${String(n).padStart(32, '0')}`;
const USER = userId(1);
const step: LineMessage[] = [
  { type: 'text', text: '先日はお問い合わせありがとうございました。' },
  { type: 'sticker', packageId: '446', stickerId: '1988' },
];

let fake: FakeLineApi;
let line: LineMessenger;

beforeAll(async () => {
  fake = await startFakeLineApi({ channelAccessToken: TOKEN });
  line = createLineMessenger({ channelAccessToken: TOKEN, apiBaseUrl: fake.url });
});
afterEach(() => fake.reset());
afterAll(() => fake.close());

/** What the call threw, so its fields can be asserted; fails the test when it did not throw. */
async function thrown(promise: Promise<unknown>): Promise<DeliveryError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DeliveryError);
  return error as DeliveryError;
}

describe('pushMessages', () => {
  it('sends the step messages once per retry key; a repeat (409) returns as delivered', async () => {
    const retryKey = randomUUID();
    await line.pushMessages({ to: USER, messages: step, retryKey });
    await line.pushMessages({ to: USER, messages: step, retryKey });
    expect(fake.pushes).toMatchObject([{ to: USER, messages: step, retryKey }]);
    expect(fake.calls.map((c) => c.status)).toEqual([200, 409]);
    expect(fake.calls.every((c) => c.valid)).toBe(true);
  });

  it('reports a message LINE refuses as never worth retrying', async () => {
    const bad = [{ type: 'text', text: '' }] as LineMessage[];
    const error = await thrown(line.pushMessages({ to: USER, messages: bad, retryKey: randomUUID() }));
    expect(error).toMatchObject({ retry: 'never', status: 400, monthlyLimit: false });
    expect(fake.pushes).toHaveLength(0);
  });
});

describe('multicast', () => {
  const to = [userId(1), userId(2), userId(3)];

  it('sends to every recipient in one request, each counted in the month’s consumption', async () => {
    const retryKey = randomUUID();
    await line.multicast({ to, messages: step, retryKey });
    expect(fake.multicasts).toMatchObject([{ to, messages: step, retryKey }]);
    expect(await line.getQuota()).toEqual({ limit: null, used: 3 });
  });

  it('returns as delivered when the retry key was accepted already (409), counting once', async () => {
    const retryKey = randomUUID();
    await line.multicast({ to, messages: step, retryKey });
    await line.multicast({ to, messages: step, retryKey });
    expect(fake.multicasts).toHaveLength(1);
    expect(fake.calls.map((c) => c.status)).toEqual([200, 409]);
    expect(fake.calls[1]?.headers['x-line-retry-key']).toBe(retryKey);
    expect((await line.getQuota()).used).toBe(3);
  });
});

describe('replyMessages', () => {
  it('replies with a webhook reply token', async () => {
    const replyToken = fake.issueReplyToken();
    await line.replyMessages({ replyToken, messages: step });
    expect(fake.replies).toMatchObject([{ replyToken, messages: step }]);
  });

  it('reports a used reply token as never worth retrying', async () => {
    const replyToken = fake.issueReplyToken();
    await line.replyMessages({ replyToken, messages: step });
    const error = await thrown(line.replyMessages({ replyToken, messages: step }));
    expect(error).toMatchObject({ retry: 'never', status: 400 });
  });
});

describe('getQuota', () => {
  it('reads no limit as null, with the month’s consumption', async () => {
    await line.pushMessages({ to: USER, messages: step, retryKey: randomUUID() });
    expect(await line.getQuota()).toEqual({ limit: null, used: 1 });
  });

  it('reads a limited plan’s limit, counting what went out before', async () => {
    fake.setQuota(200);
    fake.setConsumption(150);
    await line.pushMessages({ to: USER, messages: step, retryKey: randomUUID() });
    expect(await line.getQuota()).toEqual({ limit: 200, used: 151 });
    expect(fake.calls.map((c) => c.path).sort()).toEqual([
      '/v2/bot/message/push',
      '/v2/bot/message/quota',
      '/v2/bot/message/quota/consumption',
    ]);
  });

  it('throws a DeliveryError when either request fails', async () => {
    fake.failNext('consumption', { status: 500 });
    const error = await thrown(line.getQuota());
    expect(error).toMatchObject({ retry: 'later', status: 500 });
  });
});

describe('the monthly limit', () => {
  it('refuses a push past the limit with monthlyLimit set, and the push is not accepted', async () => {
    fake.setQuota(1);
    await line.pushMessages({ to: USER, messages: step, retryKey: randomUUID() });
    const retryKey = randomUUID();
    const error = await thrown(line.pushMessages({ to: userId(2), messages: step, retryKey }));
    expect(error).toMatchObject({ retry: 'later', status: 429, monthlyLimit: true });
    expect(error.message).toContain('You have reached your monthly limit.');
    expect(fake.pushes.map((p) => p.to)).toEqual([USER]);

    // The refused request did not use up its retry key: with room again, the same key goes through.
    fake.setQuota(2);
    await line.pushMessages({ to: userId(2), messages: step, retryKey });
    expect(fake.pushes.map((p) => p.to)).toEqual([USER, userId(2)]);
  });

  it('refuses a multicast with more recipients than the messages left, sending to none', async () => {
    fake.setQuota(10);
    fake.setConsumption(8);
    const to = [userId(1), userId(2), userId(3)];
    const error = await thrown(line.multicast({ to, messages: step, retryKey: randomUUID() }));
    expect(error).toMatchObject({ status: 429, monthlyLimit: true });
    expect(fake.multicasts).toHaveLength(0);
    await line.multicast({ to: to.slice(0, 2), messages: step, retryKey: randomUUID() });
    expect(await line.getQuota()).toEqual({ limit: 10, used: 10 });
  });

  it('never refuses a reply: replies are free', async () => {
    fake.setQuota(5);
    fake.setConsumption(5);
    const replyToken = fake.issueReplyToken();
    await line.replyMessages({ replyToken, messages: step });
    expect(fake.replies).toHaveLength(1);
    expect(await line.getQuota()).toEqual({ limit: 5, used: 5 });
  });

  it('recognises LINE’s monthly-limit message whatever its case', async () => {
    fake.failNext('push', { status: 429, body: { message: 'You have reached your MONTHLY LIMIT' } });
    const error = await thrown(line.pushMessages({ to: USER, messages: step, retryKey: randomUUID() }));
    expect(error).toMatchObject({ retry: 'later', status: 429, monthlyLimit: true });
  });

  it('leaves other 429s as rate limits, honouring Retry-After', async () => {
    fake.failNext('push', {
      status: 429,
      body: { message: 'The API rate limit has been exceeded. Try again later.' },
      headers: { 'retry-after': '2' },
    });
    const error = await thrown(line.pushMessages({ to: USER, messages: step, retryKey: randomUUID() }));
    expect(error).toMatchObject({ retry: 'later', status: 429, retryAfterMs: 2000, monthlyLimit: false });
  });

  it('retries a rate limit without Retry-After after a second, since the limit is per second', async () => {
    fake.failNext('push', {
      status: 429,
      body: { message: 'The API rate limit has been exceeded. Try again later.' },
    });
    const error = await thrown(line.pushMessages({ to: USER, messages: step, retryKey: randomUUID() }));
    expect(error).toMatchObject({ retry: 'later', status: 429, retryAfterMs: 1000, monthlyLimit: false });
    // A server error without Retry-After keeps the worker's growing backoff.
    fake.failNext('push', { status: 503 });
    const unavailable = await thrown(line.pushMessages({ to: USER, messages: step, retryKey: randomUUID() }));
    expect(unavailable).toMatchObject({ retry: 'later', status: 503, retryAfterMs: undefined });
  });
});

describe('rate limits', () => {
  // The fake's clock stands still unless a test moves it, so "at once" is exact on any machine.
  let clock = Date.parse('2026-11-30T09:00:00+09:00');
  let limited: FakeLineApi;
  let limitedLine: LineMessenger;

  beforeAll(async () => {
    limited = await startFakeLineApi({
      channelAccessToken: TOKEN,
      now: () => clock,
      rateLimits: { pushPerSecond: 2, multicastPerSecond: 1 },
    });
    limitedLine = createLineMessenger({ channelAccessToken: TOKEN, apiBaseUrl: limited.url });
  });
  afterEach(() => limited.reset());
  afterAll(() => limited.close());

  const push = (n: number) =>
    limitedLine.pushMessages({ to: userId(n), messages: step, retryKey: randomUUID() });

  it('refuses the pushes over the limit within a second, as a rate limit', async () => {
    const results = await Promise.allSettled([push(1), push(2), push(3)]);
    const refused = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    expect(refused).toHaveLength(1);
    expect(refused[0]).toBeInstanceOf(DeliveryError);
    expect(refused[0]).toMatchObject({ retry: 'later', status: 429, monthlyLimit: false });
    expect((refused[0] as DeliveryError).message).toContain('The API rate limit has been exceeded');
    expect(limited.pushes).toHaveLength(2);

    clock += 999;
    expect(await thrown(push(4))).toMatchObject({ status: 429, monthlyLimit: false });
    clock += 1;
    await Promise.all([push(5), push(6)]);
    expect(limited.pushes).toHaveLength(4);
  });

  it('limits multicast requests on their own, whatever the pushes do', async () => {
    const to = [userId(1), userId(2)];
    await Promise.all([push(1), push(2)]);
    await limitedLine.multicast({ to, messages: step, retryKey: randomUUID() });
    const retryKey = randomUUID();
    const error = await thrown(limitedLine.multicast({ to, messages: step, retryKey }));
    expect(error).toMatchObject({ status: 429, monthlyLimit: false });
    expect(limited.multicasts).toHaveLength(1);

    // Refused, so its retry key is still free.
    clock += 1000;
    await limitedLine.multicast({ to, messages: step, retryKey });
    expect(limited.multicasts.map((m) => m.retryKey)).toContain(retryKey);
    expect(limited.multicasts).toHaveLength(2);
  });
});
