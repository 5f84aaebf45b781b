import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  followEvent,
  postbackEvent,
  textMessageEvent,
  unfollowEvent,
} from '../../adapters/line/fake/line-webhook-events.ts';
import { queryRows } from '../support/db-peek.ts';
import { eventually } from '../support/eventually.ts';
import { ManualClock, tokyo } from '../support/manual-clock.ts';
import { leadIdOf, waitForCard } from '../support/scenario.ts';
import { ADMIN, startTestApp, type TestApp } from '../support/test-app.ts';

/*
 * The whole life of a lead in the default sequences: follow → greeting and 「ご検討時期は？」 →
 * tap → the matching nurture's steps at their moments → a reply pauses → auto-resume → 配信停止
 * → 配信再開 → unfollow stops everything. A manual clock drives the dispatcher.
 */

const REP = 'U0SEQREP001';
const YAMADA = 'Useq0000000000000000000000000001';

// Monday 2026-11-30, 10:00 in Tokyo.
const clock = new ManualClock(tokyo('2026-11-30 10:00'));
let app: TestApp;

const textsOf = (messages: Array<Record<string, unknown>>) => messages.map((m) => String(m.text ?? ''));
const thread = () => app.slack.messages.map((m) => m.text ?? '');
/** Waits until a Slack post contains `text`. */
const shown = (text: string) =>
  eventually(async () => thread().some((t) => t.includes(text)), { what: `a Slack post with ${text}` });

async function dispatch() {
  await app.service.scheduler.runOnce(app.service.jobs.stepDispatch, clock.now());
  await app.service.worker.whenIdle();
}

async function enrolments() {
  return queryRows<{ sequence_id: string; state: string; stop_reason: string | null; next_step: number }>(
    app.service,
    `select e.sequence_id, e.state, e.stop_reason, e.next_step from sequence_enrolments e
     join leads l on l.id = e.lead_id where l.line_user_id = '${YAMADA}'
     order by e.enrolled_at, e.sequence_id <> 'welcome', e.id`,
  );
}

const pushesTo = (user: string) => app.line.pushes.filter((p) => p.to === user);

beforeAll(async () => {
  app = await startTestApp({
    clock,
    env: { SEQUENCES_FILE: '', COMPANY_NAME: '山田工務店', QUIET_HOURS: '21:00-09:00' },
  });
  app.slack.addUser({ id: REP, name: 'sato', displayName: '佐藤' });
  await app.slashCommand(ADMIN, `staff add <@${REP}> rep`);
});
afterAll(async () => {
  await app?.close();
});

