import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statsRepository } from '../../db/repositories/stats-repository.ts';
import type { Lead } from '../../src/domain/lead.ts';
import { parsePeriod, type ReportPeriod } from '../../src/domain/report-period.ts';
import { businessCalendarOf } from '../../src/service.ts';
import { statsScope, trendMondays } from '../../src/use-cases/stats/team-stats.ts';
import { eventually } from '../support/eventually.ts';
import { aPolicy } from '../support/factories.ts';
import { ManualClock, tokyo } from '../support/manual-clock.ts';
import { Seeder } from '../support/seeder.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

/*
 * `/tsuikyaku stats` on a hand-built week, 2026-11-02 (Mon) to 11-08 (Sun), in Tokyo, open 9:00 to
 * 18:00 on weekdays; 11-03 is a holiday (文化の日). Every expected figure is worked out below by
 * hand from the facts seeded; the command is run over HTTP and read back from the response_url.
 */

const [R1, R2, MANAGER] = ['U0STATSR001', 'U0STATSR002', 'U0STATSM001'];
const PERIOD = '2026-11-02..2026-11-08';
const at = (local: string) => new Date(tokyo(local));
let app: TestApp;
let clock: ManualClock;
const leads: Record<string, Lead> = {};

beforeAll(async () => {
  clock = new ManualClock(tokyo('2026-11-10 10:00'));
  app = await startTestApp({ clock });
  const seed = new Seeder(app.service.store);
  await seed.staff({ slackUserId: R1, role: 'rep', displayName: 'r1' });
  await seed.staff({ slackUserId: R2, role: 'rep', displayName: 'r2' });
  await seed.staff({ slackUserId: MANAGER, role: 'manager', displayName: 'm' });
  const lead = async (name: string, ownerId: string, createdAt: string, extra: Partial<Lead> = {}) => {
    leads[name] = await seed.lead({ displayName: name, ownerId, ...extra }, at(createdAt));
    return leads[name] as Lead;
  };
  const stage = async (l: Lead, from: Lead['stage'], to: Lead['stage'], when: string, actor: string) => {
    await app.service.store.leads.patch(l.id, { stage: to }, at(when));
    const reason = to === 'nurture' ? 'unanswered_attempts' : to;
    await seed.fact(
      l,
      { fact: 'stage_changed', from, to, reason: reason as 'won', note: null },
      at(when),
      actor,
    );
  };

  // L1: arrives Monday 10:00, R1 answers on LINE at 10:03: 3 business minutes (5分未満).
  const l1 = await lead('L1', R1, '2026-10-26 09:00', { purchaseTiming: '2026-11', amountYen: 35_000_000 });
  await seed.touch(l1, {
    channel: 'line',
    direction: 'inbound',
    outcome: 'replied',
    at: at('2026-11-02 10:00'),
  });
  await seed.touch(l1, {
    channel: 'line',
    direction: 'outbound',
    outcome: 'sent',
    authorId: R1,
    at: at('2026-11-02 10:03'),
  });
  // Moved to a nearer segment in the period.
  const timing = (t: string | null, s: string | null) => ({ timing: t, segment: s });
  await seed.fact(
    l1,
    { fact: 'timing_changed', from: timing(null, null), to: timing('2026-11', 'within_1m'), by: 'rep' },
    at('2026-11-04 11:00'),
    R1,
  );
  // L2: arrives Monday 17:30; R1 reaches them by phone Wednesday 9:30 (Tuesday a holiday):
  // 30 + 0 + 30 = 60 business minutes (1〜4時間). They write again at 9:40: unanswered.
  const l2 = await lead('L2', R1, '2026-10-26 09:00', { purchaseTiming: '2027-03' });
  await seed.touch(l2, {
    channel: 'line',
    direction: 'inbound',
    outcome: 'replied',
    at: at('2026-11-02 17:30'),
  });
  await seed.touch(l2, {
    channel: 'phone',
    direction: 'outbound',
    outcome: 'reached',
    authorId: R1,
    at: at('2026-11-04 09:30'),
  });
  await seed.touch(l2, {
    channel: 'line',
    direction: 'inbound',
    outcome: 'replied',
    at: at('2026-11-04 09:40'),
  });
  await seed.fact(
    l2,
    {
      fact: 'timing_changed',
      from: timing('2027-01', 'within_3m'),
      to: timing('2027-03', 'within_6m'),
      by: 'lead',
    },
    at('2026-11-05 12:00'),
  );
  // L3: arrives Monday 20:00 (out of hours) and again at 20:05 (the same conversation); R2 visits
  // Thursday 9:10: 0 (Mon night) + 0 (holiday) + 540 (Wed) + 10 = 550 business minutes (4〜24時間).
  const l3 = await lead('L3', R2, '2026-11-02 19:59');
  await seed.touch(l3, {
    channel: 'line',
    direction: 'inbound',
    outcome: 'replied',
    at: at('2026-11-02 20:00'),
  });
  await seed.touch(l3, {
    channel: 'line',
    direction: 'inbound',
    outcome: 'replied',
    at: at('2026-11-02 20:05'),
  });
  await seed.touch(l3, {
    channel: 'visit',
    direction: 'outbound',
    outcome: 'met',
    authorId: R2,
    at: at('2026-11-05 09:10'),
  });
  // L4: arrives Saturday 11:00 (out of hours); R2 answers Monday 9:04, after the period: 4 minutes.
  // Won on Friday... before the answer, by R2: a new lead of the period, won.
  const l4 = await lead('L4', R2, '2026-11-07 10:59');
  await seed.touch(l4, {
    channel: 'line',
    direction: 'inbound',
    outcome: 'replied',
    at: at('2026-11-07 11:00'),
  });
  await seed.touch(l4, {
    channel: 'line',
    direction: 'outbound',
    outcome: 'sent',
    authorId: R2,
    at: at('2026-11-09 09:04'),
  });
  await stage(l4, 'open', 'won', '2026-11-08 12:00', R2);
  // L5: created in September, never touched: neglected (30 days), R2's.
  await lead('L5', R2, '2026-09-01 10:00');
  // L6: four unanswered calls by R2, then the fourth moves it to nurture: the 4-touch rule kept.
  const l6 = await lead('L6', R2, '2026-11-02 08:00');
  for (const day of ['2026-11-02 11:00', '2026-11-04 11:00', '2026-11-05 11:00', '2026-11-06 11:00']) {
    await seed.touch(l6, {
      channel: 'phone',
      direction: 'outbound',
      outcome: 'no_answer',
      authorId: R2,
      at: at(day),
    });
  }
  await stage(l6, 'open', 'nurture', '2026-11-06 11:00', 'system');
  // L7: two unanswered calls by R1, then lost: given up too early.
  const l7 = await lead('L7', R1, '2026-11-02 08:00');
  for (const day of ['2026-11-04 15:00', '2026-11-05 15:00']) {
    await seed.touch(l7, {
      channel: 'phone',
      direction: 'outbound',
      outcome: 'no_answer',
      authorId: R1,
      at: at(day),
    });
  }
  await stage(l7, 'open', 'lost', '2026-11-06 16:00', R1);
  // L8: wrote in October, then lost in the period with the lead's answer last: not "without an answer".
  const l8 = await lead('L8', R1, '2026-10-15 10:00');
  await seed.touch(l8, {
    channel: 'line',
    direction: 'inbound',
    outcome: 'replied',
    at: at('2026-10-20 10:00'),
  });
  await stage(l8, 'open', 'lost', '2026-11-05 10:00', R1);
  // L9, the week before the period (only the weekly trend reaches it): R1's when it writes on
  // Tuesday 10-27, handed to R2 on Wednesday, writes again Thursday 10-29, and R1 (no longer the
  // owner) answers it that day; lost on Friday, before the period.
  const l9 = await lead('L9', R1, '2026-10-26 09:00');
  await seed.touch(l9, {
    channel: 'line',
    direction: 'inbound',
    outcome: 'replied',
    at: at('2026-10-27 10:00'),
  });
  await app.service.store.leads.setOwner(l9.id, R2, at('2026-10-28 10:00'));
  await seed.fact(
    l9,
    { fact: 'owner_changed', from: R1, to: R2, reason: 'reassign' },
    at('2026-10-28 10:00'),
  );
  await seed.touch(l9, {
    channel: 'line',
    direction: 'inbound',
    outcome: 'replied',
    at: at('2026-10-29 10:00'),
  });
  await seed.touch(l9, {
    channel: 'line',
    direction: 'outbound',
    outcome: 'sent',
    authorId: R1,
    at: at('2026-10-29 11:00'),
  });
  await stage(l9, 'open', 'lost', '2026-10-30 12:00', R2);
});
afterAll(async () => {
  await app?.close();
});

