import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { followEvent, textMessageEvent } from '../../adapters/line/fake/line-webhook-events.ts';
import type { FakeSlackMessage } from '../../adapters/slack/fake/fake-slack-api.ts';
import { queryRows } from '../support/db-peek.ts';
import { ManualClock, tokyo } from '../support/manual-clock.ts';
import { type LeadCard, leadIdOf, repReply, waitForCard } from '../support/scenario.ts';
import { findElement } from '../support/slack-payloads.ts';
import { ADMIN, startTestApp, TEAM_CHANNEL, type TestApp } from '../support/test-app.ts';

const REP_A = 'U0ALARMREPA';
const REP_B = 'U0ALARMREPB';
const MANAGER_2 = 'U0ALARMMGR2';
const STRANGER = 'U0NOTSTAFF1';
const YAMADA = 'Ualarm00000000000000000000000001';
const SUZUKI = 'Ualarm00000000000000000000000002';
const NIGHT = [
  { user: 'Ualarm00000000000000000000000011', name: '伊藤 一', at: '22:10' },
  { user: 'Ualarm00000000000000000000000012', name: '渡辺 二郎', at: '22:20' },
  { user: 'Ualarm00000000000000000000000013', name: '小林 三郎', at: '22:30' },
];

// Monday 2026-11-30 and the days after it are ordinary working days in Tokyo.
const clock = new ManualClock(tokyo('2026-11-30 17:20'));
let app: TestApp;

/** One fire of the speed-to-lead job at a Tokyo wall time, and everything it queued sent. */
async function fireAt(local: string) {
  clock.set(tokyo(local));
  expect(await app.service.scheduler.runOnce(app.service.jobs.speedToLead, clock.now())).toBe(true);
  await app.service.worker.whenIdle();
}

const inThread = (card: FakeSlackMessage, text: string) =>
  app.slack.thread(card.channel, card.ts).filter((m) => m.text?.includes(text));
const teamAlarms = (text = '') =>
  app.slack.messages.filter(
    (m) =>
      m.channel === TEAM_CHANNEL &&
      !m.threadTs &&
      m.text?.includes('手の空いている人') &&
      m.text.includes(text),
  );
const managerAlarms = (manager: string, text = '') =>
  app.slack.messages.filter(
    (m) =>
      m.channel === app.slack.dmChannelOf(manager) &&
      m.text?.includes('対応状況を確認') &&
      m.text.includes(text),
  );
/** Every alarm any recipient got so far. */
const allAlarms = () =>
  app.slack.messages.filter((m) => m.text?.includes('返信がないまま') || m.text?.includes('まだ返信待ち'));
const ownerOf = async (lineUserId: string) =>
  (
    await queryRows<{ owner_id: string }>(
      app.service,
      `select owner_id from leads where line_user_id = '${lineUserId}'`,
    )
  )[0]?.owner_id;
const ephemeralTexts = () => app.slack.responses.map((r) => String(r.body.text ?? ''));

async function answer(lead: LeadCard, text: string) {
  const pushes = app.line.pushes.length;
  await repReply(app, lead.card, lead.owner, text);
  await app.line.waitFor(() => app.line.pushes.length > pushes);
  await app.service.worker.whenIdle();
}

beforeAll(async () => {
  app = await startTestApp({ clock });
  app.slack.addUser({ id: REP_A, name: 'sato', displayName: '佐藤' });
  app.slack.addUser({ id: REP_B, name: 'kato', displayName: '加藤' });
  app.slack.addUser({ id: MANAGER_2, name: 'mori', displayName: '森' });
  await app.slashCommand(ADMIN, `staff add <@${REP_A}> rep`);
  await app.slashCommand(ADMIN, `staff add <@${REP_B}> rep`);
  await app.slashCommand(ADMIN, `staff add <@${MANAGER_2}> manager`);
});
afterAll(async () => {
  await app?.close();
});

