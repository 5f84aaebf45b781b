import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { followEvent, textMessageEvent } from '../../adapters/line/fake/line-webhook-events.ts';
import { queryRows } from '../support/db-peek.ts';
import { eventually } from '../support/eventually.ts';
import { befriend, leadIdOf, repReply, waitForCard } from '../support/scenario.ts';
import { Seeder } from '../support/seeder.ts';
import { viewSubmission } from '../support/slack-payloads.ts';
import { ADMIN, startTestApp, type TestApp } from '../support/test-app.ts';

const REP = 'U0ERASEREP1';
const HANAKO = 'Ue1a5e000000000000000000000000001';
const HANAKO_NAME = '消去花子テスト';
const PICTURE = 'https://profile.line-scdn.net/erase-hanako-picture';
const PHONE = '090-2468-1357';
const MESSAGE = `こんにちは、電話番号は${PHONE}です。見学希望`;
const REPLY = '消去花子テスト様、ご連絡ありがとうございます';
const NOTE = '消去花子テスト様の奥様と話した';
const SECRETS = [HANAKO, HANAKO_NAME, PICTURE, PHONE, '見学希望', REPLY, NOTE];

let app: TestApp;
type View = { callback_id: string; private_metadata: string; blocks: unknown[] };

const opened = () => app.slack.calls.filter((c) => c.method === 'views.open');

/** Runs `/tsuikyaku lead erase <query>` as `user`; returns the command's answer and any modal opened. */
async function eraseCommand(user: string, query: string): Promise<{ text: string; view: View | null }> {
  const before = opened().length;
  const answer = await app.slashCommand(user, `lead erase ${query}`);
  expect(answer.status).toBe(200);
  const call = opened()[before];
  return { text: answer.text, view: call ? (call.body.view as View) : null };
}

/** Every row of every table as text: what "nothing remains anywhere" is checked against. */
async function wholeDatabase(): Promise<string> {
  const tables = await queryRows<{ tablename: string }>(
    app.service,
    `select tablename from pg_tables where schemaname = current_schema()`,
  );
  expect(tables.map((t) => t.tablename)).toEqual(
    expect.arrayContaining(['leads', 'messages', 'lead_history']),
  );
  const dumps = await Promise.all(
    tables.map(async ({ tablename }) =>
      (await queryRows<{ row: string }>(app.service, `select t::text as row from "${tablename}" t`)).map(
        (r) => r.row,
      ),
    ),
  );
  return dumps.flat().join('\n');
}

beforeAll(async () => {
  app = await startTestApp();
  await app.slashCommand(ADMIN, `staff add <@${REP}> rep`);
  app.line.setProfile(HANAKO, { displayName: HANAKO_NAME, pictureUrl: PICTURE });
  const { card } = await befriend(app, HANAKO);
  await app.lineWebhook([textMessageEvent(app.line, HANAKO, MESSAGE)]);
  await repReply(app, card, REP, REPLY);
  await eventually(async () => app.line.pushes.length > 0 || undefined);
  const leadId = await leadIdOf(app, HANAKO);
  await new Seeder(app.service.store).touch({ id: leadId }, { at: new Date(), note: NOTE, authorId: REP });
  await app.service.worker.whenIdle();
});

afterAll(async () => {
  await app?.close();
});

