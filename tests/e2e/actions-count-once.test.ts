import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeLineApi } from '../../adapters/line/fake/fake-line-api.ts';
import type { FakeSlackMessage } from '../../adapters/slack/fake/fake-slack-api.ts';
import { startFakeSlackApi } from '../../adapters/slack/fake/fake-slack-api.ts';
import { countRows, queryRows } from '../support/db-peek.ts';
import { eventually } from '../support/eventually.ts';
import { befriend, leadIdOf, waitForCard } from '../support/scenario.ts';
import { scrape } from '../support/scrape.ts';
import { blockAction, findElement, viewSubmission } from '../support/slack-payloads.ts';
import {
  ADMIN,
  LINE_TOKEN,
  SLACK_TOKEN,
  startTestApp,
  TEAM_CHANNEL,
  type TestApp,
} from '../support/test-app.ts';
import { createTestDatabase, onPostgres } from '../support/test-database.ts';

const REP_A = 'U0ONCEREPA1';
const REP_B = 'U0ONCEREPB2';
const TEAM_LEAD = `U${'e'.repeat(32)}`;

let app: TestApp;
let seq = 0;
const newLead = () => `U${(++seq).toString(16).padStart(32, 'd')}`;

interface OpenedView {
  id: string;
  callback_id: string;
  private_metadata: string;
}

const opened = (on: TestApp) => on.slack.calls.filter((c) => c.method === 'views.open');

/** Presses a modal-opening button on the card and returns the view as Slack opened it (with its id). */
async function openModal(owner: string, card: FakeSlackMessage, actionId: string, leadId: string) {
  const before = opened(app).length;
  const { element, blockId } = findElement(card, actionId, leadId);
  await app.interact(blockAction(owner, card, { ...element, block_id: blockId }, app.slack.responseUrl()));
  const call = await app.slack.waitFor(() => {
    const c = opened(app)[before];
    return c && c.status !== 0 ? c : undefined;
  });
  return (call.response as { view: OpenedView }).view;
}

/** Posts one interactivity payload and returns Slack's view of the answer: '' (close) or the JSON. */
async function send(on: TestApp, payload: Record<string, unknown>): Promise<string> {
  const res = await on.interact(payload);
  expect(res.status).toBe(200);
  return res.text();
}

const callValues = (outcome = 'no_answer') => ({
  outcome: { type: 'radio_buttons', selected_option: { value: outcome } },
  note: { type: 'plain_text_input', value: null },
  next: { type: 'datepicker', selected_date: null },
});

const outboundTouches = (on: TestApp, leadId: string) =>
  countRows(on.service, 'touches', `lead_id = '${leadId}' and direction = 'outbound'`);
const historyRows = (leadId: string, fact: string) =>
  countRows(app.service, 'lead_history', `lead_id = '${leadId}' and fact = '${fact}'`);
const outboxRows = (leadId: string, kind: string) =>
  countRows(app.service, 'outbox', `kind = '${kind}' and payload->>'leadId' = '${leadId}'`);
const leadRow = async (on: TestApp, leadId: string) =>
  (
    await queryRows<{ stage: string; unanswered_attempts: number; owner_id: string | null }>(
      on.service,
      `select stage, unanswered_attempts, owner_id from leads where id = '${leadId}'`,
    )
  )[0];
const cardNow = (on: TestApp, card: FakeSlackMessage) =>
  JSON.stringify(on.slack.messages.find((m) => m.channel === card.channel && m.ts === card.ts)?.blocks ?? []);

/** Block actions whose listener has finished (answered, changed, or found nothing to do). */
async function blockActionsSettled(): Promise<number> {
  return (
    (await scrape(app.url)).value('tsuikyaku_slack_requests_total', {
      kind: 'block_actions',
      result: 'ok',
    }) ?? 0
  );
}
async function untilSettled(count: number) {
  await eventually(async () => (await blockActionsSettled()) >= count, {
    what: `${count} block actions settled`,
  });
}

async function newLeadWithCard() {
  const lineUserId = newLead();
  const { card, owner } = await befriend(app, lineUserId);
  const leadId = await leadIdOf(app, lineUserId);
  await app.service.worker.whenIdle();
  return { lineUserId, card, owner, leadId };
}

beforeAll(async () => {
  app = await startTestApp();
  // Before any rep is registered, a lead goes to the team channel with 担当する.
  await befriend(app, TEAM_LEAD);
  for (const rep of [REP_A, REP_B]) {
    app.slack.addUser({ id: rep, name: rep.toLowerCase() });
    await app.slashCommand(ADMIN, `staff add <@${rep}> rep`);
  }
});
afterAll(async () => {
  await app?.close();
});

