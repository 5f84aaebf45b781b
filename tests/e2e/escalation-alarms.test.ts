import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { followEvent, textMessageEvent } from '../../adapters/line/fake/line-webhook-events.ts';
import type { FakeSlackMessage } from '../../adapters/slack/fake/fake-slack-api.ts';
import { ManualClock, tokyo } from '../support/manual-clock.ts';
import { type LeadCard, repReply, waitForCard } from '../support/scenario.ts';
import { ADMIN, startTestApp, TEAM_CHANNEL, type TestApp } from '../support/test-app.ts';

const REP_A = 'U0ALARMREPA';
const REP_B = 'U0ALARMREPB';
const MANAGER_2 = 'U0ALARMMGR2';
const YAMADA = 'Ualarm00000000000000000000000001';
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
