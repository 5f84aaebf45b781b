import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeSlackMessage } from '../../adapters/slack/fake/fake-slack-api.ts';
import { queryRows } from '../support/db-peek.ts';
import { ManualClock, tokyo } from '../support/manual-clock.ts';
import { befriend, leadIdOf, slashCommandAnswer } from '../support/scenario.ts';
import { blockAction, viewSubmission } from '../support/slack-payloads.ts';
import { ADMIN, startTestApp, type TestApp } from '../support/test-app.ts';

// Issue 11, Slack: a lead card's step sequences and tags, and /tsuikyaku sequences, over real HTTP.
const REP_A = 'U0SEQREPA01';
const REP_B = 'U0SEQREPB02';
const STRANGER = 'U0SEQNOBODY';
const TAKAHASHI = 'Useq0000000000000000000000000001';

/** A manual sequence (a lead's first step at 8:00, before the month starts in UTC), a tag one, a customers' one. */
const SEQUENCES = `
interests: [土地探し, 資金計画, デザイン]
sequences:
  - id: event-invite
    name: 見学会のご案内
    trigger: manual
    kind: lead
    steps:
      - after: 20h
        at: "08:00"
        messages:
          - type: text
            text: "{name}様、{company}です。見学会のご案内です。担当の{owner}がご説明します。"
      - after: 2d
        tags: [デザイン]
        messages:
          - type: image
            originalContentUrl: https://example.com/house.jpg
            previewImageUrl: https://example.com/house-small.jpg
          - type: sticker
            packageId: "446"
            stickerId: "1988"
          - type: template
            altText: 見学会の日程
            template:
              type: confirm
              text: 見学会に参加されますか？
              actions:
                - { type: message, label: はい, text: はい }
                - { type: message, label: いいえ, text: いいえ }
          - type: flex
            altText: 施工事例のご紹介
            contents:
              type: bubble
              body: { type: box, layout: vertical, contents: [{ type: text, text: 施工事例 }] }
  - id: money-tips
    name: 資金計画のヒント
    trigger: tag
    tags: [資金計画]
    steps:
      - after: 2h
        messages:
          - type: text
            text: 資金計画の基本をまとめました。
  - id: after-care
    name: 引き渡し後のご案内
    trigger: manual
    kind: customer
    steps:
      - after: 30d
        messages:
          - type: text
            text: お住まいの様子はいかがですか。
`;

// Monday 2026-11-30 in Tokyo.
const clock = new ManualClock(tokyo('2026-11-30 10:00'));
let app: TestApp;
let dir: string;
let card: FakeSlackMessage;
let owner: string;
let other: string;
let leadId: string;

interface Enrolled {
  id: string;
  sequence_id: string;
  state: string;
  stop_reason: string | null;
  enrolled_by: string;
  due_at: unknown;
  send_at: unknown;
  paused_at: unknown;
  resume_at: unknown;
  ended_at: unknown;
}

const at = (value: unknown) => (value === null ? null : new Date(value as string).toISOString());
const cardNow = () => app.slack.messages.find((m) => m.channel === card.channel && m.ts === card.ts);
const cardText = () => JSON.stringify(cardNow()?.blocks ?? []);
const threadTexts = () => app.slack.thread(card.channel, card.ts).map((m) => m.text ?? '');

async function enrolment(sequenceId: string): Promise<Enrolled> {
  const [row] = await queryRows<Enrolled>(
    app.service,
    `select * from sequence_enrolments where lead_id = '${leadId}' and sequence_id = '${sequenceId}'
     order by enrolled_at desc limit 1`,
  );
  if (!row) throw new Error(`no enrolment in ${sequenceId}`);
  return row;
}

type Element = Record<string, unknown>;

/** The element `actionId` in the block `blockId` of a message as it is drawn now (or as given). */
function elementOf(message: FakeSlackMessage, blockId: string, actionId: string): Element {
  const blocks = (message.blocks ?? []) as { block_id?: string; elements?: Element[] }[];
  const element = blocks.find((b) => b.block_id === blockId)?.elements?.find((e) => e.action_id === actionId);
  if (!element) throw new Error(`no ${actionId} in block ${blockId}`);
  return element;
}

function hasElement(blockId: string, actionId: string): boolean {
  try {
    elementOf(cardNow() as FakeSlackMessage, blockId, actionId);
    return true;
  } catch {
    return false;
  }
}