describe('speed-to-lead alarms', () => {
  let yamada: LeadCard;

  it('a message left from yesterday evening gets one alarm per fire, saying how long it really waited', async () => {
    app.line.setProfile(YAMADA, { displayName: '山田 太郎' });
    await app.lineWebhook([
      followEvent(app.line, YAMADA),
      textMessageEvent(app.line, YAMADA, '見積もりをお願いしたいです'),
    ]);
    yamada = await waitForCard(app, YAMADA);
    await app.service.worker.whenIdle();
    // No fire ran overnight (the service was down, or the clock jumped): the first one is at 9:01.
    await fireAt('2026-12-01 09:01');
    expect(allAlarms()).toHaveLength(1);
    const [reminder] = inThread(yamada.card, '営業時間内で41分経過しました');
    expect(reminder?.text).toContain(`<@${yamada.owner}>`);
    // The team hears of it once the owner had the ladder's 10 minutes, the managers 15 after that.
    await fireAt('2026-12-01 09:10');
    expect(allAlarms()).toHaveLength(1);
    await fireAt('2026-12-01 09:11');
    expect(teamAlarms('営業時間内で51分経過しました')).toHaveLength(1);
    await fireAt('2026-12-01 09:25');
    expect(allAlarms()).toHaveLength(2);
    await fireAt('2026-12-01 09:26');
    expect(managerAlarms(ADMIN, '営業時間内で1時間6分経過しました')).toHaveLength(1);
    expect(managerAlarms(MANAGER_2, '営業時間内で1時間6分経過しました')).toHaveLength(1);
    expect(allAlarms()).toHaveLength(4);
  });

  it('after the last step the owner is reminded every hour while the message waits, and no more once answered', async () => {
    await fireAt('2026-12-01 10:25');
    expect(allAlarms()).toHaveLength(4);
    await fireAt('2026-12-01 10:26');
    expect(inThread(yamada.card, 'まだ返信待ちです。営業時間内で2時間6分経過しました')).toHaveLength(1);
    await fireAt('2026-12-01 11:26');
    expect(inThread(yamada.card, 'まだ返信待ちです。営業時間内で3時間6分経過しました')).toHaveLength(1);
    await answer(yamada, 'お見積もりの件、承知しました。');
    await fireAt('2026-12-01 12:26');
    expect(allAlarms()).toHaveLength(6);
  });

  describe('the team alarm’s 代わりに対応する', () => {
    let suzuki: LeadCard;
    let alarm: FakeSlackMessage;
    let leadId: string;
    /** The button as it was posted: a second presser's Slack may still show it. */
    let button: { action_id: string; value: string };
    const press = (userId: string) => app.clickButton(userId, button, alarm);

    it('a reply typed in the team alarm’s thread is answered once with how to help; the alarm has the button', async () => {
      clock.set(tokyo('2026-12-01 13:00'));
      app.line.setProfile(SUZUKI, { displayName: '鈴木 花子' });
      await app.lineWebhook([
        followEvent(app.line, SUZUKI),
        textMessageEvent(app.line, SUZUKI, '土地の相談をしたいです'),
      ]);
      suzuki = await waitForCard(app, SUZUKI);
      leadId = await leadIdOf(app, SUZUKI);
      await fireAt('2026-12-01 13:05');
      await fireAt('2026-12-01 13:15');
      const found = teamAlarms('鈴木 花子');
      expect(found).toHaveLength(1);
      alarm = found[0] as FakeSlackMessage;
      expect(alarm.text).toContain('営業時間内で15分経過しました');

      const helper = suzuki.owner === REP_A ? REP_B : REP_A;
      const typeInAlarmThread = (text: string) => {
        const posted = app.slack.userPost({ channel: TEAM_CHANNEL, user: helper, text, threadTs: alarm.ts });
        return app.slackEvent({
          type: 'message',
          channel: TEAM_CHANNEL,
          channel_type: 'channel',
          user: helper,
          text,
          ts: posted.ts,
          thread_ts: alarm.ts,
        });
      };
      expect((await typeInAlarmThread('私が対応しましょうか？')).status).toBe(200);
      const hint = await app.slack.waitFor(() =>
        app.slack
          .thread(TEAM_CHANNEL, alarm.ts)
          .find((m) => m.ts !== alarm.ts && m.user !== helper && m.text?.includes('代わりに対応する')),
      );
      expect(hint.text).toContain('お客様に届きません');
      expect(hint.text).toContain('リードのスレッドから返信できます');
      expect((await typeInAlarmThread('誰か対応できますか')).status).toBe(200);
      await app.service.worker.whenIdle();
      const botReplies = app.slack
        .thread(TEAM_CHANNEL, alarm.ts)
        .filter((m) => m.ts !== alarm.ts && m.user !== helper);
      expect(botReplies).toEqual([hint]);
      expect(app.line.pushes.filter((p) => p.to === SUZUKI)).toHaveLength(0);
      const { element } = findElement(alarm, 'alarm_take_over');
      expect(element.text).toMatchObject({ text: '代わりに対応する' });
      button = { action_id: 'alarm_take_over', value: String(element.value) };
    });

    it('refuses someone who is not staff, and changes nothing', async () => {
      expect((await press(STRANGER)).status).toBe(200);
      await app.slack.waitFor(() =>
        ephemeralTexts().find((t) => t.includes('スタッフとして登録されていないため、引き継げません')),
      );
      expect(await ownerOf(SUZUKI)).toBe(suzuki.owner);
    });

    it('hands the lead to the first staff member who presses it: history, both threads, and the alarm itself say so', async () => {
      const taker = suzuki.owner === REP_A ? REP_B : REP_A;
      clock.set(tokyo('2026-12-01 13:17'));
      expect((await press(taker)).status).toBe(200);
      await app.slack.waitFor(() =>
        ephemeralTexts().find((t) => t.includes('鈴木 花子さんのリードを引き継ぎました')),
      );
      expect(await ownerOf(SUZUKI)).toBe(taker);
      const history = await app.service.store.history.listForLead(leadId);
      expect(history.at(-1)).toMatchObject({
        fact: 'owner_changed',
        from: suzuki.owner,
        to: taker,
        reason: 'take_over',
        actor: taker,
      });
      await app.service.worker.whenIdle();
      // The previous owner learns it in their thread, by whom.
      expect(inThread(suzuki.card, `<@${taker}> がアラームからこのリードを引き継ぎました`)).toHaveLength(1);
      // The new owner gets the lead's thread in their DM, with what was said so far.
      const taken = await waitForCard(app, SUZUKI);
      expect(taken.owner).toBe(taker);
      expect(taken.card.channel).toBe(app.slack.dmChannelOf(taker));
      expect(inThread(taken.card, '返信待ちのアラームから引き継いだリードです')).toHaveLength(1);
      expect(JSON.stringify(app.slack.thread(taken.card.channel, taken.card.ts))).toContain(
        '土地の相談をしたいです',
      );
      // The alarm is redrawn in place: who took it, and no button left.
      const redrawn = app.slack.messages.find((m) => m.channel === TEAM_CHANNEL && m.ts === alarm.ts);
      expect(redrawn?.updatedAt).toBeDefined();
      expect(redrawn?.text).toContain(`<@${taker}> が代わりに対応しています`);
      expect(JSON.stringify(redrawn?.blocks)).not.toContain('alarm_take_over');
      suzuki = taken;
    });

    it('tells a second presser who already took it, and the new owner can answer the lead', async () => {
      expect((await press(ADMIN)).status).toBe(200);
      await app.slack.waitFor(() =>
        ephemeralTexts().find((t) => t.includes(`このリードはすでに <@${suzuki.owner}> が対応しています`)),
      );
      expect(await ownerOf(SUZUKI)).toBe(suzuki.owner);
      await answer(suzuki, '鈴木様、土地のご相談ですね。');
      expect(app.line.pushes.at(-1)?.to).toBe(SUZUKI);
    });
  });

  it('messages from the night: nothing before opening, one alarm each at opening + 5, and the managers hear of the longest wait first', async () => {
    for (const lead of NIGHT) {
      clock.set(tokyo(`2026-12-01 ${lead.at}`));
      app.line.setProfile(lead.user, { displayName: lead.name });
      await app.lineWebhook([
        followEvent(app.line, lead.user),
        textMessageEvent(app.line, lead.user, 'こんばんは'),
      ]);
      await waitForCard(app, lead.user);
    }
    await app.service.worker.whenIdle();
    const before = allAlarms().length;
    await fireAt('2026-12-01 23:00');
    await fireAt('2026-12-02 09:00');
    expect(allAlarms()).toHaveLength(before);
    await fireAt('2026-12-02 09:05');
    const owners = allAlarms().slice(before);
    expect(owners).toHaveLength(3);
    expect(owners.every((m) => m.text?.includes('営業時間内で5分経過しました'))).toBe(true);
    await fireAt('2026-12-02 09:15');
    expect(teamAlarms('営業時間内で15分経過しました')).toHaveLength(3);
    // Slack turns away the first of the managers' DMs (rate limited): the others wait their turn.
    app.slack.failNext('chat.postMessage', { status: 429, headers: { 'Retry-After': '0' } });
    await fireAt('2026-12-02 09:30');
    for (const manager of [ADMIN, MANAGER_2]) {
      const dms = await app.slack.waitFor(() => {
        const got = managerAlarms(manager, '営業時間内で30分経過しました');
        return got.length === 3 ? got : undefined;
      });
      const order = dms
        .sort((a, b) => Number(a.ts) - Number(b.ts))
        .map((m) => NIGHT.findIndex((lead) => m.text?.includes(lead.name)));
      expect(order).toEqual([0, 1, 2]);
    }
  });
});
