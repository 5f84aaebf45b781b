import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeSlackUpload } from '../../adapters/slack/fake/fake-slack-api.ts';
import type { Lead } from '../../src/domain/lead.ts';
import { countRows } from '../support/db-peek.ts';
import { eventually } from '../support/eventually.ts';
import { readExport, recordsOf } from '../support/read-csv.ts';
import { Seeder } from '../support/seeder.ts';
import { ADMIN, startTestApp, type TestApp } from '../support/test-app.ts';

/*
 * `/tsuikyaku export leads|touches|messages [period]`: a manager gets a CSV in their DM, written
 * by the outbox and uploaded the way Slack takes files (getUploadURLExternal, the bytes,
 * completeUploadExternal). The test app's clock stands on Wednesday 2026-11-25 in Tokyo, so
 * "this week" is Monday 11-23 to Sunday 11-29: [2026-11-22T15:00Z, 2026-11-29T15:00Z).
 */

const REP = 'U0EXPORTREP1';
const at = (iso: string) => new Date(iso);
let app: TestApp;
const leads: Record<string, Lead> = {};

beforeAll(async () => {
  app = await startTestApp();
  const seed = new Seeder(app.service.store);
  await seed.staff({ slackUserId: REP, role: 'rep', displayName: '佐藤 一郎' });
  // Open since before the week, with a name a CSV must quote.
  leads.older = await seed.lead({ displayName: '山田, "花子"' }, at('2026-11-10T01:00:00Z'));
  // New this week, named like a formula, owned, with a timing, an amount and tags.
  leads.formula = await seed.lead(
    { displayName: '=SUM(1)', ownerId: REP, purchaseTiming: '2027-01', amountYen: 35_000_000 },
    at('2026-11-24T01:00:00Z'),
  );
  await app.service.store.tags.add(leads.formula.id, '資金計画', REP, at('2026-11-24T01:00:00Z'));
  await app.service.store.tags.add(leads.formula.id, '土地探し', REP, at('2026-11-24T01:00:00Z'));
  // Lost before the week began: not in this week's leads.
  leads.lostBefore = await seed.lead(
    {
      displayName: '失注 前週',
      stage: 'lost',
      closedAt: at('2026-11-20T01:00:00Z'),
      closeReason: 'competitor',
    },
    at('2026-11-01T01:00:00Z'),
  );
  // Lost during the week: in, with its reason and the rep's note.
  leads.lostDuring = await seed.lead(
    {
      displayName: '失注 今週',
      stage: 'lost',
      closedAt: at('2026-11-24T05:00:00Z'),
      closeReason: 'competitor: 地元の工務店',
    },
    at('2026-10-01T01:00:00Z'),
  );
  // Created after the week: not in it.
  leads.later = await seed.lead({ displayName: '来週 登録' }, at('2026-11-30T01:00:00Z'));
  // Erased at their request: only what the numbers need is left.
  leads.erased = await seed.lead({ displayName: '消去 される人' }, at('2026-11-24T02:00:00Z'));

  // Touches on both sides of the week's edges (Monday 0:00 and the next Monday 0:00 in Tokyo).
  await seed.touch(leads.older, { at: at('2026-11-22T14:59:59Z'), note: '前の週' });
  await seed.touch(leads.older, { at: at('2026-11-22T15:00:00Z'), note: '週の始まり' });
  await seed.touch(leads.older, { at: at('2026-11-29T15:00:00Z'), note: '次の週' });
  await seed.touch(leads.formula, {
    at: at('2026-11-24T02:00:00Z'),
    channel: 'phone',
    outcome: 'reached',
    authorId: REP,
    note: '来週また電話,\n見学会の件',
  });
  await seed.touch(leads.erased, { at: at('2026-11-24T03:00:00Z'), note: '消える メモ' });

  await seed.message(leads.formula, { at: at('2026-11-24T03:00:00Z'), text: 'こんにちは' });
  await seed.message(leads.formula, {
    at: at('2026-11-24T04:00:00Z'),
    text: '=お電話します',
    direction: 'outbound',
    authorId: REP,
  });
  await seed.message(leads.older, { at: at('2026-11-20T04:00:00Z'), text: '先週のメッセージ' });
  await seed.message(leads.erased, { at: at('2026-11-24T04:00:00Z'), text: '消える メッセージ' });

  const erased = await app.service.store.leads.get(leads.erased.id);
  if (!erased) throw new Error('the lead to erase is missing');
  await app.service.store.transaction((tx) => tx.erasure.erase(erased, at('2026-11-24T06:00:00Z')));
});
afterAll(async () => {
  await app?.close();
});

/** Runs the command and waits for the file it sends; returns the answer, the upload and its records. */
async function exportAs(userId: string, text: string) {
  const before = app.slack.uploads.length;
  const answer = await app.slashCommand(userId, text);
  const upload = await eventually(
    async () => app.slack.uploads.slice(before).find((u) => u.completed !== null),
    { what: `the file of "${text}"` },
  );
  await app.service.worker.whenIdle();
  return { answer: answer.text, upload, rows: readExport(upload.bytes as Buffer) };
}