/** Presses an element as Slack sends it; returns the response_url's id, to read the presser's answer. */
async function press(userId: string, blockId: string, actionId: string, extra: Element = {}, on = cardNow()) {
  if (!on) throw new Error('no card');
  const element = elementOf(on, blockId, actionId);
  const responseId = `r-${randomUUID()}`;
  const res = await app.interact(
    blockAction(userId, on, { ...element, block_id: blockId, ...extra }, app.slack.responseUrl(responseId)),
  );
  expect(res.status).toBe(200);
  return responseId;
}

/** Chooses the option whose value ends with `|<choice>` in a select of the card. */
function choose(userId: string, blockId: string, actionId: string, choice: string, on = cardNow()) {
  const options = (elementOf(on as FakeSlackMessage, blockId, actionId).options ?? []) as {
    value: string;
  }[];
  const option = options.find((o) => o.value.endsWith(`|${choice}`));
  if (!option) throw new Error(`no option ${choice} in ${actionId}`);
  return press(userId, blockId, actionId, { selected_option: option }, on);
}

const answerTo = (responseId: string) =>
  app.slack.waitFor(() => app.slack.responses.find((r) => r.id === responseId)?.body.text as string);

const controls = () => `sequences:${leadId}`;
const dispatch = async () => {
  await app.service.scheduler.runOnce(app.service.jobs.stepDispatch, clock.now());
  await app.service.worker.whenIdle();
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sequence-cards-'));
  await writeFile(join(dir, 'sequences.yml'), SEQUENCES);
  app = await startTestApp({
    clock,
    env: {
      SEQUENCES_FILE: join(dir, 'sequences.yml'),
      COMPANY_NAME: '山田工務店',
      // No quiet hours: the first step may go out at 8:30, still November in UTC.
      QUIET_HOURS: '',
    },
  });
  app.slack.addUser({ id: REP_A, name: 'sato', displayName: '佐藤' });
  app.slack.addUser({ id: REP_B, name: 'kato', displayName: '加藤' });
  await app.slashCommand(ADMIN, `staff add <@${REP_A}|佐藤> rep`);
  await app.slashCommand(ADMIN, `staff add <@${REP_B}|加藤> rep`);
  ({ card, owner } = await befriend(app, TAKAHASHI, '高橋 健'));
  other = owner === REP_A ? REP_B : REP_A;
  leadId = await leadIdOf(app, TAKAHASHI);
});
afterAll(async () => {
  await app?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the lead card’s step sequences', () => {
  it('shows none yet, and offers only the manual sequences the lead may join', () => {
    expect(cardText()).toContain('*ステップ配信*\\nなし');
    expect(cardText()).toContain('*タグ*\\nなし');
    const offered = (
      elementOf(cardNow() as FakeSlackMessage, controls(), 'sequence_enrol').options as {
        value: string;
      }[]
    ).map((o) => o.value);
    // Not the customers' sequence (the lead is an open deal), not the tag-triggered one.
    expect(offered).toEqual([`${leadId}|event-invite`]);
  });

  it('enrols the lead in a manual sequence from the select, once', async () => {
    const before = structuredClone(cardNow()) as FakeSlackMessage;
    await choose(owner, controls(), 'sequence_enrol', 'event-invite');
    await app.slack.waitFor(() => cardText().includes('見学会のご案内（配信中）'));
    expect(cardText()).toContain('次のステップ1/2: 12月1日(火) 8:00');
    await app.slack.waitFor(() =>
      threadTexts().some((t) => t.includes(`<@${owner}> がステップ配信「見学会のご案内」を開始しました。`)),
    );
    const row = await enrolment('event-invite');
    expect(row).toMatchObject({ state: 'active', enrolled_by: owner });
    expect(at(row.due_at)).toBe(tokyo('2026-12-01 08:00'));
    // The select no longer offers it; the same choice on the old card changes nothing.
    expect(hasElement(controls(), 'sequence_enrol')).toBe(false);
    const again = await choose(owner, controls(), 'sequence_enrol', 'event-invite', before);
    expect(await answerTo(again)).toContain('すでにこのステップ配信を受けています');
    const rows = await queryRows(
      app.service,
      `select id from sequence_enrolments where lead_id = '${leadId}' and sequence_id = 'event-invite'`,
    );
    expect(rows).toHaveLength(1);
  });

  it('lets the owner pause, not another rep; a paused sequence sends nothing and says it waits for 再開', async () => {
    const { id } = await enrolment('event-invite');
    const block = `sequence:${id}`;
    const refused = await press(other, block, 'sequence_pause');
    expect(await answerTo(refused)).toContain('このリードの担当者かマネージャーだけが操作できます。');
    expect((await enrolment('event-invite')).state).toBe('active');

    clock.set(tokyo('2026-11-30 11:00'));
    await press(owner, block, 'sequence_pause');
    await app.slack.waitFor(() => cardText().includes('見学会のご案内（一時停止中）'));
    expect(cardText()).toContain('再開を押すまで送りません。');
    expect(hasElement(block, 'sequence_resume')).toBe(true);
    expect(hasElement(block, 'sequence_pause')).toBe(false);
    const paused = await enrolment('event-invite');
    expect(paused).toMatchObject({ state: 'paused', send_at: null, resume_at: null });
    expect(at(paused.paused_at)).toBe(tokyo('2026-11-30 11:00'));
    await app.slack.waitFor(() =>
      threadTexts().some((t) =>
        t.includes(`<@${owner}> がステップ配信「見学会のご案内」を一時停止しました。`),
      ),
    );

    // The step's moment passes while paused: nothing goes to the lead.
    clock.set(tokyo('2026-12-01 08:10'));
    const pushes = app.line.pushes.length;
    await dispatch();
    expect(app.line.pushes.length).toBe(pushes);
    expect((await enrolment('event-invite')).state).toBe('paused');
  });

  it('lets a manager resume, not another rep; the step that came due goes out after the resume', async () => {
    const { id } = await enrolment('event-invite');
    const block = `sequence:${id}`;
    const refused = await press(other, block, 'sequence_resume');
    expect(await answerTo(refused)).toContain('このリードの担当者かマネージャーだけが操作できます。');
    expect((await enrolment('event-invite')).state).toBe('paused');

    // 8:30 on Dec 1 in Tokyo is still Nov 30 in UTC.
    clock.set(tokyo('2026-12-01 08:30'));
    await press(ADMIN, block, 'sequence_resume');
    await app.slack.waitFor(() => cardText().includes('見学会のご案内（配信中）'));
    expect(cardText()).toContain('次のステップ1/2: 12月1日(火) 8:30');
    const resumed = await enrolment('event-invite');
    expect(resumed).toMatchObject({ state: 'active', paused_at: null, resume_at: null });
    expect(at(resumed.due_at)).toBe(tokyo('2026-12-01 08:30'));
    expect(at(resumed.send_at)).toBe(tokyo('2026-12-01 08:30'));
    await app.slack.waitFor(() =>
      threadTexts().some((t) => t.includes(`<@${ADMIN}> がステップ配信「見学会のご案内」を再開しました。`)),
    );

    await dispatch();
    const push = await app.line.waitFor(() =>
      app.line.pushes.find((p) => p.to === TAKAHASHI && JSON.stringify(p.messages).includes('見学会')),
    );
    expect(push.messages).toEqual([
      {
        type: 'text',
        text: `高橋 健様、山田工務店です。見学会のご案内です。担当の${ownerName()}がご説明します。`,
      },
    ]);
  });

  it('lets the owner stop it after a confirmation, not another rep; it can then be started again', async () => {
    const { id } = await enrolment('event-invite');
    const block = `sequence:${id}`;
    const stop = elementOf(cardNow() as FakeSlackMessage, block, 'sequence_stop');
    expect(stop.style).toBe('danger');
    expect(JSON.stringify(stop.confirm)).toContain('「見学会のご案内」を停止します。');
    const refused = await press(other, block, 'sequence_stop');
    expect(await answerTo(refused)).toContain('このリードの担当者かマネージャーだけが操作できます。');
    expect((await enrolment('event-invite')).state).toBe('active');

    clock.set(tokyo('2026-12-01 09:00'));
    await press(owner, block, 'sequence_stop');
    await app.slack.waitFor(() => !cardText().includes('見学会のご案内（'));
    const stopped = await enrolment('event-invite');
    expect(stopped).toMatchObject({ state: 'stopped', stop_reason: 'manual', send_at: null });
    expect(at(stopped.ended_at)).toBe(tokyo('2026-12-01 09:00'));
    await app.slack.waitFor(() =>
      threadTexts().some((t) => t.includes(`<@${owner}> がステップ配信「見学会のご案内」を停止しました。`)),
    );
    expect(hasElement(controls(), 'sequence_enrol')).toBe(true);
  });
});