describe('step sequences, end to end', () => {
  it('a new friend gets the greeting and 「ご検討時期は？」 free, by the reply token', async () => {
    app.line.setProfile(YAMADA, { displayName: '山田 太郎' });
    await app.lineWebhook([followEvent(app.line, YAMADA, { timestamp: clock.now().getTime() })]);
    await waitForCard(app, YAMADA);
    const reply = await app.line.waitFor(() => app.line.replies[0]);
    const [greeting, question] = reply.messages;
    expect(String(greeting?.text)).toContain('山田 太郎様、友だち追加ありがとうございます。');
    expect(String(greeting?.text)).toContain('山田工務店です。');
    expect(String(question?.text)).toContain('ご検討時期は？');
    const items =
      (question?.quickReply as { items: { action: { label: string; data: string } }[] } | undefined)?.items ??
      [];
    expect(items.map((i) => i.action.label)).toEqual([
      '1ヶ月以内',
      '3ヶ月以内',
      '半年以内',
      '1年以内',
      '1年以上',
      '未定',
    ]);
    expect(items[1]?.action.data).toBe('timing=within_3m');
    expect(pushesTo(YAMADA)).toHaveLength(0);
    await app.service.worker.whenIdle();
    await shown('ステップ配信: 友だち追加のごあいさつ 1/1');
    expect(await enrolments()).toEqual([
      { sequence_id: 'welcome', state: 'completed', stop_reason: null, next_step: 1 },
    ]);
  });

  it('the tap sets the purchase timing, thanks the lead, asks about interests and starts 3ヶ月以内 nurture', async () => {
    await app.lineWebhook([
      postbackEvent(app.line, YAMADA, 'timing=within_3m', { timestamp: clock.now().getTime() }),
    ]);
    const reply = await app.line.waitFor(() => app.line.replies[1]);
    expect(textsOf(reply.messages)[0]).toContain('教えていただきありがとうございます。');
    expect(textsOf(reply.messages)[1]).toBe('特に気になることは？');
    await app.service.worker.whenIdle();
    const [lead] = await queryRows<{ purchase_timing: string; announced_segment: string }>(
      app.service,
      `select purchase_timing, announced_segment from leads where line_user_id = '${YAMADA}'`,
    );
    expect(lead).toEqual({ purchase_timing: '2027-02', announced_segment: 'within_3m' });
    const history = await queryRows<{ reason: string }>(
      app.service,
      `select reason from lead_history where lead_id = '${await leadIdOf(app, YAMADA)}' and fact = 'timing_changed'`,
    );
    expect(history).toEqual([{ reason: 'lead' }]);
    await shown('ご検討時期: 3ヶ月以内');
    expect((await enrolments()).map((e) => [e.sequence_id, e.state])).toEqual([
      ['welcome', 'completed'],
      ['nurture-3m', 'active'],
    ]);
  });

  it('an interest tap is stored as a tag; a foreign postback changes nothing', async () => {
    await app.lineWebhook([
      postbackEvent(app.line, YAMADA, 'interest=資金計画', { timestamp: clock.now().getTime() }),
      postbackEvent(app.line, YAMADA, 'action=buy&item=42', { timestamp: clock.now().getTime() }),
    ]);
    await app.line.waitFor(() => app.line.replies[2]);
    await app.service.worker.whenIdle();
    const tags = await queryRows<{ tag: string; added_by: string }>(
      app.service,
      `select tag, added_by from lead_tags where lead_id = '${await leadIdOf(app, YAMADA)}'`,
    );
    expect(tags).toEqual([{ tag: '資金計画', added_by: 'lead' }]);
    expect(app.line.replies).toHaveLength(3);
  });

  it('nothing is due before the first step: 2 days later at 10:00', async () => {
    clock.set(tokyo('2026-12-02 09:59'));
    await dispatch();
    expect(pushesTo(YAMADA)).toHaveLength(0);
    clock.set(tokyo('2026-12-02 10:00'));
    await dispatch();
    const [push] = pushesTo(YAMADA);
    expect(textsOf(push?.messages ?? [])[0]).toContain('山田 太郎様、こんにちは。山田工務店です。');
    expect(push?.retryKey).toMatch(/^[0-9a-f-]{36}$/);
    await shown('ステップ配信: 3ヶ月以内のお客様へ 1/5');
    // A step message is not a rep's attempt: nothing counts toward the 4-touch rule.
    const [lead] = await queryRows<{ unanswered_attempts: number; last_attempt_at: string | null }>(
      app.service,
      `select unanswered_attempts, last_attempt_at from leads where line_user_id = '${YAMADA}'`,
    );
    expect(lead).toEqual({ unanswered_attempts: 0, last_attempt_at: null });
    const touches = await queryRows<{ n: number }>(
      app.service,
      `select count(*)::int as n from touches where direction = 'outbound'`,
    );
    expect(touches[0]?.n).toBe(0);
  });

  it('the lead writes back: the sequence pauses and the owner is told; a due step waits', async () => {
    clock.set(tokyo('2026-12-03 12:00'));
    await app.lineWebhook([
      textMessageEvent(app.line, YAMADA, '資金計画の相談をしたいです', { timestamp: clock.now().getTime() }),
    ]);
    await app.service.worker.whenIdle();
    await shown('一時停止しました');
    expect((await enrolments())[1]).toMatchObject({
      sequence_id: 'nurture-3m',
      state: 'paused',
      next_step: 1,
    });
    clock.set(tokyo('2026-12-09 10:00'));
    await dispatch();
    expect(pushesTo(YAMADA)).toHaveLength(1);
  });

  it('14 days after the last message it resumes by itself, says so, and the late step goes out', async () => {
    clock.set(tokyo('2026-12-17 11:59'));
    await dispatch();
    expect(pushesTo(YAMADA)).toHaveLength(1);
    clock.set(tokyo('2026-12-17 12:00'));
    await dispatch();
    await shown('14日なかったため');
    await dispatch();
    expect(pushesTo(YAMADA)).toHaveLength(2);
    expect(textsOf(pushesTo(YAMADA)[1]?.messages ?? [])[0]).toContain('土地探しのヒント');
  });

  it('配信停止 stops every sequence, gets one confirmation by reply token, and is not relayed as a question', async () => {
    const relayedBefore = app.slack.messages.filter((m) => m.text?.includes('配信停止')).length;
    await app.lineWebhook([
      textMessageEvent(app.line, YAMADA, '配信停止', { timestamp: clock.now().getTime() }),
    ]);
    const reply = await app.line.waitFor(() => app.line.replies[3]);
    expect(textsOf(reply.messages)[0]).toContain('ステップ配信を停止しました。');
    await app.service.worker.whenIdle();
    expect((await enrolments())[1]).toMatchObject({ state: 'stopped', stop_reason: 'opted_out' });
    const [lead] = await queryRows<{ awaiting: string | null; opted: string | null }>(
      app.service,
      `select awaiting_reply_since as awaiting, opted_out_at as opted from leads where line_user_id = '${YAMADA}'`,
    );
    expect(lead?.opted).not.toBeNull();
    await shown('ステップ配信をすべて停止しました');
    // Shown as the notice, not as the lead's message to answer.
    expect(
      app.slack.messages.filter(
        (m) => m.text?.includes('配信停止') && !m.text.includes('ステップ配信をすべて'),
      ).length,
    ).toBe(relayedBefore);
    clock.set(tokyo('2026-12-28 10:00'));
    await dispatch();
    expect(pushesTo(YAMADA)).toHaveLength(2);
  });

  it('配信再開 reverses it: the nurture of the lead’s segment starts again from its first step', async () => {
    await app.lineWebhook([
      textMessageEvent(app.line, YAMADA, '配信再開', { timestamp: clock.now().getTime() }),
    ]);
    const reply = await app.line.waitFor(() => app.line.replies[4]);
    expect(textsOf(reply.messages)[0]).toContain('ステップ配信を再開しました。');
    await app.service.worker.whenIdle();
    const live = (await enrolments()).filter((e) => e.state === 'active');
    expect(live).toEqual([{ sequence_id: 'nurture-3m', state: 'active', stop_reason: null, next_step: 0 }]);
  });

  it('unfollow stops everything: nothing is sent afterwards', async () => {
    await app.lineWebhook([unfollowEvent(YAMADA, { timestamp: clock.now().getTime() })]);
    await app.service.worker.whenIdle();
    expect((await enrolments()).filter((e) => e.state === 'active' || e.state === 'paused')).toEqual([]);
    expect((await enrolments()).at(-1)).toMatchObject({ state: 'stopped', stop_reason: 'blocked' });
    clock.set(tokyo('2027-06-01 10:00'));
    await dispatch();
    expect(pushesTo(YAMADA)).toHaveLength(2);
  });
});
