import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { followEvent, textMessageEvent } from '../../adapters/line/fake/line-webhook-events.ts';
import type { FakeSlackMessage } from '../../adapters/slack/fake/fake-slack-api.ts';
import { ManualClock, tokyo } from '../support/manual-clock.ts';
import { leadIdOf, repReply, slashCommandAnswer, waitForCard } from '../support/scenario.ts';
import { blockAction, findElement, viewSubmission } from '../support/slack-payloads.ts';
import { ADMIN, startTestApp, type TestApp } from '../support/test-app.ts';

/** What people read, assembled at runtime: help, refusals, searches, cards, digests, the out-of-hours answer. */

const REP_A = 'U0WORDREPA1';
const REP_B = 'U0WORDREPB2';
const NAKAMURA = 'Uword000000000000000000000000001';
const OGAWA = 'Uword000000000000000000000000002';

/** A date written as numerals (2026-12-01, 2026/12/01, 01/12): never shown to people. */
const NUMERAL_DATE = /\b\d{4}[-/]\d{1,2}[-/]\d{1,2}\b|\b\d{1,2}\/\d{1,2}\b/;
const blocksText = (m: { blocks?: unknown[] } | undefined) => JSON.stringify(m?.blocks ?? []);

/** The lead adds the account and writes on LINE at the clock's time; resolves with the card once all is sent. */
async function leadWrites(app: TestApp, lineUserId: string, name: string, text: string) {
  app.line.setProfile(lineUserId, { displayName: name });
  const res = await app.lineWebhook([
    followEvent(app.line, lineUserId),
    textMessageEvent(app.line, lineUserId, text),
  ]);
  expect(res.status).toBe(200);
  await waitForCard(app, lineUserId);
  // The profile (the lead's name) is fetched after the card is posted.
  await app.service.worker.whenIdle();
  return waitForCard(app, lineUserId);
}

const morningDigest = async (app: TestApp, clock: ManualClock) => {
  await app.service.scheduler.runOnce(app.service.jobs.morningDigest, clock.now());
  await app.service.worker.whenIdle();
};

