import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  fileMessageEvent,
  followEvent,
  imageMessageEvent,
  locationMessageEvent,
  stickerMessageEvent,
  textMessageEvent,
  unfollowEvent,
} from '../../adapters/line/fake/line-webhook-events.ts';
import type { FakeSlackMessage } from '../../adapters/slack/fake/fake-slack-api.ts';
import { queryRows } from '../support/db-peek.ts';
import {
  befriend as befriendIn,
  leadIdOf,
  repReply as replyIn,
  waitForCard as waitForCardIn,
} from '../support/scenario.ts';
import { blockAction } from '../support/slack-payloads.ts';
import { ADMIN, startTestApp, TEAM_CHANNEL, type TestApp } from '../support/test-app.ts';

const REP_A = 'U0REPAAAA1';
const REP_B = 'U0REPBBBB2';

let app: TestApp;
let seq = 0;
const newLead = () => `U${(++seq).toString(16).padStart(32, 'c')}`;

async function ownerOf(lineUserId: string): Promise<string | null> {
  const [row] = await queryRows<{ owner_id: string | null }>(
    app.service,
    `select owner_id from leads where line_user_id = '${lineUserId}'`,
  );
  return row?.owner_id ?? null;
}

const befriend = (lineUserId: string, name?: string) => befriendIn(app, lineUserId, name);
const waitForCard = (lineUserId: string) => waitForCardIn(app, lineUserId);
const repReply = (card: FakeSlackMessage, user: string, text: string, extra: Record<string, unknown> = {}) =>
  replyIn(app, card, user, text, extra);
const threadOf = (card: FakeSlackMessage) => app.slack.thread(card.channel, card.ts);

beforeAll(async () => {
  app = await startTestApp();
  app.slack.addUser({ id: REP_A, name: 'sato', realName: '佐藤 花子', displayName: '佐藤' });
  app.slack.addUser({ id: REP_B, name: 'suzuki', realName: '鈴木 一郎', displayName: '' });
});
afterAll(async () => {
  await app?.close();
});
beforeEach(() => {
  app.line.reset();
});

describe('with no reps registered', () => {
  it('posts a new lead to the team channel with a claim button, and relays its messages there', async () => {
    const lead = newLead();
    app.line.setProfile(lead, { displayName: '高橋 美咲' });
    await app.lineWebhook([
      followEvent(app.line, lead),
      textMessageEvent(app.line, lead, '資料請求しました'),
    ]);
    const { card, owner } = await waitForCard(lead);
    expect(owner).toBe('team');
    expect(card.channel).toBe(TEAM_CHANNEL);
    expect(JSON.stringify(card.blocks)).toContain('担当する');
    const message = await app.slack.waitFor(() => threadOf(card)[1]);
    expect(message.text).toBe('資料請求しました');
  });

  it('gives the lead to exactly one of two reps pressing 担当する at once; the other is told who won', async () => {
    await app.slashCommand(ADMIN, `staff add <@${REP_A}> rep`);
    await app.slashCommand(ADMIN, `staff add <@${REP_B}> rep`);
    const lead = newLead();
    await app.slashCommand(ADMIN, `staff remove <@${REP_A}>`);
    await app.slashCommand(ADMIN, `staff remove <@${REP_B}>`);
    await app.lineWebhook([followEvent(app.line, lead), textMessageEvent(app.line, lead, '相談したいです')]);
    const { card } = await waitForCard(lead);
    await app.slack.waitFor(() => threadOf(card)[1]);
    await app.slashCommand(ADMIN, `staff add <@${REP_A}> rep`);
    await app.slashCommand(ADMIN, `staff add <@${REP_B}> rep`);

    const leadId = await leadIdOf(app, lead);
    // Both press at once; either may win. Each press gets its own response_url, so the answer
    // each of them was given can be told apart.
    const answerUrl = (user: string) => `claim-${lead}-${user}`;
    const press = (user: string) =>
      app.interact(
        blockAction(
          user,
          card,
          { type: 'button', action_id: 'lead_claim', value: leadId },
          app.slack.responseUrl(answerUrl(user)),
        ),
      );
    const statuses = await Promise.all([press(REP_A), press(REP_B)].map(async (r) => (await r).status));
    expect(statuses).toEqual([200, 200]);
    // The 200 is the ack, sent before the claim is made; the answers come once each press is settled.
    const answerTo = (user: string) =>
      app.slack.waitFor(() => app.slack.responses.find((r) => r.id === answerUrl(user)));
    const [toA, toB] = await Promise.all([answerTo(REP_A), answerTo(REP_B)]);
    const winner = await ownerOf(lead);
    expect([REP_A, REP_B]).toContain(winner);
    const [won, lost] = winner === REP_A ? [toA, toB] : [toB, toA];
    expect(lost.body.text).toBe(`このリードはすでに <@${winner}> が担当しています。`);
    expect(won.body.text).toContain('の担当になりました');
    // The team card now names the owner; the new owner's DM gets the card and the history.
    await app.slack.waitFor(() => {
      const updated = app.slack.messages.find((m) => m.channel === TEAM_CHANNEL && m.ts === card.ts);
      return updated?.updatedAt && JSON.stringify(updated.blocks).includes(`<@${winner}>`);
    });
    const { card: dmCard } = await waitForCard(lead);
    expect(dmCard.channel).toBe(app.slack.dmChannelOf(winner as string));
    const history = await app.slack.waitFor(() => threadOf(dmCard)[1]);
    expect(JSON.stringify(history.blocks)).toContain('相談したいです');
    await app.service.worker.whenIdle();
    // Only the winner got a thread for the lead; the other rep's DM has none.
    const targets = await queryRows<{ target: string }>(
      app.service,
      `select target from lead_threads where lead_id = '${leadId}' order by target`,
    );
    expect(targets.map((t) => t.target).sort()).toEqual([winner, 'team'].sort());
  });

  it('refuses a claim from someone who is not staff, and ignores forged lead ids', async () => {
    const lead = newLead();
    await app.slashCommand(ADMIN, `staff remove <@${REP_A}>`);
    await app.slashCommand(ADMIN, `staff remove <@${REP_B}>`);
    await app.lineWebhook([followEvent(app.line, lead)]);
    const { card } = await waitForCard(lead);
    const leadId = await leadIdOf(app, lead);
    await app.clickButton(
      'U0OUTSIDER',
      { action_id: 'lead_claim', value: leadId },
      { channel: card.channel, ts: card.ts },
    );
    await app.slack.waitFor(() =>
      app.slack.responses.find((r) => String(r.body.text).includes('スタッフとして登録されていない')),
    );
    await app.clickButton(
      ADMIN,
      { action_id: 'lead_claim', value: 'not-a-uuid' },
      { channel: card.channel, ts: card.ts },
    );
    await app.slack.waitFor(() =>
      app.slack.responses.find((r) => r.body.text === 'このリードは見つかりませんでした。'),
    );
    expect(await ownerOf(lead)).toBeNull();
    await app.slashCommand(ADMIN, `staff add <@${REP_A}> rep`);
    await app.slashCommand(ADMIN, `staff add <@${REP_B}> rep`);
  });
});

