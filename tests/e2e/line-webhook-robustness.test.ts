import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signLineBody, textMessageEvent, webhookBody } from '../../adapters/line/fake/line-webhook-events.ts';
import { countRows, queryRows } from '../support/db-peek.ts';
import { befriend, waitForCard } from '../support/scenario.ts';
import { ADMIN, LINE_SECRET, startTestApp, type TestApp } from '../support/test-app.ts';

const REP = 'U0ROBUST001';
let app: TestApp;

beforeAll(async () => {
  app = await startTestApp();
  await app.slashCommand(ADMIN, `staff add <@${REP}> rep`);
});

afterAll(async () => {
  await app.close();
});

const user = (n: number) => `Urobust${String(n).padStart(25, '0')}`;

/** Posts a webhook whose JSON text is given as is (escapes such as \\ud800 survive), signed. */
async function postRaw(raw: string) {
  return fetch(`${app.url}/webhooks/line`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-line-signature': signLineBody(raw, LINE_SECRET) },
    body: raw,
  });
}

async function deadLetters(key: string) {
  return queryRows<{ reason: string; raw: string }>(
    app.service,
    `select reason, raw from dead_letters where dedupe_key = '${key}'`,
  );
}

describe('one bad event loses nothing else', () => {
  it('stores text with a NUL or a lone surrogate, with U+FFFD in their place', async () => {
    const lead = user(1);
    const { card } = await befriend(app, lead);
    const nul = textMessageEvent(app.line, lead, 'NUL\u0000入り');
    const lone = textMessageEvent(app.line, lead, 'LONE_SURROGATE');
    const raw = JSON.stringify(webhookBody([nul, lone])).replace('LONE_SURROGATE', 'lone\\ud800入り');
    const res = await postRaw(raw);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ stored: 2, duplicates: 0 });
    expect(await countRows(app.service, 'messages', `text = 'NUL\ufffd入り'`)).toBe(1);
    expect(await countRows(app.service, 'messages', `text = 'lone\ufffd入り'`)).toBe(1);
    await app.slack.waitFor(() =>
      app.slack.thread(card.channel, card.ts).find((m) => m.text === 'lone\ufffd入り'),
    );
  });

  it.each([
    ['a timestamp of 1e20', (e: Record<string, unknown>) => Object.assign(e, { timestamp: 1e20 })],
    ['no timestamp', (e: Record<string, unknown>) => Object.assign(e, { timestamp: undefined })],
    // JSON.stringify would overflow the stack on this: the marker is replaced in the JSON text.
    ['a nesting depth of 10,000', (e: Record<string, unknown>) => Object.assign(e, { extra: 'DEEP' })],
  ])('keeps an event with %s in dead_letters and stores the valid events beside it', async (label, spoil) => {
    const lead = user(label.length + 10);
    await befriend(app, lead);
    const good = textMessageEvent(app.line, lead, `正常なメッセージ ${label}`);
    const bad = spoil(
      textMessageEvent(app.line, lead, `壊れたイベント ${label}`) as unknown as Record<string, unknown>,
    );
    const deep = `${'['.repeat(10_000)}"bottom"${']'.repeat(10_000)}`;
    const raw = JSON.stringify(webhookBody([bad, good] as never)).replace('"DEEP"', deep);
    for (let delivery = 0; delivery < 2; delivery++) {
      const res = await postRaw(raw);
      expect(res.status).toBe(200);
      expect((await res.json()) as object).toMatchObject({ deadLettered: 1 });
    }
    expect(await countRows(app.service, 'messages', `text = '正常なメッセージ ${label}'`)).toBe(1);
    expect(await countRows(app.service, 'messages', `text = '壊れたイベント ${label}'`)).toBe(0);
    const letters = await deadLetters(String(bad.webhookEventId));
    expect(letters).toHaveLength(1);
    expect(letters[0]?.raw).toContain(`壊れたイベント ${label}`);
    expect(letters[0]?.reason).not.toBe('');
  });

  it('answers 400 only when the body itself is not a webhook', async () => {
    for (const raw of ['not json', '[]', '{"destination":"U1","events":{}}', '{"events":[]}']) {
      const res = await postRaw(raw);
      expect(res.status).toBe(400);
    }
    const empty = await postRaw('{"destination":"Udeadbeef","events":[]}');
    expect(empty.status).toBe(200);
  });

  it('stores a LINE display name with a NUL, and the lead’s later rows go on', async () => {
    const lead = user(2);
    app.line.setProfile(lead, { displayName: '名前\u0000NUL' });
    const { card } = await befriend(app, lead);
    const res = await app.lineWebhook([textMessageEvent(app.line, lead, 'プロフィールの後')]);
    expect(res.status).toBe(200);
    await app.slack.waitFor(() =>
      app.slack.thread(card.channel, card.ts).find((m) => m.text === 'プロフィールの後'),
    );
    await app.service.worker.whenIdle();
    expect(await countRows(app.service, 'leads', `display_name = '名前\ufffdNUL'`)).toBe(1);
    expect(await countRows(app.service, 'outbox', `status = 'failed' and kind = 'line.profile'`)).toBe(0);
    const again = await waitForCard(app, lead);
    expect(again.card.ts).toBe(card.ts);
  });
});