function periodOf(period: string): ReportPeriod {
  const parsed = parsePeriod(period, '2026-11-10');
  if (parsed.kind !== 'period') throw new Error(period);
  return parsed.period;
}

function scope(period: string, ownerId: string | null) {
  const policy = aPolicy({ calendar: businessCalendarOf(app.config) });
  return statsScope(policy, periodOf(period), ownerId, clock.now());
}

const stats = () => statsRepository(app.service.database.stats);

describe('the figures, computed in SQL from the stored facts', () => {
  it('speed to lead: openers, business minutes, median, p90 and buckets, in and out of hours', async () => {
    const { speed } = await stats().speedToLead(scope(PERIOD, null));
    // In hours: L1 3, L2 60, L2 again unanswered. Median of [3, 60] = 31.5; p90 = 3 + 0.9 x 57 = 54.3.
    expect(speed.inHours).toEqual({
      opened: 3,
      answered: 2,
      medianMinutes: 31.5,
      p90Minutes: expect.closeTo(54.3, 6),
      buckets: { under_5m: 1, under_1h: 0, under_4h: 1, under_24h: 0, over_24h: 0, unanswered: 1 },
    });
    // Out of hours: L3 550, L4 4. Median 277; p90 = 4 + 0.9 x 546 = 495.4.
    expect(speed.outOfHours).toEqual({
      opened: 2,
      answered: 2,
      medianMinutes: 277,
      p90Minutes: expect.closeTo(495.4, 6),
      buckets: { under_5m: 1, under_1h: 0, under_4h: 0, under_24h: 1, over_24h: 0, unanswered: 0 },
    });
    // R1 owned L1 and L2 when they wrote.
    const { speed: r1 } = await stats().speedToLead(scope(PERIOD, R1));
    expect([r1.inHours.opened, r1.outOfHours.opened]).toEqual([3, 0]);
  });

  it('activity: touches by channel and outcome, leads touched, lead messages, the 4-touch rule', async () => {
    const activity = await stats().activity(scope(PERIOD, null));
    // Outbound in the period: L1 line, L2 phone reached, L3 visit, L6 4 calls, L7 2 calls (L4's answer is after it).
    expect(activity.touches).toBe(9);
    expect(activity.leadsTouched).toBe(5);
    expect(activity.byChannelOutcome).toEqual([
      { channel: 'phone', outcome: 'no_answer', touches: 6 },
      { channel: 'line', outcome: 'sent', touches: 1 },
      { channel: 'phone', outcome: 'reached', touches: 1 },
      { channel: 'visit', outcome: 'met', touches: 1 },
    ]);
    // L1 1, L2 2, L3 2, L4 1.
    expect(activity.leadReplies).toBe(6);
    // L6 (4 attempts) and L7 (2) were given up without an answer; L8's last word was the lead's.
    expect([activity.givenUp, activity.givenUpAfterFour]).toEqual([2, 1]);
    const r1 = await stats().activity(scope(PERIOD, R1));
    expect([r1.touches, r1.leadsTouched, r1.givenUp, r1.givenUpAfterFour]).toEqual([4, 3, 1, 0]);
  });

  it('pipeline: now by segment and band, neglect, moves, new, won, lost and conversion', async () => {
    const pipeline = await stats().pipeline(scope(PERIOD, null));
    // Open deals now: L1 (1ヶ月以内, 〜4,000万円), L2 (半年以内), L3, L5, L6 (未定); L4 won, L7 and L8 lost.
    expect(pipeline.bySegmentBand.sort((a, b) => a.segment.localeCompare(b.segment))).toEqual([
      { segment: 'undecided', band: null, leads: 3 },
      { segment: 'within_1m', band: 'up_to_40m', leads: 1 },
      { segment: 'within_6m', band: null, leads: 1 },
    ]);
    expect(pipeline.neglected).toBe(1);
    expect(pipeline.oldestNeglected).toEqual([
      { leadId: leads.L5?.id, name: 'L5', ownerId: R2, since: at('2026-09-01 10:00') },
    ]);
    expect([pipeline.movedNearer, pipeline.movedFurther]).toEqual([1, 1]);
    // Created in the period: L3, L4, L6, L7, none with a timing: 未定, one of four won.
    expect([pipeline.newLeads, pipeline.won, pipeline.lost]).toEqual([4, 1, 2]);
    expect(pipeline.conversion).toEqual([{ segment: 'undecided', leads: 4, won: 1 }]);
  });

  it('per rep: leads owned, first-response median, touches, neglected, won', async () => {
    const rows = await stats().perRep(scope(PERIOD, null), [R1, R2]);
    expect(rows).toEqual([
      { repId: R1, leadsOwned: 2, touches: 4, neglected: 0, won: 0 },
      { repId: R2, leadsOwned: 3, touches: 5, neglected: 1, won: 1 },
    ]);
    // Medians by the owner when the lead wrote: R1 had L1 and L2 (3, 60), R2 L3 and L4 (550, 4).
    const { repMedians } = await stats().speedToLead(scope(PERIOD, null), [R1, R2, MANAGER]);
    expect(repMedians).toEqual({ [R1]: 31.5, [R2]: 277 });
  });

  it("the weekly trend: each week's touches and lead messages, a rep's by author and by owner then", async () => {
    const mondays = trendMondays(periodOf(PERIOD));
    expect(mondays).toEqual([
      '2026-09-14',
      '2026-09-21',
      '2026-09-28',
      '2026-10-05',
      '2026-10-12',
      '2026-10-19',
      '2026-10-26',
      '2026-11-02',
    ]);
    const weeks = async (owner: string | null) =>
      Object.fromEntries(
        (await stats().weeklyTrend(scope(PERIOD, owner), mondays))
          .filter((w) => w.touches + w.leadReplies > 0)
          .map((w) => [w.weekStart, [w.touches, w.leadReplies]]),
      );
    // 10-19: L8 writes. 10-26: L9 writes twice, R1 answers once. 11-02: the period (9 touches, 6 messages).
    expect(await weeks(null)).toEqual({ '2026-10-19': [0, 1], '2026-10-26': [1, 2], '2026-11-02': [9, 6] });
    // R1: L8's message; L9's first (theirs then), not its second (R2's then), and their own answer
    // to it; in the period their 4 touches and L1's and L2's 3 messages.
    expect(await weeks(R1)).toEqual({ '2026-10-19': [0, 1], '2026-10-26': [1, 1], '2026-11-02': [4, 3] });
    // R2: L9's second message; in the period their 5 touches, L3's two and L4's one.
    expect(await weeks(R2)).toEqual({ '2026-10-26': [0, 1], '2026-11-02': [5, 3] });
  });

  it('a period with nothing in it gives zeros and no median, never NaN', async () => {
    const empty = scope('2026-06', null);
    const { speed } = await stats().speedToLead(empty);
    expect(speed.inHours).toMatchObject({ opened: 0, answered: 0, medianMinutes: null, p90Minutes: null });
    const activity = await stats().activity(empty);
    expect(activity).toMatchObject({ touches: 0, leadsTouched: 0, leadReplies: 0, givenUp: 0 });
    expect(await stats().steps(empty)).toEqual([]);
  });
});