describe('/tsuikyaku lead erase', () => {
  it('is refused to a rep, and changes nothing', async () => {
    const { text, view } = await eraseCommand(REP, '消去花子');
    expect(text).toBe('このコマンドはマネージャーのみ実行できます。変更はしていません。');
    expect(view).toBeNull();
    expect(await wholeDatabase()).toContain(HANAKO_NAME);
  });

  it('says so when nobody matches, and shows the usage without a name', async () => {
    expect((await eraseCommand(ADMIN, '存在しない名前')).text).toBe(
      '「存在しない名前」に一致するリードは見つかりませんでした。',
    );
    expect((await app.slashCommand(ADMIN, 'lead erase')).text).toContain('lead erase');
  });

  it('shows a manager what will be removed, erases on confirm, and leaves nothing that identifies the person', async () => {
    const leadId = await leadIdOf(app, HANAKO);
    const { card } = await waitForCard(app, HANAKO);
    const { view } = await eraseCommand(ADMIN, '消去花子');
    if (!view) throw new Error('no confirmation modal');
    const shown = JSON.stringify(view.blocks);
    expect(shown).toContain(HANAKO_NAME);
    expect(shown).toContain('メッセージ2件');
    expect(shown).toContain('Slackに投稿済みのメッセージは削除されません');
    // Looking is not erasing.
    expect(await wholeDatabase()).toContain(HANAKO_NAME);

    const res = await app.interact(viewSubmission(ADMIN, view, {}));
    const answer = (await res.json()) as { response_action: string; view: View };
    expect(answer.response_action).toBe('update');
    expect(JSON.stringify(answer.view.blocks)).toContain('個人情報を削除しました。メッセージ2件を削除し');
    await app.service.worker.whenIdle();

    const everything = await wholeDatabase();
    for (const secret of SECRETS) expect(everything, secret).not.toContain(secret);
    const [lead] = await queryRows<{
      erased_at: Date | null;
      display_name: string | null;
      stage: string;
      owner_id: string;
    }>(app.service, `select erased_at, display_name, stage, owner_id from leads where id = '${leadId}'`);
    expect(lead).toMatchObject({ display_name: null, stage: 'open', owner_id: REP });
    expect(lead?.erased_at).not.toBeNull();
    const history = await app.service.store.history.listForLead(leadId);
    expect(history.at(-1)).toMatchObject({ fact: 'erased', actor: ADMIN });
    // Touches stay for the team's numbers, without what anyone wrote.
    const [touches] = await queryRows<{ n: number; notes: number }>(
      app.service,
      `select count(*)::int as n, count(note)::int as notes from touches where lead_id = '${leadId}'`,
    );
    expect(touches).toEqual({ n: 3, notes: 0 });

    // The thread is told, and the card at its top no longer names the person.
    const notice = app.slack.messages.find(
      (m) =>
        m.channel === card.channel && m.threadTs === card.ts && m.text?.includes('個人情報を削除しました'),
    );
    expect(notice?.text).toContain(`<@${ADMIN}>`);
    expect(notice?.text).toContain('ワークスペースの管理者が削除');
    const updated = app.slack.messages.find((m) => m.channel === card.channel && m.ts === card.ts);
    expect(JSON.stringify(updated?.blocks)).not.toContain(HANAKO_NAME);
    expect(JSON.stringify(updated?.blocks)).toContain('個人情報を削除したリード');
  });

  it('work still queued for an erased lead (written by a race) reaches neither LINE nor Slack', async () => {
    const [erased] = await queryRows<{ id: string }>(
      app.service,
      `select id from leads where erased_at is not null`,
    );
    const leadId = erased?.id ?? '';
    const lineCalls = app.line.calls.length;
    const slackPosts = app.slack.calls.filter((c) => c.method === 'chat.postMessage').length;
    const key = `lead:${leadId}`;
    await app.service.store.outbox.enqueue([
      { job: { kind: 'line.profile', leadId }, orderKey: key },
      { job: { kind: 'slack.thread', leadId }, orderKey: key },
      {
        job: { kind: 'line.ack', leadId, replyToken: null, receivedAt: new Date().toISOString() },
        orderKey: key,
        retryKey: crypto.randomUUID(),
      },
    ]);
    app.service.worker.kick();
    await app.service.worker.whenIdle();
    expect(
      await queryRows(
        app.service,
        `select status from outbox where order_key = '${key}' and status <> 'done'`,
      ),
    ).toEqual([]);
    expect(app.line.calls.length).toBe(lineCalls);
    expect(app.slack.calls.filter((c) => c.method === 'chat.postMessage').length).toBe(slackPosts);
    // A profile fetched while the erasure ran is not written back either.
    await app.service.store.leads.setProfile(
      leadId,
      { displayName: HANAKO_NAME, pictureUrl: PICTURE },
      new Date(),
    );
    expect(await wholeDatabase()).not.toContain(HANAKO_NAME);
  });

  it('a reply in the old thread is not sent; a new message from the same LINE user starts a fresh lead', async () => {
    const [erased] = await queryRows<{ id: string }>(
      app.service,
      `select id from leads where erased_at is not null`,
    );
    const [thread] = await queryRows<{ channel_id: string; thread_ts: string }>(
      app.service,
      `select channel_id, thread_ts from lead_threads where lead_id = '${erased?.id}'`,
    );
    const pushesBefore = app.line.pushes.length;
    const oldCard = app.slack.messages.find(
      (m) => m.channel === thread?.channel_id && m.ts === thread?.thread_ts,
    );
    if (!oldCard) throw new Error('no old card');
    await repReply(app, oldCard, REP, 'まだいらっしゃいますか');
    await app.slack.waitFor(() =>
      app.slack.messages.find((m) => m.threadTs === oldCard.ts && m.text?.includes('削除済みのため')),
    );
    await app.service.worker.whenIdle();
    expect(app.line.pushes.length).toBe(pushesBefore);

    await app.lineWebhook([followEvent(app.line, HANAKO)]);
    await app.lineWebhook([textMessageEvent(app.line, HANAKO, 'また相談したいです')]);
    const fresh = await eventually(async () => {
      const [row] = await queryRows<{ id: string }>(
        app.service,
        `select id from leads where line_user_id = '${HANAKO}'`,
      );
      return row;
    });
    expect(fresh.id).not.toBe(erased?.id);
    await waitForCard(app, HANAKO);
  });

  it('finds a person by LINE user ID, and offers a choice when several names match', async () => {
    const byId = await eraseCommand(ADMIN, HANAKO);
    expect(byId.view?.callback_id).toBe('lead_erase_confirm');

    app.line.setProfile('Ue1a5e000000000000000000000000002', { displayName: '消去次郎' });
    app.line.setProfile('Ue1a5e000000000000000000000000003', { displayName: '消去三郎' });
    await befriend(app, 'Ue1a5e000000000000000000000000002');
    await befriend(app, 'Ue1a5e000000000000000000000000003');
    const several = await eraseCommand(ADMIN, '消去');
    const choose = several.view;
    if (!choose) throw new Error('no choice modal');
    expect(choose.callback_id).toBe('lead_erase_choose');
    const jiro = await leadIdOf(app, 'Ue1a5e000000000000000000000000002');
    const forged = await app.interact(
      viewSubmission(ADMIN, choose, {
        lead: { type: 'radio_buttons', selected_option: { value: crypto.randomUUID() } },
      }),
    );
    expect(await forged.json()).toMatchObject({ response_action: 'errors' });
    const res = await app.interact(
      viewSubmission(ADMIN, choose, { lead: { type: 'radio_buttons', selected_option: { value: jiro } } }),
    );
    const answer = (await res.json()) as { response_action: string; view: View };
    expect(answer).toMatchObject({ response_action: 'update', view: { callback_id: 'lead_erase_confirm' } });
    expect(JSON.stringify(answer.view.blocks)).toContain('消去次郎');
    // A rep who got hold of the confirmation still cannot erase.
    const refused = await app.interact(viewSubmission(REP, answer.view, {}));
    expect(JSON.stringify(await refused.json())).toContain('マネージャーのみ');
    expect(await leadIdOf(app, 'Ue1a5e000000000000000000000000002')).toBe(jiro);
  });
});
