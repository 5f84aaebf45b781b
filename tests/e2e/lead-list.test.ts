import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messageBlockAction } from '../../adapters/slack/fake/slack-client-requests.ts';
import { checkMessageContent } from '../../adapters/slack/fake/slack-payload-rules.ts';
import type { Lead } from '../../src/domain/lead.ts';
import { queryRows } from '../support/db-peek.ts';
import { ManualClock, tokyo } from '../support/manual-clock.ts';
import { slashCommandAnswer } from '../support/scenario.ts';
import { Seeder } from '../support/seeder.ts';
import { ADMIN, startTestApp, type TestApp } from '../support/test-app.ts';

// Wednesday 2026-12-02, 10:00 in Tokyo: an ordinary working day.
const clock = new ManualClock(tokyo('2026-12-02 10:00'));
const SATO = 'U0LISTSATO1';
const KATO = 'U0LISTKATO2';
const ITO = 'U0LISTITO03';
const STRANGER = 'U0STRANGER9';
let app: TestApp;

type Answer = { text?: string; blocks?: Block[]; replace_original?: boolean };
type Block = {
  type: string;
  block_id?: string;
  text?: { text: string };
  elements?: { action_id?: string; value?: string; text?: unknown }[];
  accessory?: { action_id: string; value: string };
};

const at = (local: string) => new Date(tokyo(local));
const minutesAgo = (minutes: number) => new Date(clock.now().getTime() - minutes * 60_000);
const daysAgo = (days: number) => new Date(clock.now().getTime() - days * 24 * 60 * 60_000);
const textOf = (answer: Answer) => JSON.stringify(answer.blocks ?? []);
/** The lead lines of a list, in order: the bold name at the start of each section with a card button. */
const namesIn = (answer: Answer) =>
  (answer.blocks ?? [])
    .filter((b) => b.accessory?.action_id === 'lead_list_open')
    .map((b) => /^\*([^*]+)\*/.exec(b.text?.text ?? '')?.[1]);

/** The whole ephemeral answer to a slash command, checked against Slack's Block Kit rules. */
async function command(userId: string, text: string): Promise<Answer> {
  const answer = (await slashCommandAnswer(app, userId, text)) as Answer;
  expect(checkMessageContent(answer)).toBeUndefined();
  return answer;
}

/** Presses a button of an ephemeral answer, as Slack sends it, and returns what the app answers there. */
async function press(userId: string, element: { action_id?: string; value?: string }): Promise<Answer> {
  const id = `press-${randomUUID()}`;
  const res = await app.interact(
    messageBlockAction({
      userId,
      channelId: 'C0SOMEWHERE',
      messageTs: '1700000000.000100',
      isEphemeral: true,
      action: { type: 'button', block_id: 'b', action_id: element.action_id, value: element.value },
      responseUrl: app.slack.responseUrl(id),
      triggerId: `trigger.${randomUUID()}`,
    }),
  );
  expect(res.status).toBe(200);
  const response = await app.slack.waitFor(() => app.slack.responses.find((r) => r.id === id));
  const answer = response.body as Answer;
  expect(checkMessageContent(answer)).toBeUndefined();
  return answer;
}

const pageButton = (answer: Answer, label: string) => {
  const button = answer.blocks
    ?.find((b) => b.block_id === 'lead_list_pages')
    ?.elements?.find((e) => JSON.stringify(e.text).includes(label));
  if (!button) throw new Error(`no ${label} button in ${textOf(answer)}`);
  return button;
};

const openButton = (answer: Answer, name: string) => {
  const block = answer.blocks?.find(
    (b) => b.accessory?.action_id === 'lead_list_open' && b.text?.text.startsWith(`*${name}*`),
  );
  if (!block?.accessory) throw new Error(`no line for ${name} in ${textOf(answer)}`);
  return block.accessory;
};

const leads: Record<string, Lead> = {};