describe('in Japanese', () => {
  // Monday 2026-11-30, before opening.
  const clock = new ManualClock(tokyo('2026-11-30 07:50'));
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ clock });
    app.slack.addUser({ id: REP_A, name: 'nishi', displayName: '西' });
    app.slack.addUser({ id: REP_B, name: 'higashi', displayName: '東' });
    await app.slashCommand(ADMIN, `staff add <@${REP_A}> 営業`);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('answers a lead out of hours with the time a person will reply, and no phone when none is set', async () => {
    await leadWrites(app, NAKAMURA, '中村 真', '見積もりをお願いしたいです');
    const reply = await app.line.waitFor(() => app.line.replies[0]);
    expect(reply.messages).toEqual([
      {
        type: 'text',
        text: 'メッセージありがとうございます。ただいま営業時間外です。\n11月30日(月) 9:00以降に、担当者からご返信いたします。',
      },
    ]);
  });

  it('shows the help with Japanese role words, and the Japanese role word works as shown', async () => {
    const help = await app.slashCommand(REP_A, 'help');
    expect(help.text).toContain('*追客ボットの使い方*');
    expect(help.text).toContain('`/tsuikyaku staff add @ユーザー 営業|マネージャー`');
    expect(help.text).not.toMatch(/rep|manager/);
    expect((await app.slashCommand(ADMIN, `staff add <@${REP_B}> マネージャー`)).text).toBe(
      `<@${REP_B}> をマネージャーとして登録しました。`,
    );
    expect((await app.slashCommand(ADMIN, `staff add <@${REP_B}> 営業`)).text).toBe(
      `<@${REP_B}> を営業として登録しました。`,
    );
  });

  it('writes every date on the card as 11月30日(月), with the time where there is one', async () => {
    clock.set(tokyo('2026-11-30 09:05'));
    const { card } = await waitForCard(app, NAKAMURA);
    const text = blocksText(card);
    expect(text).toContain('*登録日*\\n11月30日(月) 7:50');
    expect(text).toContain('*次回フォロー*\\n11月30日(月)（次は1回目の連絡）');
    expect(text).not.toMatch(NUMERAL_DATE);
    // A timing chosen by month is named as its month, without this year's number.
    const leadId = await leadIdOf(app, NAKAMURA);
    const oneMonth = (findElement(card, 'lead_timing', leadId).element.options as { value: string }[]).find(
      (o) => o.value.endsWith('|1m'),
    );
    const res = await app.interact(
      blockAction(
        REP_A,
        card,
        { ...findElement(card, 'lead_timing', leadId).element, selected_option: oneMonth },
        app.slack.responseUrl(),
      ),
    );
    expect(res.status).toBe(200);
    await expect
      .poll(async () => blocksText(await slashCommandAnswer(app, REP_A, 'lead 中村')))
      .toContain('*検討時期*\\n1ヶ月以内（12月）');
  });

  it('refuses a reply from someone who is not the owner without naming them in the third person', async () => {
    const { card, owner } = await waitForCard(app, NAKAMURA);
    expect(owner).toBe(REP_A);
    await repReply(app, card, REP_B, '横から失礼します');
    const notice = await app.slack.waitFor(() =>
      app.slack.thread(card.channel, card.ts).find((m) => m.text?.startsWith(':no_entry:')),
    );
    expect(notice.text).toBe(
      ':no_entry: このリードの担当ではないため、LINEに送信していません（返信できるのは担当者とマネージャーです）。',
    );
    expect(app.line.pushes).toHaveLength(0);
  });

  it('says a rep sees only their own leads when a search finds nothing, and does not tell a manager so', async () => {
    expect((await app.slashCommand(REP_B, 'lead 中村')).text).toBe(
      '「中村」に一致するリードは見つかりませんでした（表示されるのは担当しているリードだけです）。',
    );
    expect((await app.slashCommand(ADMIN, 'lead 存在しない名前')).text).toBe(
      '「存在しない名前」に一致するリードは見つかりませんでした。',
    );
    // The manager does find the rep's lead: the search covered everyone.
    expect(blocksText(await slashCommandAnswer(app, ADMIN, 'lead 中村'))).toContain('中村 真さん');
  });

  it('labels the facts of a digest line, dates its title, and shows no page count for one page', async () => {
    await morningDigest(app, clock);
    const digest = await app.slack.waitFor(() =>
      app.slack.messages.find(
        (m) => m.channel === app.slack.dmChannelOf(REP_A) && m.text?.startsWith('今日の追客'),
      ),
    );
    expect(digest.text).toBe('今日の追客 11月30日(月): 返信待ち 1件');
    const text = blocksText(digest);
    expect(text).toContain('*中村 真*  検討時期: 1ヶ月以内 ・ 金額: 未入力 ・ 最終接触: 今日');
    expect(text).not.toContain('件中');
    expect(text).not.toMatch(NUMERAL_DATE);
  });

  it('says who the lead went to when its rep leaves, and that it has no owner when nobody is left', async () => {
    await app.slashCommand(ADMIN, `staff remove <@${REP_A}>`);
    const moved = await app.slack.waitFor(() =>
      app.slack.messages.find((m) => m.text?.startsWith(':arrows_counterclockwise:')),
    );
    expect(moved.text).toBe(`:arrows_counterclockwise: 担当が <@${REP_A}> から <@${REP_B}> に変わりました。`);
    await app.slashCommand(ADMIN, `staff remove <@${REP_B}>`);
    const cleared = await app.slack.waitFor(() =>
      app.slack.messages.find((m) => m.text?.startsWith(`:arrows_counterclockwise: <@${REP_B}>`)),
    );
    expect(cleared.text).toBe(
      `:arrows_counterclockwise: <@${REP_B}> が担当を外れ、担当者のいないリードになりました。`,
    );
  });
});

describe('with COMPANY_PHONE', () => {
  // Saturday 2026-12-05: the next opening is Monday.
  const clock = new ManualClock(tokyo('2026-12-05 10:00'));
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ clock, env: { COMPANY_PHONE: '03-1234-5678' } });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('offers the office phone in the out-of-hours answer', async () => {
    await leadWrites(app, OGAWA, '小川 綾', '土曜も見学できますか？');
    const reply = await app.line.waitFor(() => app.line.replies[0]);
    expect(reply.messages).toEqual([
      {
        type: 'text',
        text: [
          'メッセージありがとうございます。ただいま営業時間外です。',
          '12月7日(月) 9:00以降に、担当者からご返信いたします。',
          'お急ぎの場合は、お電話（03-1234-5678）でもご連絡いただけます。',
        ].join('\n'),
      },
    ]);
  });
});