describe('/tsuikyaku stats over Slack', () => {
  const answerTo = async (userId: string, text: string, channelId?: string) => {
    const responseUrl = app.slack.responseUrl();
    const ack = await app.slashCommand(userId, text, { responseUrl, ...(channelId ? { channelId } : {}) });
    const id = decodeURIComponent(responseUrl.split('/').at(-1) as string);
    const answer = await eventually(async () => app.slack.responses.find((r) => r.id === id), {
      what: `the answer to "${text}"`,
    });
    return { ack, answer: answer.body as { text: string; blocks?: { text?: { text: string } }[] } };
  };
  const textOf = (body: { blocks?: { text?: { text: string } }[] }) =>
    (body.blocks ?? []).map((b) => b.text?.text ?? '').join('\n');

  it('acknowledges at once, then answers the manager with the team numbers in Japanese', async () => {
    const { ack, answer } = await answerTo(MANAGER, `stats ${PERIOD}`);
    expect(ack.text).toBe('集計中…');
    const text = textOf(answer);
    expect(text).toContain('*数字（11月2日(月)〜11月8日(日)）*');
    expect(text).toContain('営業時間内に届いた分: 3件 ・ 中央値 32分 ・ 90%が54分以内');
    expect(text).toContain(
      '5分未満 1件 ・ 5〜60分 0件 ・ 1〜4時間 1件 ・ 4〜24時間 0件 ・ 24時間超 0件 ・ 未返信 1件',
    );
    expect(text).toContain('営業時間外に届いた分: 2件 ・ 中央値 4時間37分 ・ 90%が8時間15分以内');
    expect(text).toContain('接触 9回（リード5件、1件あたり1.8回） ・ リードからのメッセージ 6件');
    expect(text).toContain('電話: 不在・出ない 6回 ・ 話せた 1回');
    expect(text).toContain('先に4回以上連絡していたのは1件（50%）');
    expect(text).toContain('検討時期別（現在）: 1ヶ月以内 1件 ・ 半年以内 1件 ・ 未定 3件');
    expect(text).toContain('放置 1件: L5（<@U0STATSR002>・70日接触なし）');
    expect(text).toContain('新規 4件 ・ 成約 1件 ・ 失注 2件');
    expect(text).toContain(
      `<@${R2}> 担当 3件 ・ 初回返信の中央値 4時間37分 ・ 接触 5回 ・ 放置 1件 ・ 成約 1件`,
    );
    expect(text).not.toMatch(/NaN|undefined|null/);
  });

  it('two managers asking the same numbers at once both get them', async () => {
    const [first, second] = await Promise.all([
      answerTo(MANAGER, `stats ${PERIOD}`),
      answerTo(MANAGER, `stats ${PERIOD}`),
    ]);
    expect(textOf(first.answer)).toContain('初回返信');
    expect(textOf(second.answer)).toBe(textOf(first.answer));
  });

  it('posts the two charts as PNG files in the conversation, once each', async () => {
    const here = () => app.slack.uploads.filter((u) => u.completed?.channel === 'C0STATSCH01');
    await answerTo(MANAGER, `stats ${PERIOD}`, 'C0STATSCH01');
    await eventually(async () => here().length >= 2, { what: 'two charts uploaded' });
    await app.service.worker.whenIdle();
    const charts = here();
    expect(charts).toHaveLength(2);
    for (const chart of charts) {
      expect(chart.completed?.channel).toBe('C0STATSCH01');
      expect(chart.bytes?.subarray(0, 8)).toEqual(
        Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      );
      expect(chart.bytes?.readUInt32BE(16)).toBe(800);
    }
    expect(charts.map((c) => c.completed?.title)).toEqual([
      '初回返信までの時間（11月2日(月)〜11月8日(日)）',
      '週ごとの接触とリードからのメッセージ（直近8週）',
    ]);
  });

  it("sends the charts to the asker's DM when the bot cannot post where the command ran", async () => {
    await app.service.worker.whenIdle();
    const before = app.slack.uploads.length;
    app.slack.failNext('files.completeUploadExternal', { error: 'not_in_channel' });
    const { answer } = await answerTo(MANAGER, `stats ${PERIOD}`, 'C0NOTMEMBER');
    expect(answer.text).toBeTruthy();
    const note = await eventually(
      async () =>
        app.slack.responses.find(
          (r) => r.body.text === 'この会話には投稿できないため、グラフはDMに送りました。',
        ),
      {
        what: 'the note that the charts went to the DM',
      },
    );
    expect(note).toBeTruthy();
    const dm = app.slack.dmChannelOf(MANAGER);
    const inDm = () => app.slack.uploads.slice(before).filter((u) => u.completed?.channel === dm);
    await eventually(async () => inDm().length >= 2, { what: 'both charts in the DM' });
    await app.service.worker.whenIdle();
    expect(inDm()).toHaveLength(2);
    expect(app.slack.uploads.filter((u) => u.completed?.channel === 'C0NOTMEMBER')).toEqual([]);
  });

  it('a rep sees only their own numbers; naming another rep is refused', async () => {
    const own = await answerTo(R1, `stats ${PERIOD}`);
    const text = textOf(own.answer);
    expect(text).toContain(`*<@${R1}> の数字（11月2日(月)〜11月8日(日)）*`);
    expect(text).not.toContain('担当者別');
    expect(text).toContain('接触 4回（リード3件、1件あたり1.3回）');
    const other = await answerTo(R1, `stats ${PERIOD} <@${R2}>`);
    expect(other.answer.text).toBe(
      'ほかの担当者の数字は表示できません。自分の数字は `/tsuikyaku stats` で表示できます。',
    );
    const named = await answerTo(MANAGER, `stats <@${R2}> ${PERIOD}`);
    expect(textOf(named.answer)).toContain(`*<@${R2}> の数字`);
  });

  it('an empty period says so, and a bad period is explained at once', async () => {
    const { answer } = await answerTo(MANAGER, 'stats 2026-06');
    const text = textOf(answer);
    expect(text).toContain('この期間のデータがありません。');
    expect(text).not.toMatch(/NaN|undefined|0\/0/);
    const bad = await app.slashCommand(MANAGER, 'stats yesterday');
    expect(bad.text).toContain('「yesterday」は期間として使えません。');
    expect(bad.text).toContain('使い方: `/tsuikyaku stats [期間] [@担当者]`');
  });
});