beforeAll(async () => {
  app = await startTestApp({ clock });
  const seed = new Seeder(app.service.store);
  for (const [id, name] of [
    [SATO, '佐藤'],
    [KATO, '加藤'],
    [ITO, '伊藤'],
  ] as const) {
    app.slack.addUser({ id, name, displayName: name });
    await seed.staff({ slackUserId: id, displayName: name });
  }
  const lead = async (key: string, overrides: Partial<Lead>) => {
    leads[key] = await seed.lead({
      displayName: key,
      createdAt: at('2026-11-30 09:00'),
      lastTouchAt: at('2026-12-01 15:00'),
      ...overrides,
    });
  };
  // 佐藤: five waiting (the oldest first), two neglected, six others, one lost, one erased.
  for (const [i, name] of ['待ち 一', '待ち 二', '待ち 三', '待ち 四', '待ち 五'].entries())
    await lead(name, {
      ownerId: SATO,
      awaitingReplySince: minutesAgo(300 - i * 60),
      lastTouchAt: minutesAgo(300 - i * 60),
    });
  await lead('放置 一', { ownerId: SATO, lastTouchAt: daysAgo(45), purchaseTiming: '2027-09' });
  await lead('放置 二', { ownerId: SATO, lastTouchAt: daysAgo(31) });
  await lead('近い 大', { ownerId: SATO, purchaseTiming: '2026-12', amountYen: 70_000_000 });
  await lead('近い 小', { ownerId: SATO, purchaseTiming: '2026-12', amountYen: 15_000_000 });
  await lead('三月 一', { ownerId: SATO, purchaseTiming: '2027-02' });
  await lead('半年 一', { ownerId: SATO, purchaseTiming: '2027-05' });
  await lead('未定 一', { ownerId: SATO });
  await lead('未定 二', { ownerId: SATO, amountYen: 30_000_000 });
  await lead('失注 一', {
    ownerId: SATO,
    stage: 'lost',
    closedAt: at('2026-11-30 12:00'),
    closeReason: 'competitor',
  });
  await lead('消去 済', { ownerId: SATO, purchaseTiming: '2026-12' });
  await queryRows(app.service, `update leads set erased_at = now() where id = '${leads['消去 済']?.id}'`);
  // 加藤: one waiting, one neglected, two others. 伊藤: nothing at all. One lead nobody owns.
  await lead('加藤 待ち', { ownerId: KATO, awaitingReplySince: minutesAgo(20), lastTouchAt: minutesAgo(20) });
  await lead('加藤 放置', { ownerId: KATO, lastTouchAt: daysAgo(40) });
  await lead('加藤 一', { ownerId: KATO, purchaseTiming: '2026-12' });
  await lead('加藤 二', { ownerId: KATO, kind: 'customer', stage: 'won', handoverDate: '2026-10-01' });
  await lead('担当 なし', { purchaseTiming: '2027-02' });
});

afterAll(async () => {
  await app?.close();
});

