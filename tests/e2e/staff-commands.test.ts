import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { followEvent, textMessageEvent } from '../../adapters/line/fake/line-webhook-events.ts';
import { queryRows } from '../support/db-peek.ts';
import { ADMIN, startTestApp, type TestApp } from '../support/test-app.ts';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

const staffRows = () =>
  queryRows<{ slack_user_id: string; role: string; active: boolean; display_name: string | null }>(
    app.service,
    'select slack_user_id, role, active, display_name from staff order by slack_user_id',
  );

describe('/tsuikyaku staff', () => {
  it('makes SLACK_ADMIN_USER_IDS managers from the first start', async () => {
    expect(await staffRows()).toEqual([
      { slack_user_id: ADMIN, role: 'manager', active: true, display_name: null },
    ]);
  });

  it('shows help to anyone, in Japanese', async () => {
    const res = await app.slashCommand('U0NOBODY01', 'help');
    expect(res.status).toBe(200);
    expect(res.text).toContain('/tsuikyaku staff add');
    expect((await app.slashCommand('U0NOBODY01', '')).text).toContain('使い方');
  });

  it('accepts <@U|name>, <@U> and a bare U… id', async () => {
    app.slack.addUser({ id: 'U0ADD00001', name: 'ito', displayName: '伊藤' });
    expect((await app.slashCommand(ADMIN, 'staff add <@U0ADD00001|ito> rep')).text).toBe(
      '<@U0ADD00001> を営業として登録しました。',
    );
    expect((await app.slashCommand(ADMIN, 'staff add <@U0ADD00002> manager')).text).toContain('マネージャー');
    expect((await app.slashCommand(ADMIN, 'staff add U0ADD00003 rep')).text).toContain('<@U0ADD00003>');
    const rows = await staffRows();
    expect(rows.map((r) => [r.slack_user_id, r.role])).toEqual([
      ['U0ADD00001', 'rep'],
      ['U0ADD00002', 'manager'],
      ['U0ADD00003', 'rep'],
      [ADMIN, 'manager'],
    ]);
  });

  it('fills in the display name from Slack for the LINE sender name', async () => {
    await app.slack.waitFor(() =>
      app.slack.calls.find((c) => c.method === 'users.info' && c.body.user === 'U0ADD00001'),
    );
    await expect
      .poll(async () => (await staffRows()).find((r) => r.slack_user_id === 'U0ADD00001')?.display_name)
      .toBe('伊藤');
  });

  it('refuses manager commands from a rep and changes nothing', async () => {
    const before = await staffRows();
    const res = await app.slashCommand('U0ADD00001', 'staff add U0SNEAKY01 manager');
    expect(res.text).toBe('このコマンドはマネージャーのみ実行できます。変更はしていません。');
    expect((await app.slashCommand('U0ADD00001', 'staff remove U0ADD00003')).text).toContain(
      'マネージャーのみ',
    );
    expect((await app.slashCommand('U0STRANGER', 'staff add U0SNEAKY01 manager')).text).toContain(
      'マネージャーのみ',
    );
    expect(await staffRows()).toEqual(before);
  });

  it('explains bad input', async () => {
    expect((await app.slashCommand(ADMIN, 'staff add')).text).toContain(
      'staff add @ユーザー 営業|マネージャー',
    );
    expect((await app.slashCommand(ADMIN, 'staff add bob rep')).text).toContain('@メンション');
    expect((await app.slashCommand(ADMIN, 'staff add U0BOB00001 boss')).text).toContain(
      '役割は「営業」か「マネージャー」',
    );
    expect((await app.slashCommand(ADMIN, 'launch rockets')).text).toContain(
      '「launch」というコマンドはありません',
    );
    expect((await app.slashCommand(ADMIN, 'staff remove U0UNKNOWN1')).text).toContain('登録されていません');
  });

  it('picks the subcommand by its first word, English or Japanese, case-sensitively', async () => {
    expect((await app.slashCommand('U0NOBODY01', 'ヘルプ')).text).toContain('/tsuikyaku staff add');
    expect((await app.slashCommand('U0NOBODY01', '  help  me ')).text).toContain('/tsuikyaku staff add');
    expect((await app.slashCommand('U0NOBODY01', '今日')).text).toContain('スタッフとして登録されていません');
    expect((await app.slashCommand(ADMIN, 'リード')).text).toBe('使い方: `/tsuikyaku lead 名前の一部`');
    for (const [text, word] of [
      ['Staff list', 'Staff'],
      ['スタッフ 一覧', 'スタッフ'],
      ['list', 'list'],
      ['add U0ADD00009 rep', 'add'],
    ] as const) {
      expect((await app.slashCommand(ADMIN, text)).text).toBe(
        `「${word}」というコマンドはありません。\`/tsuikyaku help\` で使い方を確認できます。`,
      );
    }
  });

  it('lists active staff for anyone', async () => {
    const res = await app.slashCommand('U0NOBODY01', 'staff list');
    expect(res.text).toContain('スタッフ一覧');
    expect(res.text).toContain('<@U0ADD00001> 営業');
    expect(res.text).toContain(`<@${ADMIN}> マネージャー`);
  });

  it('hands a removed rep’s leads to the next rep, with the history, and tells the new owner', async () => {
    const lead = 'Uremove0000000000000000000000001';
    // Round-robin: find which rep gets this lead, then remove that rep.
    await app.lineWebhook([
      followEvent(app.line, lead),
      textMessageEvent(app.line, lead, '引き継ぎ前のメッセージ'),
    ]);
    const [owned] = await queryRows<{ owner_id: string }>(
      app.service,
      `select owner_id from leads where line_user_id = '${lead}'`,
    );
    const from = owned?.owner_id ?? '';
    const to = from === 'U0ADD00001' ? 'U0ADD00003' : 'U0ADD00001';
    await app.slack.waitFor(() => app.slack.messages.find((m) => m.text === '引き継ぎ前のメッセージ'));
    const res = await app.slashCommand(ADMIN, `staff remove <@${from}>`);
    expect(res.text).toBe(`<@${from}> を削除し、担当リード1件を引き継ぎました。`);
    const newCard = await app.slack.waitFor(() =>
      app.slack.messages.find((m) => m.channel === app.slack.dmChannelOf(to) && !m.threadTs),
    );
    const thread = await app.slack.waitFor(() => {
      const t = app.slack.thread(newCard.channel, newCard.ts);
      return t.length >= 3 ? t : undefined;
    });
    expect(JSON.stringify(thread[1]?.blocks)).toContain('引き継ぎ前のメッセージ');
    expect(thread[2]?.text).toContain(`担当が <@${from}> から <@${to}> に変わりました。`);
    expect((await staffRows()).find((r) => r.slack_user_id === from)?.active).toBe(false);
  });
});