describe('in English (LOCALE=en)', () => {
  const clock = new ManualClock(tokyo('2026-11-30 07:50'));
  let app: TestApp;
  const japaneseOrFullWidth = /[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]/;

  beforeAll(async () => {
    app = await startTestApp({ clock, env: { LOCALE: 'en', COMPANY_PHONE: '+81 3 1234 5678' } });
    app.slack.addUser({ id: REP_A, name: 'nishi', displayName: 'Nishi' });
    await app.slashCommand(ADMIN, `staff add <@${REP_A}> rep`);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('answers out of hours in English, with the phone', async () => {
    await leadWrites(app, NAKAMURA, 'Makoto Nakamura', 'Could I get a quote?');
    const reply = await app.line.waitFor(() => app.line.replies[0]);
    expect(reply.messages).toEqual([
      {
        type: 'text',
        text: [
          'Thank you for your message. We are closed right now.',
          'Your contact person will reply from Mon, Nov 30, 9:00.',
          'If it is urgent, you can also reach us by phone at +81 3 1234 5678.',
        ].join('\n'),
      },
    ]);
  });

  it('writes the card with English dates and no full-width marks', async () => {
    clock.set(tokyo('2026-11-30 09:05'));
    const { card } = await waitForCard(app, NAKAMURA);
    const text = blocksText(card);
    expect(text).toContain('*Since*\\nMon, Nov 30, 7:50');
    expect(text).toContain('*Next follow-up*\\nMon, Nov 30 (1st attempt)');
    expect(text).not.toMatch(japaneseOrFullWidth);
    expect(text).not.toMatch(NUMERAL_DATE);
    expect(card.text).not.toMatch(japaneseOrFullWidth);
  });

  it('writes an amount in yen the English way', async () => {
    const { card } = await waitForCard(app, NAKAMURA);
    const leadId = await leadIdOf(app, NAKAMURA);
    const { element, blockId } = findElement(card, 'lead_amount', leadId);
    await app.interact(blockAction(REP_A, card, { ...element, block_id: blockId }, app.slack.responseUrl()));
    const opened = await app.slack.waitFor(() => app.slack.calls.find((c) => c.method === 'views.open'));
    const view = opened.body.view as { callback_id: string; private_metadata: string };
    expect(JSON.stringify(view)).not.toMatch(japaneseOrFullWidth);
    const res = await app.interact(
      viewSubmission(REP_A, view, { amount: { type: 'plain_text_input', value: '35,000,000' } }),
    );
    expect(res.status).toBe(200);
    const updated = await app.slack.waitFor(() => {
      const m = app.slack.messages.find((x) => x.channel === card.channel && x.ts === card.ts);
      return m && blocksText(m).includes('*Amount*\\n¥35,000,000') ? m : undefined;
    });
    expect(blocksText(updated)).not.toMatch(japaneseOrFullWidth);
  });

  it('writes the digest with labels, singular counts and English dates', async () => {
    await morningDigest(app, clock);
    const mine = await app.slack.waitFor(() =>
      app.slack.messages.find(
        (m) => m.channel === app.slack.dmChannelOf(REP_A) && m.text?.startsWith('Follow-ups for'),
      ),
    );
    expect(mine.text).toBe('Follow-ups for Mon, Nov 30: Awaiting your reply: 1');
    expect(blocksText(mine)).toContain(
      '*Makoto Nakamura*  Timing: Undecided · Amount: ¥35,000,000 · Last touch: today',
    );
    const managers = await app.slack.waitFor(() =>
      app.slack.messages.find(
        (m) => m.channel === app.slack.dmChannelOf(ADMIN) && m.text?.startsWith('Follow-ups for'),
      ),
    );
    expect(blocksText(managers)).toContain(`<@${REP_A}> 1 lead`);
    expect(blocksText(managers)).toContain('1 awaiting a reply: Makoto Nakamura');
    for (const message of [mine, managers] as FakeSlackMessage[]) {
      const text = `${message.text} ${blocksText(message)}`;
      expect(text).not.toMatch(japaneseOrFullWidth);
      expect(text).not.toMatch(NUMERAL_DATE);
      expect(text).not.toMatch(/\b1 leads\b|#\d/);
    }
  });
});