describe('tags on the card', () => {
  /** Presses タグを追加 and returns the modal Slack was asked to open. */
  async function openTagModal(userId: string) {
    const before = app.slack.calls.filter((c) => c.method === 'views.open').length;
    await press(userId, controls(), 'lead_tag_add');
    const call = await app.slack.waitFor(
      () => app.slack.calls.filter((c) => c.method === 'views.open')[before],
    );
    return call.body.view as { callback_id: string; private_metadata: string; blocks: unknown[] };
  }

  async function submit(
    userId: string,
    view: { callback_id: string; private_metadata: string },
    values = {},
  ) {
    const res = await app.interact(viewSubmission(userId, view, values));
    expect(res.status).toBe(200);
    const text = await res.text();
    return text ? (JSON.parse(text) as { response_action?: string; errors?: Record<string, string> }) : {};
  }

  it('adds an interest and a typed tag; an interest tag starts its `trigger: tag` sequence', async () => {
    const refused = await press(other, controls(), 'lead_tag_add');
    expect(await answerTo(refused)).toContain('このリードの担当者かマネージャーだけが操作できます。');

    const opened = await openTagModal(owner);
    expect(JSON.stringify(opened.blocks)).toContain('"value":"資金計画"');
    // One modal, corrected and submitted again under its view id as Slack does.
    const view = { ...opened, id: `V${randomUUID().slice(0, 8)}` };
    expect(await submit(owner, view, {})).toMatchObject({
      errors: { tag: 'タグを選ぶか入力してください。' },
    });
    expect(await submit(owner, view, { tag: { value: '平屋,二階' } })).toMatchObject({
      errors: { tag: 'タグに読点やカンマは使えません。1つずつ追加してください。' },
    });
    expect(await submit(owner, view, { tag: { value: 'あ'.repeat(21) } })).toMatchObject({
      errors: { tag: 'タグが長すぎます。20文字以内で入力してください。' },
    });
    // Another rep cannot add through a modal either: the use case checks again.
    expect(await submit(other, view, { tag: { value: '平屋' } })).toMatchObject({
      errors: { tag: 'このリードの担当者かマネージャーだけが操作できます。' },
    });

    clock.set(tokyo('2026-12-01 10:00'));
    const answer = await submit(owner, view, {
      interest: { selected_option: { text: { type: 'plain_text', text: '資金計画' }, value: '資金計画' } },
      tag: { value: ' 平屋 ' },
    });
    expect(answer.errors).toBeUndefined();
    await app.slack.waitFor(() => cardText().includes('*タグ*\\n平屋、資金計画'));
    await app.slack.waitFor(() => cardText().includes('資金計画のヒント（配信中）'));
    expect(cardText()).toContain('次のステップ1/1: 12月1日(火) 12:00');
    await app.slack.waitFor(() =>
      threadTexts().some((t) => t.includes(`<@${owner}> がステップ配信「資金計画のヒント」を開始しました。`)),
    );
    const tags = await queryRows<{ tag: string; added_by: string }>(
      app.service,
      `select tag, added_by from lead_tags where lead_id = '${leadId}' order by tag`,
    );
    expect(tags).toEqual([
      { tag: '平屋', added_by: owner },
      { tag: '資金計画', added_by: owner },
    ]);
    expect((await enrolment('money-tips')).state).toBe('active');
    // The same view submitted again (a double click) only closes the modal; another says the tag is there.
    expect((await submit(owner, view, { tag: { value: ' 平屋 ' } })).errors).toBeUndefined();
    expect(await submit(owner, { ...opened }, { tag: { value: '平屋' } })).toMatchObject({
      errors: { tag: 'このタグはすでに付いています。' },
    });
    await app.service.worker.whenIdle();
    expect(
      await queryRows(app.service, `select id from sequence_enrolments where sequence_id = 'money-tips'`),
    ).toHaveLength(1);
    expect(threadTexts().filter((t) => t.includes('「資金計画のヒント」を開始しました。'))).toHaveLength(1);
    const added = threadTexts().filter((t) => t.includes(`<@${owner}> がタグを追加しました: `));
    expect(added).toHaveLength(1);
    expect(added[0]).toMatch(/資金計画/);
    expect(added[0]).toMatch(/平屋/);
  });

  it('removes a tag for the owner, not for another rep', async () => {
    const refused = await choose(other, controls(), 'lead_tag_remove', '平屋');
    expect(await answerTo(refused)).toContain('このリードの担当者かマネージャーだけが操作できます。');
    await choose(owner, controls(), 'lead_tag_remove', '平屋');
    await app.slack.waitFor(() => cardText().includes('*タグ*\\n資金計画"'));
    await app.slack.waitFor(() =>
      threadTexts().some((t) => t.includes(`<@${owner}> がタグを外しました: 平屋`)),
    );
    expect(await queryRows(app.service, `select tag from lead_tags where lead_id = '${leadId}'`)).toEqual([
      { tag: '資金計画' },
    ]);
  });

  it('lets a manager pause the tag’s sequence', async () => {
    const { id } = await enrolment('money-tips');
    await press(ADMIN, `sequence:${id}`, 'sequence_pause');
    await app.slack.waitFor(() => cardText().includes('資金計画のヒント（一時停止中）'));
    expect((await enrolment('money-tips')).state).toBe('paused');
  });

  it('/tsuikyaku lead shows the tags on the card', async () => {
    const answer = await slashCommandAnswer(app, owner, 'lead 高橋');
    expect(JSON.stringify(answer.blocks)).toContain('*タグ*\\n資金計画');
  });
});