describe('/tsuikyaku stats in English (LOCALE=en)', () => {
  it('answers in English, with no Japanese and no full-width marks', async () => {
    const en = await startTestApp({
      clock: new ManualClock(tokyo('2026-11-10 10:00')),
      env: { LOCALE: 'en' },
    });
    try {
      const seed = new Seeder(en.service.store);
      await seed.staff({ slackUserId: MANAGER, role: 'manager', displayName: 'm' });
      await seed.staff({ slackUserId: R1, role: 'rep', displayName: 'r1' });
      const lead = await seed.lead({ displayName: 'Lead', ownerId: R1 }, at('2026-11-02 09:00'));
      await seed.touch(lead, {
        channel: 'line',
        direction: 'inbound',
        outcome: 'replied',
        at: at('2026-11-02 10:00'),
      });
      await seed.touch(lead, {
        channel: 'phone',
        direction: 'outbound',
        outcome: 'reached',
        authorId: R1,
        at: at('2026-11-02 10:07'),
      });
      const responseUrl = en.slack.responseUrl();
      const ack = await en.slashCommand(MANAGER, `stats ${PERIOD}`, { responseUrl });
      expect(ack.text).toBe('Counting…');
      const id = decodeURIComponent(responseUrl.split('/').at(-1) as string);
      const answer = await eventually(async () => en.slack.responses.find((r) => r.id === id), {
        what: 'the answer',
      });
      const text = ((answer.body.blocks ?? []) as { text?: { text: string } }[])
        .map((b) => b.text?.text ?? '')
        .join('\n');
      expect(text).toContain('*Numbers (Mon, Nov 2 to Sun, Nov 8)*');
      expect(text).toContain('Arrived in business hours: 1 conversation, median 7 min');
      expect(text).not.toMatch(/[\u3000-\u30ff\u4e00-\u9fff\uff00-\uffef]/);
    } finally {
      await en.close();
    }
  });
});
