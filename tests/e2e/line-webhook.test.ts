import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  followEvent,
  postbackEvent,
  textMessageEvent,
  validateWebhookBody,
  webhookBody,
} from '../../adapters/line/fake/line-webhook-events.ts';
import { countRows, queryRows } from '../support/db-peek.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

let app: TestApp;
let userSeq = 0;
const newUser = () => `U${(++userSeq).toString(16).padStart(32, 'a')}`;

beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});
beforeEach(() => {
  app.line.reset();
  app.slack.reset();
});

describe('POST /webhooks/line', () => {
  it('rejects a missing signature with 401 and stores nothing', async () => {
    const before = await countRows(app.service, 'line_webhook_events');
    const raw = JSON.stringify(webhookBody([followEvent(app.line, newUser())]));
    const res = await fetch(`${app.url}/webhooks/line`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: raw,
    });
    expect(res.status).toBe(401);
    expect(await countRows(app.service, 'line_webhook_events')).toBe(before);
  });

  it('rejects a wrong signature and a body changed after signing', async () => {
    const before = await countRows(app.service, 'line_webhook_events');
    const wrong = await app.lineWebhook([followEvent(app.line, newUser())], { signature: 'AAAA' });
    expect(wrong.status).toBe(401);
    const raw = JSON.stringify(webhookBody([followEvent(app.line, newUser())]));
    const { signLineBody } = await import('../../adapters/line/fake/line-webhook-events.ts');
    const tampered = await app.lineWebhook([], {
      rawBody: `${raw} `,
      signature: signLineBody(raw, 'test-line-channel-secret'),
    });
    expect(tampered.status).toBe(401);
    expect(await countRows(app.service, 'line_webhook_events')).toBe(before);
  });

  it('answers malformed JSON with a valid signature with 400', async () => {
    const res = await app.lineWebhook([], { rawBody: '{"events": [' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'bad_request' });
  });

  it('answers a body that is not a webhook with 400 and says what is wrong', async () => {
    const res = await app.lineWebhook([], {
      rawBody: JSON.stringify({ destination: 'U1', events: { type: 'follow' } }),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { details: string[] };
    expect(body.details.join(' ')).toContain('events');
  });

  it('keeps a malformed event in dead_letters with the reason, and answers 200 for the webhook', async () => {
    const res = await app.lineWebhook([], {
      rawBody: JSON.stringify({ destination: 'U1', events: [{ type: 'follow' }] }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ stored: 0, deadLettered: 1 });
    const [letter] = await queryRows<{ reason: string }>(
      app.service,
      `select reason from dead_letters where raw = '{"type":"follow"}'`,
    );
    expect(letter?.reason).toContain('webhookEventId');
  });

  it('answers the empty verification request with 200', async () => {
    const res = await app.lineWebhook([]);
    expect(res.status).toBe(200);
  });

  it('stores an unknown event type once and ignores it without a 5xx', async () => {
    const event = { ...postbackEvent(app.line, newUser(), 'x=1'), type: 'somethingNew' };
    const res = await app.lineWebhook([event]);
    expect(res.status).toBe(200);
    expect(await countRows(app.service, 'line_webhook_events', `type = 'somethingNew'`)).toBe(1);
  });

  it('absorbs a redelivered event: stored once, relayed once', async () => {
    const user = newUser();
    const follow = followEvent(app.line, user);
    const message = textMessageEvent(app.line, user, '一度だけ届くはず');
    expect((await app.lineWebhook([follow, message])).status).toBe(200);
    const again = { ...message, deliveryContext: { isRedelivery: true } };
    expect((await app.lineWebhook([again])).status).toBe(200);
    await app.slack.waitFor(() => app.slack.messages.find((m) => m.text === '一度だけ届くはず'));
    await app.service.worker.whenIdle();
    expect(app.slack.messages.filter((m) => m.text === '一度だけ届くはず')).toHaveLength(1);
    expect(
      await countRows(app.service, 'line_webhook_events', `webhook_event_id = '${message.webhookEventId}'`),
    ).toBe(1);
  });

  it('absorbs concurrent duplicate deliveries atomically', async () => {
    const user = newUser();
    const message = textMessageEvent(app.line, user, '同時に10回');
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => app.lineWebhook([followEvent(app.line, user), message])),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(10).fill(200));
    await app.slack.waitFor(() => app.slack.messages.find((m) => m.text === '同時に10回'));
    await app.service.worker.whenIdle();
    expect(app.slack.messages.filter((m) => m.text === '同時に10回')).toHaveLength(1);
    expect(await countRows(app.service, 'leads', `line_user_id = '${user}'`)).toBe(1);
    expect(await countRows(app.service, 'messages', `text = '同時に10回'`)).toBe(1);
  });

  it('answers before any slow work: a LINE profile call that never ends does not hold the webhook', async () => {
    // An app whose outbound calls never time out: a webhook that waited for the profile would
    // never be answered, and the test would fail by its own timeout (no guess at a fast answer).
    const own = await startTestApp({ env: { OUTBOUND_TIMEOUT_MS: String(60 * 60_000) } });
    try {
      const user = newUser();
      own.line.failNext('profile', 'hang');
      const res = await own.lineWebhook([followEvent(own.line, user)]);
      expect(res.status).toBe(200);
      expect(await countRows(own.service, 'leads', `line_user_id = '${user}'`)).toBe(1);
      // The profile call is made, and hangs; the lead's next message is answered all the same.
      await own.line.waitFor(() =>
        own.line.calls.find((c) => c.path.includes('/profile/') && c.status === 0),
      );
      const next = await own.lineWebhook([textMessageEvent(own.line, user, 'プロフィール取得中')]);
      expect(next.status).toBe(200);
      expect(await countRows(own.service, 'messages', `text = 'プロフィール取得中'`)).toBe(1);
    } finally {
      // Closing the fake drops the hung call, so the worker has nothing left in flight to wait for.
      await own.line.close();
      await own.close();
    }
  });

  it('sends spec-valid webhook bodies in these tests', () => {
    expect(
      validateWebhookBody(
        webhookBody([followEvent(app.line, newUser()), textMessageEvent(app.line, newUser(), 'x')]),
      ),
    ).toEqual([]);
  });
});