describe('/tsuikyaku leads', () => {
  it('shows a manager every lead, waiting ones first, ten to a page with a button to the next', async () => {
    const first = await command(ADMIN, 'leads');
    expect(first.text).toContain('リード一覧');
    expect(textOf(first)).toContain('担当: 全員 ・ 段階: 追客中・長期フォロー・既存顧客');
    // 13 of 佐藤's (not the lost, not the erased one), 4 of 加藤's, the unowned one.
    expect(textOf(first)).toContain('全18件中 1〜10件目');
    expect(namesIn(first).slice(0, 6)).toEqual([
      '待ち 一',
      '待ち 二',
      '待ち 三',
      '待ち 四',
      '待ち 五',
      '加藤 待ち',
    ]);
    // Then the follow-up priority: nearest timing and largest amount first.
    expect(namesIn(first).slice(6, 9)).toEqual(['近い 大', '加藤 一', '近い 小']);
    expect(textOf(first)).toContain('担当: <@U0LISTSATO1>');
    expect(textOf(first)).toContain(':speech_balloon: 返信待ち（5時間）');
    expect(textOf(first)).not.toContain('前へ');

    const second = await press(ADMIN, pageButton(first, '次へ'));
    expect(second.replace_original).toBe(true);
    expect(textOf(second)).toContain('全18件中 11〜18件目');
    expect(namesIn(second)).toHaveLength(8);
    expect(namesIn(second)).toContain('担当 なし');
    expect(textOf(second)).toContain('担当: 未割当');
    expect(textOf(second)).toContain(':warning: 放置（45日間接触なし）');
    expect(textOf(second)).not.toContain('次へ');
    const all = [...namesIn(first), ...namesIn(second)];
    expect(new Set(all).size).toBe(18);
    expect(all).not.toContain('消去 済');
    expect(all).not.toContain('失注 一');

    const back = await press(ADMIN, pageButton(second, '前へ'));
    expect(namesIn(back)).toEqual(namesIn(first));
  });

  it('filters by rep, segment, stage, 放置 and 返信待ち, in Japanese or by id, and combined', async () => {
    const waiting = await command(ADMIN, `leads <@${SATO}|佐藤> 返信待ち`);
    expect(namesIn(waiting)).toEqual(['待ち 一', '待ち 二', '待ち 三', '待ち 四', '待ち 五']);
    expect(textOf(waiting)).toContain(`担当: <@${SATO}> ・ 段階: 追客中・長期フォロー・既存顧客 ・ 返信待ち`);
    expect(textOf(waiting)).toContain('全5件');
    expect(textOf(waiting)).not.toContain('件中');
    expect(waiting.blocks?.some((b) => b.block_id === 'lead_list_pages')).toBe(false);

    const near = await command(ADMIN, 'leads 1ヶ月以内');
    expect(namesIn(near)).toEqual(['近い 大', '加藤 一', '近い 小']);
    expect(namesIn(await command(ADMIN, 'leads within_1m'))).toEqual(namesIn(near));
    expect(namesIn(await command(ADMIN, 'leads 1か月以内'))).toEqual(namesIn(near));
    expect(namesIn(await command(ADMIN, 'leads 3ヶ月以内'))).toEqual(['三月 一', '担当 なし']);

    const neglected = await command(ADMIN, 'leads 放置');
    // 1年以内 before 未定; among equals the one untouched longest first.
    expect(namesIn(neglected)).toEqual(['放置 一', '加藤 放置', '放置 二']);
    expect(namesIn(await command(ADMIN, `leads neglected ${KATO}`))).toEqual(['加藤 放置']);

    // One item: the list says nothing about counts or pages.
    const lost = await command(ADMIN, 'leads 失注');
    expect(namesIn(lost)).toEqual(['失注 一']);
    expect(textOf(lost)).not.toMatch(/全1件|1件中/);
    expect(namesIn(await command(ADMIN, 'leads lost'))).toEqual(['失注 一']);
    expect(namesIn(await command(ADMIN, 'leads 成約'))).toEqual(['加藤 二']);

    const none = await command(ADMIN, `leads <@${KATO}> 1年以上`);
    expect(textOf(none)).toContain('条件に合うリードはありません。');

    const unknown = await command(ADMIN, 'leads 急ぎ');
    expect(unknown.text).toContain('「急ぎ」は条件として使えません。');
    expect(unknown.text).toContain(
      '使い方: `/tsuikyaku leads [@担当者] [検討時期] [段階] [返信待ち] [放置]`',
    );
    expect(unknown.text).toContain('1ヶ月以内・3ヶ月以内・半年以内・1年以内・1年以上・未定');
    expect((await command(ADMIN, 'leads 追客中 失注')).text).toContain('「失注」: 担当者、検討時期、段階');
    expect((await command(ADMIN, 'leads U0NOBODY01')).text).toBe(
      '<@U0NOBODY01> はスタッフとして登録されていません。',
    );
    // The Japanese name of the subcommand.
    expect(namesIn(await command(ADMIN, 'リード一覧 返信待ち'))).toHaveLength(6);
  });

  it('shows a rep their own leads only, refuses another rep’s, and refuses non-staff', async () => {
    const own = await command(KATO, 'leads');
    expect(namesIn(own)).toEqual(['加藤 待ち', '加藤 一', '加藤 放置', '加藤 二']);
    expect(textOf(own)).toContain(`担当: <@${KATO}>`);
    expect(namesIn(await command(KATO, `leads <@${KATO}> 放置`))).toEqual(['加藤 放置']);
    expect(namesIn(await command(ITO, 'leads'))).toEqual([]);

    const refused = await command(KATO, `leads <@${SATO}|佐藤>`);
    expect(refused.text).toBe(
      'ほかの担当者のリードは表示できません。自分の担当リードは `/tsuikyaku leads` で表示できます。',
    );
    expect(refused.blocks).toBeUndefined();
    expect((await command(STRANGER, 'leads')).text).toBe(
      'スタッフとして登録されていません。マネージャーに登録を依頼してください。',
    );
  });

  it('checks access again when a page button is pressed', async () => {
    const managers = await command(ADMIN, 'leads');
    const next = pageButton(managers, '次へ');
    // A rep pressing a manager's button sees their own leads, never everyone's.
    const asRep = await press(KATO, next);
    expect(namesIn(asRep)).toEqual(['加藤 待ち', '加藤 一', '加藤 放置', '加藤 二']);
    const satoList = await command(ADMIN, `leads <@${SATO}>`);
    const refused = await press(KATO, pageButton(satoList, '次へ'));
    expect(refused.text).toContain('ほかの担当者のリードは表示できません。');
    expect(refused.replace_original).toBe(false);
    expect((await press(STRANGER, next)).text).toContain('スタッフとして登録されていません');
  });

  it('opens a lead’s full card from its line, for the owner or a manager only', async () => {
    const list = await command(ADMIN, 'leads 1ヶ月以内');
    const card = await press(ADMIN, openButton(list, '近い 大'));
    expect(card.replace_original).toBe(false);
    expect(card.text).toContain('近い 大');
    expect(textOf(card)).toContain('7,000万円');
    expect(textOf(card)).toContain('lead_call');
    expect(card.blocks?.find((b) => b.type === 'actions')?.block_id).toBe(`lead:${leads['近い 大']?.id}`);

    const ownCard = await press(KATO, openButton(await command(KATO, 'leads'), '加藤 一'));
    expect(ownCard.text).toContain('加藤 一');
    // The same button for someone else's lead (a forwarded or forged payload) is refused.
    const forbidden = await press(KATO, openButton(list, '近い 大'));
    expect(forbidden.text).toBe('このリードの担当者かマネージャーだけが操作できます。');
    expect(forbidden.blocks).toBeUndefined();
    const erased = await press(ADMIN, { action_id: 'lead_list_open', value: leads['消去 済']?.id });
    expect(erased.text).toBe('このリードは見つかりませんでした。');
    expect((await press(STRANGER, openButton(list, '近い 大'))).text).toContain(
      'スタッフとして登録されていません',
    );
  });
});