describe('a modal submitted twice takes effect once', () => {
  it('logs one call for a double click on 記録する, one after the other: the card says 次は2回目', async () => {
    const { card, owner, leadId } = await newLeadWithCard();
    expect(cardNow(app, card)).toContain('次は1回目');
    const cardRows = await outboxRows(leadId, 'slack.card');
    const view = await openModal(owner, card, 'lead_call', leadId);
    const payload = viewSubmission(owner, view, callValues());
    // Both answers close the modal: the second is acknowledged, not refused.
    expect(await send(app, payload)).toBe('');
    expect(await send(app, payload)).toBe('');
    await app.service.worker.whenIdle();
    expect(await outboundTouches(app, leadId)).toBe(1);
    expect((await leadRow(app, leadId))?.unanswered_attempts).toBe(1);
    expect(cardNow(app, card)).toContain('次は2回目');
    expect(cardNow(app, card)).not.toContain('次は3回目');
    expect(await outboxRows(leadId, 'slack.card')).toBe(cardRows + 1);
  });

  it('logs one call when the same submission arrives four times at once, and never moves the lead to 長期フォロー', async () => {
    const { card, owner, leadId } = await newLeadWithCard();
    const view = await openModal(owner, card, 'lead_call', leadId);
    const payload = viewSubmission(owner, view, callValues());
    const answers = await Promise.all([1, 2, 3, 4].map(() => send(app, payload)));
    expect(answers).toEqual(['', '', '', '']);
    await app.service.worker.whenIdle();
    expect(await outboundTouches(app, leadId)).toBe(1);
    expect(await leadRow(app, leadId)).toMatchObject({ stage: 'open', unanswered_attempts: 1 });
    expect(await outboxRows(leadId, 'slack.notice')).toBe(0);
    expect(app.slack.thread(card.channel, card.ts).some((m) => m.text?.includes('長期フォロー'))).toBe(false);
    expect(cardNow(app, card)).toContain('次は2回目');
  });

  it('logs one visit for a double submission of 訪問した', async () => {
    const { card, owner, leadId } = await newLeadWithCard();
    const view = await openModal(owner, card, 'lead_visit', leadId);
    const payload = viewSubmission(owner, view, {
      outcome: { type: 'radio_buttons', selected_option: { value: 'met' } },
      note: { type: 'plain_text_input', value: '見学会で会えた' },
      next: { type: 'datepicker', selected_date: null },
    });
    expect(await Promise.all([send(app, payload), send(app, payload)])).toEqual(['', '']);
    expect(await send(app, payload)).toBe('');
    expect(await countRows(app.service, 'touches', `lead_id = '${leadId}' and channel = 'visit'`)).toBe(1);
  });

  it('still takes a submission the modal refused (errors), then only once', async () => {
    const { card, owner, leadId } = await newLeadWithCard();
    const cardRows = await outboxRows(leadId, 'slack.card');
    const view = await openModal(owner, card, 'lead_amount', leadId);
    const amount = (value: string) =>
      viewSubmission(owner, view, { amount: { type: 'plain_text_input', value } });
    expect(JSON.parse(await send(app, amount('たくさん')))).toMatchObject({ response_action: 'errors' });
    const fixed = amount('3,500万');
    expect(await send(app, fixed)).toBe('');
    expect(await send(app, fixed)).toBe('');
    await app.service.worker.whenIdle();
    const [row] = await queryRows<{ amount: string }>(
      app.service,
      `select amount_yen::text as amount from leads where id = '${leadId}'`,
    );
    expect(row?.amount).toBe('35000000');
    expect(await historyRows(leadId, 'amount_changed')).toBe(1);
    expect(await outboxRows(leadId, 'slack.card')).toBe(cardRows + 1);
    expect(cardNow(app, card)).toContain('3,500万円');
  });

  it('closes as lost with a 失注 modal refused by the 4-touch rule and submitted again later, once', async () => {
    const { card, owner, leadId } = await newLeadWithCard();
    const lostView = await openModal(owner, card, 'lead_lost', leadId);
    const lost = viewSubmission(owner, lostView, {
      reason: { type: 'static_select', selected_option: { value: 'no_response' } },
      note: { type: 'plain_text_input', value: null },
    });
    expect(JSON.parse(await send(app, lost))).toMatchObject({ response_action: 'errors' });
    // Four calls, each in its own modal: these are four touches, and the lead moves to nurture.
    for (let i = 0; i < 4; i++) {
      const view = await openModal(owner, card, 'lead_call', leadId);
      expect(await send(app, viewSubmission(owner, view, callValues()))).toBe('');
    }
    expect(await leadRow(app, leadId)).toMatchObject({ stage: 'nurture', unanswered_attempts: 4 });
    expect(await Promise.all([send(app, lost), send(app, lost)])).toEqual(['', '']);
    expect(await send(app, lost)).toBe('');
    expect((await leadRow(app, leadId))?.stage).toBe('lost');
    const history = await app.service.store.history.listForLead(leadId);
    expect(history.filter((h) => h.fact === 'stage_changed' && h.to === 'lost')).toHaveLength(1);
  });

  it('closes as won once when 成約 is submitted twice, and the second is not told the lead is already closed', async () => {
    const { card, owner, leadId } = await newLeadWithCard();
    const stageChanges = await historyRows(leadId, 'stage_changed');
    const view = await openModal(owner, card, 'lead_won', leadId);
    const payload = viewSubmission(owner, view, {
      handover: { type: 'datepicker', selected_date: null },
    });
    expect(await send(app, payload)).toBe('');
    expect(await send(app, payload)).toBe('');
    expect(await Promise.all([send(app, payload), send(app, payload)])).toEqual(['', '']);
    expect((await leadRow(app, leadId))?.stage).toBe('won');
    expect(await historyRows(leadId, 'stage_changed')).toBe(stageChanges + 1);
  });

  it('erases once when the confirmation is submitted twice; both answers say it is erased', async () => {
    const lineUserId = newLead();
    app.line.setProfile(lineUserId, { displayName: '二度押し消去テスト' });
    const { card } = await befriend(app, lineUserId);
    const leadId = await leadIdOf(app, lineUserId);
    const before = opened(app).length;
    expect((await app.slashCommand(ADMIN, 'lead erase 二度押し消去')).status).toBe(200);
    const call = await app.slack.waitFor(() => {
      const c = opened(app)[before];
      return c && c.status !== 0 ? c : undefined;
    });
    const view = (call.response as { view: OpenedView }).view;
    expect(view.callback_id).toBe('lead_erase_confirm');
    const payload = viewSubmission(ADMIN, view, {});
    const answers = [
      ...(await Promise.all([send(app, payload), send(app, payload)])),
      await send(app, payload),
    ].map((a) => JSON.parse(a) as { response_action: string; view: { title: { text: string } } });
    expect(answers.map((a) => [a.response_action, a.view.title.text])).toEqual([
      ['update', '削除しました'],
      ['update', '削除しました'],
      ['update', '削除しました'],
    ]);
    await app.service.worker.whenIdle();
    expect(await historyRows(leadId, 'erased')).toBe(1);
    const notices = app.slack
      .thread(card.channel, card.ts)
      .slice(1)
      .filter((m) => m.text?.includes('削除'));
    expect(notices).toHaveLength(1);
  });
});

