import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { followEvent, textMessageEvent } from '../../adapters/line/fake/line-webhook-events.ts';
import type { FakeSlackMessage } from '../../adapters/slack/fake/fake-slack-api.ts';
import { queryRows } from '../support/db-peek.ts';
import { ManualClock, tokyo } from '../support/manual-clock.ts';
import { leadIdOf, pressOn, repReply, slashCommandAnswer, waitForCard } from '../support/scenario.ts';
import { blockAction, findElement, viewSubmission } from '../support/slack-payloads.ts';
import { ADMIN, startTestApp, TEAM_CHANNEL, type TestApp } from '../support/test-app.ts';

const REP_A = 'U0WEEKREPA1';
const REP_B = 'U0WEEKREPB2';
const YAMADA = 'Uweek000000000000000000000000001';
const SUZUKI = 'Uweek000000000000000000000000002';
const TANAKA = 'Uweek000000000000000000000000003';

// Monday 2026-11-30 in Tokyo; the week has no public holiday.
const clock = new ManualClock(tokyo('2026-11-30 07:50'));
let app: TestApp;

const digestsFor = (rep: string) =>
  app.slack.messages.filter(
    (m) => m.channel === app.slack.dmChannelOf(rep) && m.text?.startsWith('今日の追客'),
  );
const blocksText = (m: FakeSlackMessage | undefined) => JSON.stringify(m?.blocks ?? []);
const leadRow = async (lineUserId: string) =>
  (
    await queryRows<{
      stage: string;
      unanswered_attempts: number;
      escalation_level: number;
      amount_yen: string | null;
      purchase_timing: string | null;
      owner_id: string;
    }>(
      app.service,
      `select stage, unanswered_attempts, escalation_level, amount_yen::text, purchase_timing, owner_id from leads where line_user_id = '${lineUserId}'`,
    )
  )[0];

async function runJob(name: 'morningDigest' | 'speedToLead' | 'purchaseTiming') {
  await app.service.scheduler.runOnce(app.service.jobs[name], clock.now());
}

beforeAll(async () => {
  app = await startTestApp({ clock });
  app.slack.addUser({ id: REP_A, name: 'sato', displayName: '佐藤' });
  app.slack.addUser({ id: REP_B, name: 'kato', displayName: '加藤' });
  await app.slashCommand(ADMIN, `staff add <@${REP_A}> rep`);
  await app.slashCommand(ADMIN, `staff add <@${REP_B}> rep`);
});
afterAll(async () => {
  await app?.close();
});