describe('with reps', () => {
  it('assigns new leads round-robin among active reps', async () => {
    const leads = [newLead(), newLead(), newLead(), newLead()];
    for (const lead of leads) await app.lineWebhook([followEvent(app.line, lead)]);
    const owners = await Promise.all(leads.map(ownerOf));
    expect(new Set(owners.slice(0, 2))).toEqual(new Set([REP_A, REP_B]));
    expect(owners[2]).toBe(owners[0]);
    expect(owners[3]).toBe(owners[1]);
  });

  it('shows the lead card with name, source and status, and the picture from the LINE profile', async () => {
    const lead = newLead();
    app.line.setProfile(lead, { displayName: '田中 一郎', pictureUrl: 'https://profile.line-scdn.net/abc' });
    const { card } = await befriend(lead);
    const blocks = JSON.stringify(card.blocks);
    expect(blocks).toContain('田中 一郎さん');
    expect(blocks).toContain('LINE友だち追加');
    expect(blocks).toContain('追客中');
    expect(blocks).toContain('https://profile.line-scdn.net/abc');
  });

  it('shows non-text messages meaningfully and escapes lead text so it cannot ping or disguise links', async () => {
    const lead = newLead();
    const { card } = await befriend(lead, '伊藤 さくら');
    await app.lineWebhook([
      textMessageEvent(app.line, lead, '<!channel> <@U0REPAAAA1> <https://evil.example|銀行>'),
      stickerMessageEvent(app.line, lead, '446', '1988'),
      imageMessageEvent(app.line, lead),
      fileMessageEvent(app.line, lead, '間取り図.pdf', 2_500_000),
      locationMessageEvent(app.line, lead, 'モデルハウス', '東京都港区1-2-3', 35.66, 139.73),
    ]);
    const thread = await app.slack.waitFor(() => (threadOf(card).length >= 6 ? threadOf(card) : undefined));
    const texts = thread.slice(1).map((m) => m.text ?? '');
    expect(texts[0]).toBe('&lt;!channel&gt; &lt;@U0REPAAAA1&gt; &lt;https://evil.example|銀行&gt;');
    expect(texts[1]).toContain('スタンプ');
    expect(texts[2]).toContain('画像');
    expect(texts[3]).toContain('ファイル: 間取り図.pdf');
    expect(texts[3]).toContain('2.4 MB');
    expect(texts[4]).toContain('モデルハウス 東京都港区1-2-3');
    expect(texts[4]).toContain('https://www.google.com/maps?q=35.66,139.73');
  });

  it('keeps one thread per lead and the order of its messages', async () => {
    const lead = newLead();
    const { card } = await befriend(lead);
    for (let i = 1; i <= 8; i++) await app.lineWebhook([textMessageEvent(app.line, lead, `順番 ${i}`)]);
    const thread = await app.slack.waitFor(() => (threadOf(card).length >= 9 ? threadOf(card) : undefined));
    expect(thread.slice(1).map((m) => m.text)).toEqual(Array.from({ length: 8 }, (_, i) => `順番 ${i + 1}`));
  });

  it('sends the rep reply exactly as typed, with links and entities undone, as the rep', async () => {
    const lead = newLead();
    const { card, owner } = await befriend(lead);
    await repReply(
      card,
      owner,
      '詳細は <https://example.com/plan|example.com/plan> をご覧ください &lt;3&gt; &amp; 宜しく',
    );
    const push = await app.line.waitFor(() => app.line.pushes[0]);
    // REP_B has no Slack display name, so the real name stands in.
    const name = owner === REP_A ? '佐藤' : '鈴木 一郎';
    expect(push.messages).toEqual([
      { type: 'text', text: '詳細は example.com/plan をご覧ください <3> & 宜しく', sender: { name } },
    ]);
    const replied = await app.slack.waitFor(() =>
      threadOf(card).find((m) => m.user === owner && m.reactions.includes('white_check_mark')),
    );
    expect(replied.text).toContain('example.com/plan');
  });

  it('names mentioned staff in the rep reply and sends no Slack id, @channel or user group to the lead', async () => {
    const lead = newLead();
    const { card, owner } = await befriend(lead);
    // Staff names are looked up when staff are added; the reply only reads them from the database.
    await app.service.worker.whenIdle();
    const callsBefore = app.slack.calls.length;
    await repReply(
      card,
      owner,
      `<@${REP_A}> と <@${REP_B}> です <@U0NOBODY01> <!channel> <!here> <#C0TEAM0001|general> <!subteam^S0SALES|@sales> <#C0NONAME1> よろしく`,
    );
    const push = await app.line.waitFor(() => app.line.pushes[0]);
    const text = String(push.messages[0]?.text);
    expect(text).toBe('佐藤 と 鈴木 一郎 です #general よろしく');
    expect(text).not.toMatch(/[UCS]0[A-Z0-9]+|@channel|@here|@sales/);
    await app.service.worker.whenIdle();
    const askedSlack = app.slack.calls.slice(callsBefore).map((call) => call.method);
    expect(askedSlack).not.toContain('users.info');
  });

  it('refuses a reply from a rep who does not own the lead, and says so in the thread', async () => {
    const lead = newLead();
    const { card, owner } = await befriend(lead);
    const other = owner === REP_A ? REP_B : REP_A;
    await repReply(card, other, '横から失礼します');
    await app.slack.waitFor(() => threadOf(card).find((m) => m.text?.includes('担当ではないため')));
    await app.service.worker.whenIdle();
    expect(app.line.pushes).toHaveLength(0);
  });

  it('lets a manager reply to any lead', async () => {
    const lead = newLead();
    const { card } = await befriend(lead);
    await repReply(card, ADMIN, 'マネージャーの山本です');
    const push = await app.line.waitFor(() => app.line.pushes[0]);
    expect(push.messages[0]).toMatchObject({ text: 'マネージャーの山本です' });
  });

  it('does not send files or over-long replies, and says why', async () => {
    const lead = newLead();
    const { card, owner } = await befriend(lead);
    await repReply(card, owner, 'ファイルです', { subtype: 'file_share', files: [{ id: 'F1' }] });
    await repReply(card, owner, 'あ'.repeat(25_001));
    await app.slack.waitFor(() => threadOf(card).find((m) => m.text?.includes('テキストのみ')));
    await app.slack.waitFor(() => threadOf(card).find((m) => m.text?.includes('長すぎる')));
    await app.service.worker.whenIdle();
    expect(app.line.pushes).toHaveLength(0);
  });

  it('splits a long reply into several LINE messages in one push', async () => {
    const lead = newLead();
    const { card, owner } = await befriend(lead);
    await repReply(card, owner, 'い'.repeat(12_000));
    const push = await app.line.waitFor(() => app.line.pushes[0]);
    expect(push.messages.map((m) => String(m.text).length)).toEqual([5000, 5000, 2000]);
    await app.service.worker.whenIdle();
    expect(app.line.pushes).toHaveLength(1);
  });

  it('marks an unfollowing lead blocked, tells the owner, and sends nothing more', async () => {
    const lead = newLead();
    const { card, owner } = await befriend(lead);
    await app.lineWebhook([unfollowEvent(lead)]);
    await app.slack.waitFor(() => threadOf(card).find((m) => m.text?.includes('ブロックしました')));
    await repReply(card, owner, 'まだいますか？');
    await app.slack.waitFor(() => threadOf(card).find((m) => m.text?.includes('ブロック中のため')));
    await app.service.worker.whenIdle();
    expect(app.line.pushes).toHaveLength(0);
    // Coming back (isUnblocked) reactivates the lead in the same thread.
    await app.lineWebhook([followEvent(app.line, lead, { isUnblocked: true })]);
    await app.slack.waitFor(() => threadOf(card).find((m) => m.text?.includes('ブロックを解除')));
    await repReply(card, owner, 'おかえりなさい');
    await app.line.waitFor(() => app.line.pushes[0]);
  });
});