describe('a button press delivered twice takes effect once', () => {
  /** A select choice on the card, as one payload that can be delivered again. */
  function choice(owner: string, card: FakeSlackMessage, actionId: string, leadId: string, value: string) {
    const { element, blockId } = findElement(card, actionId, leadId);
    const option = (element.options as { value: string }[] | undefined)?.find((o) =>
      o.value.endsWith(`|${value}`),
    );
    return blockAction(
      owner,
      card,
      { ...element, block_id: blockId, ...(option ? { selected_option: option } : { selected_user: value }) },
      app.slack.responseUrl(),
    );
  }

  it('sets 検討時期 once for a replayed payload and for a second press of the same choice', async () => {
    const { card, owner, leadId } = await newLeadWithCard();
    const cardRows = await outboxRows(leadId, 'slack.card');
    const cardUpdates = () =>
      app.slack.calls.filter((c) => c.method === 'chat.update' && c.body.ts === card.ts);
    const updatesBefore = cardUpdates().length;
    const settled = await blockActionsSettled();
    const payload = choice(owner, card, 'lead_timing', leadId, '3m');
    await send(app, payload);
    await Promise.all([send(app, payload), send(app, payload)]);
    // A second press of the same choice: its own press, but nothing left to change.
    await send(app, choice(owner, card, 'lead_timing', leadId, '3m'));
    await untilSettled(settled + 4);
    await app.service.worker.whenIdle();
    expect(await historyRows(leadId, 'timing_changed')).toBe(1);
    expect(await outboxRows(leadId, 'slack.card')).toBe(cardRows + 1);
    expect(cardUpdates()).toHaveLength(updatesBefore + 1);
  });

  it('snoozes once for a replayed payload and a second press', async () => {
    const { card, owner, leadId } = await newLeadWithCard();
    const cardRows = await outboxRows(leadId, 'slack.card');
    const settled = await blockActionsSettled();
    const payload = choice(owner, card, 'lead_snooze', leadId, '7');
    await Promise.all([send(app, payload), send(app, payload)]);
    await send(app, payload);
    await send(app, choice(owner, card, 'lead_snooze', leadId, '7'));
    await untilSettled(settled + 4);
    await app.service.worker.whenIdle();
    const [row] = await queryRows<{ snoozed: string | null }>(
      app.service,
      `select snoozed_until as snoozed from leads where id = '${leadId}'`,
    );
    expect(row?.snoozed).not.toBeNull();
    expect(await outboxRows(leadId, 'slack.card')).toBe(cardRows + 1);
  });

  it('reassigns once: one owner change, one notice, one new thread, however often the choice arrives', async () => {
    const { card, owner, leadId } = await newLeadWithCard();
    const other = owner === REP_A ? REP_B : REP_A;
    const ownerChanges = await historyRows(leadId, 'owner_changed');
    const threads = await outboxRows(leadId, 'slack.thread');
    const cardRows = await outboxRows(leadId, 'slack.card');
    const settled = await blockActionsSettled();
    const payload = choice(owner, card, 'lead_reassign', leadId, other);
    // A second, separate press of the same choice (made before the card lost its buttons).
    const again = choice(owner, card, 'lead_reassign', leadId, other);
    await Promise.all([send(app, payload), send(app, payload)]);
    await send(app, payload);
    await send(app, again);
    await untilSettled(settled + 4);
    await app.service.worker.whenIdle();
    expect((await leadRow(app, leadId))?.owner_id).toBe(other);
    expect(await historyRows(leadId, 'owner_changed')).toBe(ownerChanges + 1);
    // One notice in the thread the lead left, one in the new owner's.
    expect(await outboxRows(leadId, 'slack.notice')).toBe(2);
    expect(await outboxRows(leadId, 'slack.thread')).toBe(threads + 1);
    expect(await outboxRows(leadId, 'slack.card')).toBe(cardRows + 1);
  });

  it('claims a team lead once for a replayed 担当する, and says nothing more to the new owner', async () => {
    const { card, owner } = await waitForCard(app, TEAM_LEAD);
    expect(owner).toBe('team');
    expect(card.channel).toBe(TEAM_CHANNEL);
    const leadId = await leadIdOf(app, TEAM_LEAD);
    const ownerChanges = await historyRows(leadId, 'owner_changed');
    const settled = await blockActionsSettled();
    const press = (answerTo: string) =>
      blockAction(
        REP_A,
        card,
        { type: 'button', action_id: 'lead_claim', value: leadId },
        app.slack.responseUrl(answerTo),
      );
    const payload = press('claim-once');
    await Promise.all([send(app, payload), send(app, payload)]);
    await send(app, payload);
    // A second, separate press by the new owner.
    await send(app, press('claim-again'));
    await untilSettled(settled + 4);
    await app.service.worker.whenIdle();
    expect((await leadRow(app, leadId))?.owner_id).toBe(REP_A);
    expect(await historyRows(leadId, 'owner_changed')).toBe(ownerChanges + 1);
    expect(await outboxRows(leadId, 'slack.claimed')).toBe(1);
    const told = app.slack.responses.filter((r) => r.id === 'claim-once' || r.id === 'claim-again');
    expect(told.map((r) => r.body.text)).toEqual([expect.stringContaining('の担当になりました')]);
  });
});