describe('a week of follow-up', () => {
  it('Monday 07:50, before opening: the lead gets one honest out-of-hours answer, free by reply token', async () => {
    app.line.setProfile(YAMADA, { displayName: '山田 太郎' });
    await app.lineWebhook([
      followEvent(app.line, YAMADA),
      textMessageEvent(app.line, YAMADA, '土地探しから相談できますか？'),
    ]);
    const reply = await app.line.waitFor(() => app.line.replies[0]);
    expect(JSON.stringify(reply.messages)).toContain('営業時間外');
    expect(JSON.stringify(reply.messages)).toContain('11月30日(月) 9:00');
    clock.advanceMinutes(10);
    await app.lineWebhook([textMessageEvent(app.line, YAMADA, '予算は4000万くらいです')]);
    // The webhook answers once its events are stored; whatever they queued is sent before idle.
    await app.service.worker.whenIdle();
    expect(app.line.replies).toHaveLength(1);
    expect(app.line.pushes).toHaveLength(0);
  });

  it('escalates the unanswered message by business minutes: owner at 5, team at 15, managers at 30', async () => {
    const { card, owner } = await waitForCard(app, YAMADA);
    const ownerReminders = () =>
      app.slack.thread(card.channel, card.ts).filter((m) => m.text?.includes('営業時間内で5分経過しました'));
    const teamAlerts = () =>
      app.slack.messages.filter(
        (m) => m.channel === TEAM_CHANNEL && m.text?.includes('営業時間内で15分経過しました'),
      );
    const managerAlerts = () =>
      app.slack.messages.filter(
        // The alarm says how long the message has really waited: the fire came a minute late.
        (m) => m.channel === app.slack.dmChannelOf(ADMIN) && m.text?.includes('営業時間内で31分経過しました'),
      );
    // Each step runs the job and waits until everything it queued has been sent.
    const runAt = async (time: string) => {
      clock.set(tokyo(`2026-11-30 ${time}`));
      expect(await app.service.scheduler.runOnce(app.service.jobs.speedToLead, clock.now())).toBe(true);
      await app.service.worker.whenIdle();
      return [ownerReminders().length, teamAlerts().length, managerAlerts().length];
    };
    expect(await runAt('09:04')).toEqual([0, 0, 0]);
    expect((await leadRow(YAMADA))?.escalation_level).toBe(0);
    expect(await runAt('09:05')).toEqual([1, 0, 0]);
    expect(ownerReminders()[0]?.text).toContain(`<@${owner}>`);
    expect((await leadRow(YAMADA))?.escalation_level).toBe(1);
    expect(await runAt('09:15')).toEqual([1, 1, 0]);
    expect((await leadRow(YAMADA))?.escalation_level).toBe(2);
    expect(await runAt('09:31')).toEqual([1, 1, 1]);
    expect((await leadRow(YAMADA))?.escalation_level).toBe(3);
    // A later fire (a new run, not one the scheduler turns away as already done) escalates nothing
    // again: the lead's own escalation level is what stops it.
    expect(await runAt('09:45')).toEqual([1, 1, 1]);
    expect((await leadRow(YAMADA))?.escalation_level).toBe(3);
  });

  it('lists the waiting lead first in the owner’s morning digest, once per rep even with two replicas', async () => {
    clock.set(tokyo('2026-11-30 09:40'));
    const { owner } = await waitForCard(app, YAMADA);
    // The same fire from two schedulers at once: one run, one digest per rep.
    const fireAt = new Date(tokyo('2026-11-30 09:00'));
    const [first, second] = await Promise.all([
      app.service.scheduler.runOnce(app.service.jobs.morningDigest, fireAt),
      app.service.scheduler.runOnce(app.service.jobs.morningDigest, fireAt),
    ]);
    expect([first, second].filter(Boolean)).toHaveLength(1);
    await app.slack.waitFor(() => digestsFor(REP_A).length === 1 && digestsFor(REP_B).length === 1);
    const digest = digestsFor(owner)[0];
    expect(digest?.text).toContain('今日の追客 11月30日(月)');
    expect(blocksText(digest)).toContain('*返信待ち*');
    expect(blocksText(digest)).toContain('山田 太郎');
    expect(blocksText(digest)).toContain('メッセージに未返信');
    // Running the job again the same day (a restart, a catch-up) sends nothing more.
    await runJob('morningDigest');
    await app.service.scheduler.runOnce(app.service.jobs.morningDigest, new Date(tokyo('2026-11-30 09:01')));
    await app.service.worker.whenIdle();
    expect(digestsFor(REP_A)).toHaveLength(1);
    expect(digestsFor(REP_B)).toHaveLength(1);
  });

  it('clears the wait when the owner answers, and counts the LINE reply as an attempt', async () => {
    const { card, owner } = await waitForCard(app, YAMADA);
    await repReply(app, card, owner, 'はい、土地探しからお手伝いします。');
    await app.line.waitFor(() => app.line.pushes[0]);
    await expect.poll(async () => (await leadRow(YAMADA))?.escalation_level).toBe(0);
    const [row] = await queryRows<{ awaiting: string | null; n: number }>(
      app.service,
      `select awaiting_reply_since::text as awaiting, unanswered_attempts as n from leads where line_user_id = '${YAMADA}'`,
    );
    expect(row).toEqual({ awaiting: null, n: 1 });
  });

  it('sets timing and amount from the card; the card is updated in place', async () => {
    const { card, owner } = await waitForCard(app, YAMADA);
    const leadId = await leadIdOf(app, YAMADA);
    const { element } = findElement(card, 'lead_timing', leadId);
    const option = (element.options as { value: string }[]).find((o) => o.value.endsWith('|1m'));
    await pressOn(app, owner, card, 'lead_timing', leadId, { selected_option: option });
    await expect.poll(async () => (await leadRow(YAMADA))?.purchase_timing).toBe('2026-12');
    await pressOn(app, owner, card, 'lead_amount', leadId);
    const opened = await app.slack.waitFor(() => app.slack.calls.find((c) => c.method === 'views.open'));
    const view = opened.body.view as { callback_id: string; private_metadata: string };
    const bad = await app.interact(
      viewSubmission(owner, view, { amount: { type: 'plain_text_input', value: 'たくさん' } }),
    );
    expect(await bad.json()).toMatchObject({ response_action: 'errors' });
    const good = await app.interact(
      viewSubmission(owner, view, { amount: { type: 'plain_text_input', value: '4,500万' } }),
    );
    expect(good.status).toBe(200);
    await expect.poll(async () => (await leadRow(YAMADA))?.amount_yen).toBe('45000000');
    const updated = await app.slack.waitFor(() => {
      const m = app.slack.messages.find((x) => x.channel === card.channel && x.ts === card.ts);
      return m && blocksText(m).includes('4,500万円') && blocksText(m).includes('1ヶ月以内') ? m : undefined;
    });
    expect(updated.updatedAt).toBeDefined();
  });

  it('refuses another rep’s buttons with a clear message and changes nothing', async () => {
    const { card, owner } = await waitForCard(app, YAMADA);
    const other = owner === REP_A ? REP_B : REP_A;
    const leadId = await leadIdOf(app, YAMADA);
    const refusals = () =>
      app.slack.responses.filter(
        (r) => r.body.text === 'このリードの担当者かマネージャーだけが操作できます。',
      ).length;
    const before = refusals();
    await pressOn(app, other, card, 'lead_won', leadId);
    await app.slack.waitFor(() => refusals() === before + 1);
    await pressOn(app, other, card, 'lead_call', leadId);
    // The refusal is the handler's last word: once it is told, no modal can still be opened.
    await app.slack.waitFor(() => refusals() === before + 2);
    await app.service.worker.whenIdle();
    expect(app.slack.calls.filter((c) => c.method === 'views.open')).toHaveLength(1);
    expect((await leadRow(YAMADA))?.stage).toBe('open');
  });

  it('refuses 失注 before four attempts, logs calls, and moves the lead to nurture after four unanswered', async () => {
    const { card, owner } = await waitForCard(app, YAMADA);
    const leadId = await leadIdOf(app, YAMADA);
    const logCall = async (outcome: string) => {
      const before = app.slack.calls.filter((c) => c.method === 'views.open').length;
      await pressOn(app, owner, card, 'lead_call', leadId);
      const opened = await app.slack.waitFor(
        () => app.slack.calls.filter((c) => c.method === 'views.open')[before],
      );
      const view = opened.body.view as { callback_id: string; private_metadata: string };
      const res = await app.interact(
        viewSubmission(owner, view, {
          outcome: { type: 'radio_buttons', selected_option: { value: outcome } },
          note: { type: 'plain_text_input', value: '不在' },
          next: { type: 'datepicker', selected_date: null },
        }),
      );
      expect(res.status).toBe(200);
    };
    await pressOn(app, owner, card, 'lead_lost', leadId);
    const lostView = (
      await app.slack.waitFor(() =>
        app.slack.calls.find(
          (c) =>
            c.method === 'views.open' &&
            (c.body.view as { callback_id?: string }).callback_id === 'lost_modal',
        ),
      )
    ).body.view as { callback_id: string; private_metadata: string };
    const refused = await app.interact(
      viewSubmission(owner, lostView, {
        reason: { type: 'static_select', selected_option: { value: 'no_response' } },
        note: { type: 'plain_text_input', value: null },
      }),
    );
    const body = (await refused.json()) as { errors: { reason: string } };
    expect(body.errors.reason).toContain('記録された連絡は1回');
    await logCall('no_answer');
    await logCall('no_answer');
    await logCall('left_message');
    await expect.poll(async () => (await leadRow(YAMADA))?.stage).toBe('nurture');
    await app.slack.waitFor(() =>
      app.slack.thread(card.channel, card.ts).find((m) => m.text?.includes('長期フォロー')),
    );
    const closed = await app.interact(
      viewSubmission(owner, lostView, {
        reason: { type: 'static_select', selected_option: { value: 'no_response' } },
        note: { type: 'plain_text_input', value: null },
      }),
    );
    expect(closed.status).toBe(200);
    await expect.poll(async () => (await leadRow(YAMADA))?.stage).toBe('lost');
  });

  it('Tuesday: near-term leads are in 電話・訪問, neglected leads in 放置, holidays get no digest', async () => {
    clock.set(tokyo('2026-11-30 11:00'));
    app.line.setProfile(TANAKA, { displayName: '田中 一郎' });
    await app.lineWebhook([followEvent(app.line, TANAKA)]);
    const tanaka = await waitForCard(app, TANAKA);
    const tanakaId = await leadIdOf(app, TANAKA);
    const near = (
      findElement(tanaka.card, 'lead_timing', tanakaId).element.options as { value: string }[]
    ).find((o) => o.value.endsWith('|1m'));
    await pressOn(app, tanaka.owner, tanaka.card, 'lead_timing', tanakaId, { selected_option: near });
    await expect.poll(async () => (await leadRow(TANAKA))?.purchase_timing).toBe('2026-12');
    // A lead from 40 days ago that nobody touched since.
    clock.set(tokyo('2026-10-21 10:00'));
    app.line.setProfile(SUZUKI, { displayName: '鈴木 花子' });
    await app.lineWebhook([followEvent(app.line, SUZUKI)]);
    const { card, owner } = await waitForCard(app, SUZUKI);
    const leadId = await leadIdOf(app, SUZUKI);
    const { element } = findElement(card, 'lead_timing', leadId);
    const over = (element.options as { value: string }[]).find((o) => o.value.endsWith('|over_1y'));
    await pressOn(app, owner, card, 'lead_timing', leadId, { selected_option: over });
    await expect.poll(async () => (await leadRow(SUZUKI))?.purchase_timing).not.toBeNull();
    await queryRows(
      app.service,
      `update leads set last_attempt_at = now() - interval '40 days', last_touch_at = now() - interval '40 days' where line_user_id = '${SUZUKI}'`,
    );
    clock.set(tokyo('2026-12-01 09:00'));
    await runJob('morningDigest');
    const digest = await app.slack.waitFor(() =>
      digestsFor(owner).find((m) => m.text?.includes('12月1日(火)')),
    );
    expect(blocksText(digest)).toContain('*放置*');
    expect(blocksText(digest)).toContain('鈴木 花子');
    const tanakaDigest = await app.slack.waitFor(() =>
      digestsFor(tanaka.owner).find((m) => m.text?.includes('12月1日(火)')),
    );
    expect(blocksText(tanakaDigest)).toContain('*電話・訪問*');
    expect(blocksText(tanakaDigest)).toMatch(/田中 一郎.*1ヶ月以内/);
    // 2026-11-23 (勤労感謝の日) is a public holiday: the digest job sends nothing.
    await app.slack.waitFor(() => digestsFor(ADMIN).find((m) => m.text?.includes('12月1日(火)')));
    await app.service.worker.whenIdle();
    const before = app.slack.messages.length;
    expect(
      await app.service.scheduler.runOnce(
        app.service.jobs.morningDigest,
        new Date(tokyo('2026-11-23 09:00')),
      ),
    ).toBe(true);
    await app.service.worker.whenIdle();
    expect(app.slack.messages.length).toBe(before);
  });

  it('/tsuikyaku today and /tsuikyaku lead show the same list and cards on demand', async () => {
    const { owner } = await waitForCard(app, SUZUKI);
    const today = await slashCommandAnswer(app, owner, 'today');
    expect(today.text).toContain('今日の追客 12月1日(火)');
    expect(blocksText(today as FakeSlackMessage)).toContain('*放置*');
    expect(blocksText(today as FakeSlackMessage)).toContain('鈴木 花子');
    // The same list as this morning's digest: nothing changed since it was sent.
    const morning = digestsFor(owner).find((m) => m.text?.includes('12月1日(火)'));
    expect(today.blocks).toEqual(morning?.blocks);
    const lead = await app.slashCommand(owner, 'lead 鈴木');
    expect(lead.text).toBe('鈴木');
    const none = await app.slashCommand(owner, 'lead 存在しない名前');
    expect(none.text).toContain('見つかりませんでした');
    expect((await app.slashCommand('U0STRANGER', 'today')).text).toContain('登録されていません');
  });

  it('paginates a long digest within Slack’s block limits, with a more button', async () => {
    clock.set(tokyo('2026-12-02 08:00'));
    for (let i = 0; i < 44; i++) {
      const user = `Upage${String(i).padStart(27, '0')}`;
      app.line.setProfile(user, { displayName: `見込み客 ${i + 1}` });
      expect((await app.lineWebhook([followEvent(app.line, user)])).status).toBe(200);
    }
    await app.slack.waitFor(
      () => app.slack.messages.filter((m) => m.text?.startsWith('新しいリード: 見込み客')).length === 44,
      15_000,
    );
    clock.set(tokyo('2026-12-02 09:00'));
    await runJob('morningDigest');
    const digest = await app.slack.waitFor(() =>
      digestsFor(REP_A).find((m) => m.text?.includes('12月2日(水)')),
    );
    expect(digest.blocks?.length).toBeLessThanOrEqual(50);
    expect(blocksText(digest)).toContain('もっと見る');
    expect(blocksText(digest)).toMatch(/全\d+件中 1〜20件目/);
    const more = findElement(digest, 'digest_page');
    await app.interact(
      blockAction(REP_A, digest, { ...more.element, block_id: more.blockId }, app.slack.responseUrl('page2')),
    );
    const page2 = await app.slack.waitFor(() => app.slack.responses.find((r) => r.id === 'page2'));
    expect(page2.body.replace_original).toBe(true);
    expect(JSON.stringify(page2.body.blocks)).toMatch(/全\d+件中 21〜/);
  });

  it('成約 with a handover date makes a past customer whose after-sales follow-ups reach the digest', async () => {
    clock.set(tokyo('2026-12-03 10:00'));
    const { card, owner } = await waitForCard(app, TANAKA);
    const leadId = await leadIdOf(app, TANAKA);
    await pressOn(app, owner, card, 'lead_won', leadId);
    const wonView = (
      await app.slack.waitFor(() =>
        app.slack.calls.find(
          (c) =>
            c.method === 'views.open' &&
            (c.body.view as { callback_id?: string }).callback_id === 'won_modal',
        ),
      )
    ).body.view as { callback_id: string; private_metadata: string };
    const res = await app.interact(
      viewSubmission(owner, wonView, { handover: { type: 'datepicker', selected_date: '2026-11-04' } }),
    );
    expect(res.status).toBe(200);
    await expect.poll(async () => (await leadRow(TANAKA))?.stage).toBe('won');
    const [row] = await queryRows<{ kind: string; handover_date: string }>(
      app.service,
      `select kind, handover_date from leads where line_user_id = '${TANAKA}'`,
    );
    expect(row).toEqual({ kind: 'customer', handover_date: '2026-11-04' });
    // One month after the handover the customer is due for after-sales contact.
    clock.set(tokyo('2026-12-04 09:00'));
    await runJob('morningDigest');
    const digest = await app.slack.waitFor(() =>
      digestsFor(owner).find((m) => m.text?.includes('12月4日(金)')),
    );
    expect(blocksText(digest)).toMatch(/田中 一郎[^"]*\\n[^"]*アフターフォロー/);
  });

  it('tells the owner when a lead ages into a nearer purchase-timing segment, once', async () => {
    const ito = 'Uweek000000000000000000000000004';
    clock.set(tokyo('2026-12-07 10:00'));
    app.line.setProfile(ito, { displayName: '伊藤 健' });
    await app.lineWebhook([followEvent(app.line, ito)]);
    const { card, owner } = await waitForCard(app, ito);
    const leadId = await leadIdOf(app, ito);
    const sixMonths = (findElement(card, 'lead_timing', leadId).element.options as { value: string }[]).find(
      (o) => o.value.endsWith('|6m'),
    );
    await pressOn(app, owner, card, 'lead_timing', leadId, { selected_option: sixMonths });
    await expect.poll(async () => (await leadRow(ito))?.purchase_timing).toBe('2027-06');
    await runJob('purchaseTiming');
    // Three months later the same lead is within 3 months, by itself.
    clock.set(tokyo('2027-03-08 08:30'));
    await runJob('purchaseTiming');
    const notice = await app.slack.waitFor(() =>
      app.slack.thread(card.channel, card.ts).find((m) => m.text?.includes('検討時期が近づきました')),
    );
    expect(notice.text).toContain('半年以内 → 3ヶ月以内');
    clock.set(tokyo('2027-03-09 08:30'));
    await runJob('purchaseTiming');
    await app.service.worker.whenIdle();
    expect(
      app.slack.thread(card.channel, card.ts).filter((m) => m.text?.includes('検討時期が近づきました')),
    ).toHaveLength(1);
  });

  it('after a restart, catches up a morning digest whose run died midway, and sends it once', async () => {
    clock.set(tokyo('2027-03-10 11:00'));
    const fireAt = new Date(tokyo('2027-03-10 09:00'));
    // The run was claimed by a replica that died before it finished.
    await queryRows(
      app.service,
      `insert into cron_runs (key, job, started_at) values ('morning-digest:${fireAt.toISOString()}', 'morning-digest', now() - interval '1 hour')`,
    );
    await app.service.scheduler.catchUp([app.service.jobs.morningDigest]);
    await app.slack.waitFor(() => digestsFor(REP_A).find((m) => m.text?.includes('3月10日(水)')));
    await app.service.scheduler.catchUp([app.service.jobs.morningDigest]);
    await app.service.worker.whenIdle();
    expect(digestsFor(REP_A).filter((m) => m.text?.includes('3月10日(水)'))).toHaveLength(1);
    expect(digestsFor(REP_B).filter((m) => m.text?.includes('3月10日(水)'))).toHaveLength(1);
  });
});