describe('/tsuikyaku sequences', () => {
  it('lists every sequence with its enrolments, and the steps sent this month in Tokyo', async () => {
    const answer = await slashCommandAnswer(app, other, 'sequences');
    const text = JSON.stringify(answer.blocks);
    expect(text).toContain('*見学会のご案内*（`event-invite`）開始: 手動');
    expect(text).toContain('*資金計画のヒント*（`money-tips`）開始: タグ');
    expect(text).toContain('*引き渡し後のご案内*（`after-care`）開始: 手動');
    // The step at 8:30 on Dec 1 in Tokyo counts in December (it was still November in UTC).
    expect(text).toContain(
      '*見学会のご案内*（`event-invite`）開始: 手動\\n登録1件 ・ 配信中0件 ・ 一時停止0件 ・ 完了0件 ・ 停止1件\\n12月に送ったステップ: 1件',
    );
    expect(text).toContain(
      '登録1件 ・ 配信中0件 ・ 一時停止1件 ・ 完了0件 ・ 停止0件\\n12月に送ったステップ: 0件',
    );
    expect(text).toContain('登録0件 ・ 配信中0件 ・ 一時停止0件 ・ 完了0件 ・ 停止0件');
    expect(text).toContain('/tsuikyaku sequences ID');
  });

  it('previews each step rendered for a sample lead, with the caller as the owner', async () => {
    const answer = await slashCommandAnswer(app, REP_A, 'sequences event-invite');
    const text = JSON.stringify(answer.blocks);
    expect(text).toContain('プレビュー: 見学会のご案内');
    expect(text).toContain('対象: 商談中のお客様');
    expect(text).toContain('*ステップ1/2* 開始から20時間後の8:00');
    expect(text).toContain('> サンプル様、山田工務店です。見学会のご案内です。担当の佐藤がご説明します。');
    expect(text).toContain('*ステップ2/2* 前のステップから2日後');
    expect(text).toContain('タグ「デザイン」のお客様だけに送ります');
    for (const summary of [
      '(画像)',
      '(スタンプ)',
      '(テンプレート: 見学会の日程)',
      '(Flex: 施工事例のご紹介)',
    ])
      expect(text).toContain(summary);
  });

  it('says to whom a sequence sends now: each person, their owner and state', async () => {
    const text = JSON.stringify((await slashCommandAnswer(app, ADMIN, 'sequences money-tips')).blocks);
    expect(text).toContain('配信中・一時停止中のお客様: 1人');
    expect(text).toMatch(/（<@U[0-9A-Z]+>）一時停止中（次はステップ1\/1）/);
    const none = JSON.stringify((await slashCommandAnswer(app, ADMIN, 'sequences after-care')).blocks);
    expect(none).toContain('今このステップ配信にいるお客様はいません。');
  });

  it('names the ids when the id is unknown, and answers only staff', async () => {
    const unknown = await slashCommandAnswer(app, REP_B, 'sequences nurture-x');
    expect(unknown.text).toBe(
      '「nurture-x」というIDのステップ配信はありません。IDは次のとおりです: `event-invite`, `money-tips`, `after-care`',
    );
    expect((await slashCommandAnswer(app, STRANGER, 'sequences')).text).toBe(
      'スタッフとして登録されていません。マネージャーに登録を依頼してください。',
    );
    expect((await slashCommandAnswer(app, STRANGER, 'sequences event-invite')).text).toBe(
      'スタッフとして登録されていません。マネージャーに登録を依頼してください。',
    );
  });
});

function ownerName(): string {
  return owner === REP_A ? '佐藤' : '加藤';
}