describe.skipIf(!onPostgres)('two replicas on one PostgreSQL database', () => {
  it('log one call when each receives the same 記録する at once', async () => {
    const db = await createTestDatabase();
    const line = await startFakeLineApi({ channelAccessToken: LINE_TOKEN });
    const slack = await startFakeSlackApi({ botToken: SLACK_TOKEN });
    const reuse = { databaseUrl: db.url ?? '', line, slack };
    const [a, b] = await Promise.all([startTestApp({ reuse }), startTestApp({ reuse })]);
    try {
      await a.slashCommand(ADMIN, `staff add <@${REP_A}> rep`);
      const lineUserId = newLead();
      const { card, owner } = await befriend(a, lineUserId);
      const leadId = await leadIdOf(a, lineUserId);
      const before = opened(a).length;
      const { element, blockId } = findElement(card, 'lead_call', leadId);
      await a.interact(blockAction(owner, card, { ...element, block_id: blockId }, slack.responseUrl()));
      const call = await slack.waitFor(() => {
        const c = opened(a)[before];
        return c && c.status !== 0 ? c : undefined;
      });
      const view = (call.response as { view: OpenedView }).view;
      const payload = viewSubmission(owner, view, callValues());
      const answers = await Promise.all([
        send(a, payload),
        send(b, payload),
        send(a, payload),
        send(b, payload),
      ]);
      expect(answers).toEqual(['', '', '', '']);
      expect(await outboundTouches(a, leadId)).toBe(1);
      expect(await leadRow(b, leadId)).toMatchObject({ stage: 'open', unanswered_attempts: 1 });
      await Promise.all([a.service.worker.whenIdle(), b.service.worker.whenIdle()]);
      expect(cardNow(a, card)).toContain('次は2回目');
    } finally {
      await Promise.all([a.close(), b.close()]);
      await Promise.all([line.close(), slack.close()]);
      await db.drop();
    }
  });
});