const dm = () => app.slack.dmChannelOf(ADMIN);

describe('/tsuikyaku export', () => {
  it("sends this week's leads to the manager's DM: BOM, CRLF, a Japanese header, formulas kept as text", async () => {
    const { answer, upload, rows } = await exportAs(ADMIN, 'export leads');
    expect(answer).toBe(
      'リードのCSV（11月23日(月)〜11月29日(日)）を作成しています。できあがったらDMに送ります。',
    );
    // readExport is strict: a record not ended by CRLF, or a bare quote or line break, throws.
    expect(upload.filename).toMatch(/^tsuikyaku-leads-2026-11-23_2026-11-29_\d+\.csv$/);
    expect(upload.completed).toMatchObject({
      channel: dm(),
      title: 'リード（11月23日(月)〜11月29日(日)）',
      initialComment: 'リードのCSVです（11月23日(月)〜11月29日(日)、4件）。',
    });
    expect(rows[0]).toEqual([
      'リードID',
      '名前',
      '担当者',
      '段階',
      '検討時期',
      '検討時期の区分',
      '金額（円）',
      '登録日時',
      '最終接触日時',
      'お客様の最終メッセージ日時',
      '成約・失注日時',
      '失注理由',
      '引き渡し日',
      'ブロック日時',
      '配信停止日時',
      'タグ',
      '個人情報の削除日時',
    ]);
    const records = recordsOf(rows);
    // Oldest first: lost this week, open since before, new this week, erased. Not: lost before, created after.
    expect(records.map((r) => r.リードID)).toEqual([
      leads.lostDuring?.id,
      leads.older?.id,
      leads.formula?.id,
      leads.erased?.id,
    ]);
    const [lost, older, formula, erased] = records;
    expect(formula).toMatchObject({
      名前: "'=SUM(1)",
      担当者: '佐藤 一郎',
      段階: '追客中',
      検討時期: '2027-01',
      検討時期の区分: '3ヶ月以内',
      '金額（円）': '35000000',
      登録日時: '2026-11-24T10:00:00+09:00',
      タグ: '土地探し、資金計画',
      個人情報の削除日時: '',
    });
    expect(older).toMatchObject({ 名前: '山田, "花子"', 担当者: '未割当', 検討時期の区分: '未定' });
    expect(lost).toMatchObject({
      段階: '失注',
      '成約・失注日時': '2026-11-24T14:00:00+09:00',
      失注理由: '他社で契約（地元の工務店）',
    });
    expect(erased).toMatchObject({ 名前: '', タグ: '', 個人情報の削除日時: '2026-11-24T15:00:00+09:00' });
  });

  it("sends the touches in the period, by lead, with the erased lead's note gone", async () => {
    const { rows } = await exportAs(ADMIN, 'エクスポート 接触履歴 今週');
    expect(rows[0]).toEqual(['日時', 'リードID', 'リード名', '手段', '方向', '結果', '記録した人', 'メモ']);
    const records = recordsOf(rows);
    expect(records).toHaveLength(3);
    const byLead = (lead: Lead | undefined) => records.filter((r) => r.リードID === lead?.id);
    // Monday 0:00 is in; the second before it and the next Monday 0:00 are not.
    expect(byLead(leads.older)).toEqual([
      expect.objectContaining({
        日時: '2026-11-23T00:00:00+09:00',
        メモ: '週の始まり',
        リード名: '山田, "花子"',
      }),
    ]);
    expect(byLead(leads.formula)).toEqual([
      {
        日時: '2026-11-24T11:00:00+09:00',
        リードID: leads.formula?.id,
        リード名: "'=SUM(1)",
        手段: '電話',
        方向: '担当者から',
        結果: '話せた',
        記録した人: '佐藤 一郎',
        メモ: '来週また電話,\n見学会の件',
      },
    ]);
    expect(byLead(leads.erased)).toEqual([expect.objectContaining({ リード名: '', メモ: '' })]);
  });

  it("sends the messages in a month, without the erased lead's, a text starting with = kept as text", async () => {
    const { rows, upload } = await exportAs(ADMIN, 'export messages 2026-11');
    expect(upload.filename).toMatch(/^tsuikyaku-messages-2026-11-01_2026-11-30_\d+\.csv$/);
    const records = recordsOf(rows);
    expect(records.map((r) => r.本文)).toEqual(
      // By lead, so only the order within a lead is fixed.
      expect.arrayContaining(['先週のメッセージ', 'こんにちは', "'=お電話します"]),
    );
    expect(records).toHaveLength(3);
    expect(records.find((r) => r.本文 === "'=お電話します")).toMatchObject({
      日時: '2026-11-24T13:00:00+09:00',
      方向: '担当者から',
      種類: 'テキスト',
      送信者: '佐藤 一郎',
      状態: '送信済み',
    });
    expect(records.find((r) => r.本文 === 'こんにちは')).toMatchObject({ 方向: 'お客様から', 状態: '受信' });
  });

  it('sends a header-only file with a note for a period with nothing in it', async () => {
    const { rows, upload } = await exportAs(ADMIN, 'export touches 2026-10-01..2026-10-07');
    expect(rows).toHaveLength(1);
    expect(upload.completed?.initialComment).toBe(
      '10月1日(木)〜10月7日(水)の接触履歴はありません。見出し行だけのCSVを送ります。',
    );
  });

  it('refuses a rep and someone who is not staff, and queues nothing', async () => {
    const queued = () => countRows(app.service, 'outbox', "kind = 'slack.export'");
    const before = await queued();
    expect((await app.slashCommand(REP, 'export leads')).text).toBe(
      'CSVの書き出しはマネージャーのみ実行できます。',
    );
    expect((await app.slashCommand('U0NOTSTAFF9', 'export touches month')).text).toBe(
      'CSVの書き出しはマネージャーのみ実行できます。',
    );
    expect(await queued()).toBe(before);
  });

  it('names what is accepted when the period or the dataset is not understood', async () => {
    const bad = await app.slashCommand(ADMIN, 'export leads 来週');
    expect(bad.text).toContain('「来週」は期間として使えません。');
    expect(bad.text).toContain('`today`（今日）、`week`（今週、指定しないとき）');
    expect(bad.text).toContain('`2026-11-01..2026-11-30`（日付の範囲、366日まで）');
    const reversed = await app.slashCommand(ADMIN, 'export leads 2026-11-30..2026-11-01');
    expect(reversed.text).toContain('「2026-11-30..2026-11-01」は終わりの日が始まりの日より前です。');
    const unknown = await app.slashCommand(ADMIN, 'export customers');
    expect(unknown.text).toContain('「customers」は書き出せません。');
    expect((await app.slashCommand(ADMIN, 'export')).text).toContain(
      '使い方: `/tsuikyaku export leads|touches|messages [期間]`',
    );
  });

  it('does not share the file twice when the answer to the first share is lost', async () => {
    app.slack.failNext('files.completeUploadExternal', 'lose_answer');
    const before = app.slack.uploads.length;
    const lookups = () => app.slack.calls.filter((c) => c.method === 'conversations.history').length;
    const lookupsBefore = lookups();
    await app.slashCommand(ADMIN, 'export touches');
    // Idle only once the row is done: its second attempt included.
    await app.service.worker.whenIdle();
    const shared = app.slack.uploads.slice(before).filter((u: FakeSlackUpload) => u.completed !== null);
    expect(shared).toHaveLength(1);
    const inDm = app.slack.messages.filter(
      (m) => m.channel === dm() && m.files?.some((f) => f.id === shared[0]?.fileId),
    );
    expect(inDm).toHaveLength(1);
    // The second attempt looked for the first one's share before uploading anything.
    expect(lookups()).toBeGreaterThan(lookupsBefore);
    expect(await countRows(app.service, 'outbox', "kind = 'slack.export' and status <> 'done'")).toBe(0);
  });

  it('tells the manager in their DM when Slack refuses the file for good', async () => {
    app.slack.failNext('files.completeUploadExternal', { error: 'not_in_channel' });
    await app.slashCommand(ADMIN, 'export messages today');
    const told = await eventually(
      async () =>
        app.slack.messages.find((m) => m.channel === dm() && m.text?.includes('を送れませんでした')),
      { what: 'the failure in the DM' },
    );
    expect(told.text).toBe(
      'メッセージのCSV（11月25日(水)）を送れませんでした（Slack error: not_in_channel）。もう一度お試しください。続くときは、ボットの権限（files:write）を管理者に確認してもらってください。',
    );
    await app.service.worker.whenIdle();
  });
});

describe('/tsuikyaku export with LOCALE=en', () => {
  let en: TestApp;
  beforeAll(async () => {
    en = await startTestApp({ env: { LOCALE: 'en' } });
  });
  afterAll(async () => {
    await en?.close();
  });

  it('writes the header row and the answer in English', async () => {
    const answer = await en.slashCommand(ADMIN, 'export touches');
    expect(answer.text).toBe(
      'Preparing the touches CSV for Mon, Nov 23 to Sun, Nov 29. It will arrive in your DM with the bot.',
    );
    const upload = await eventually(async () => en.slack.uploads.find((u) => u.completed !== null), {
      what: 'the English file',
    });
    expect(readExport(upload.bytes as Buffer)).toEqual([
      ['At', 'Lead ID', 'Lead', 'Channel', 'Direction', 'Outcome', 'Logged by', 'Note'],
    ]);
    expect(upload.completed?.initialComment).toBe(
      'No touches for Mon, Nov 23 to Sun, Nov 29: the CSV holds only the header row.',
    );
  });
});