describe('the manager’s team section', () => {
  const teamSection = (blocks: Block[] | undefined) =>
    blocks?.find((b) => b.type === 'section' && b.text?.text.startsWith('*チームの状況*'))?.text?.text;

  it('names every rep in the morning digest, with their waiting and neglected leads, and nothing for reps', async () => {
    clock.set(tokyo('2026-12-02 10:00'));
    expect(await app.service.scheduler.runOnce(app.service.jobs.morningDigest, at('2026-12-02 09:00'))).toBe(
      true,
    );
    const digestOf = (user: string) =>
      app.slack.messages.find(
        (m) => m.channel === app.slack.dmChannelOf(user) && m.text?.startsWith('今日の追客'),
      );
    const digest = await app.slack.waitFor(() => digestOf(ADMIN));
    await app.slack.waitFor(() => digestOf(ITO));
    const team = teamSection(digest.blocks as Block[]);
    expect(team).toBeDefined();
    expect(team?.split('\n')).toEqual([
      '*チームの状況*',
      '返信待ち 6件・放置 3件',
      `• <@${SATO}> 担当 13件`,
      '      返信待ち 5件: 待ち 一、待ち 二、待ち 三ほか2件',
      '      放置 2件: 放置 一、放置 二',
      `• <@${KATO}> 担当 4件`,
      '      返信待ち 1件: 加藤 待ち',
      '      放置 1件: 加藤 放置',
      `• <@${ITO}> 担当 0件 ・ 返信待ち・放置なし`,
      '一覧: `/tsuikyaku leads @担当者 返信待ち` または `/tsuikyaku leads @担当者 放置`',
    ]);
    expect(teamSection(digestOf(KATO)?.blocks as Block[])).toBeUndefined();
  });

  it('gives a manager’s /tsuikyaku today the same team section, and a rep’s none', async () => {
    const today = await command(ADMIN, 'today');
    const digest = app.slack.messages.find(
      (m) => m.channel === app.slack.dmChannelOf(ADMIN) && m.text?.startsWith('今日の追客'),
    );
    expect(teamSection(today.blocks)).toBe(teamSection(digest?.blocks as Block[]));
    expect(teamSection(today.blocks)).toContain(`<@${ITO}>`);
    expect(teamSection((await command(SATO, 'today')).blocks)).toBeUndefined();
  });
});
