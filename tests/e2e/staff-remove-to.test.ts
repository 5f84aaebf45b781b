import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { followEvent, textMessageEvent } from '../../adapters/line/fake/line-webhook-events.ts';
import { queryRows } from '../support/db-peek.ts';
import { eventually } from '../support/eventually.ts';
import { waitForCard } from '../support/scenario.ts';
import { ADMIN, startTestApp, type TestApp } from '../support/test-app.ts';

/*
 * `/tsuikyaku staff remove @rep to @other`: every active lead of the person leaving goes to the
 * one rep named, each hand-over in the lead's history; a successor who cannot take them is refused
 * and nothing changes. Without `to`, the round-robin hand-over stays (staff-commands.test.ts).
 */

const [LEAVING, STAYING, SUCCESSOR] = ['U0REMTO0001', 'U0REMTO0002', 'U0REMTO0003'];
const MANAGER = 'U0REMTO0009';
const LEADS = Array.from({ length: 6 }, (_, i) => `Uremoveto${String(i).padStart(23, '0')}`);
let app: TestApp;

const owners = () =>
  queryRows<{ line_user_id: string; owner_id: string | null }>(
    app.service,
    'select line_user_id, owner_id from leads order by line_user_id',
  );
const staff = () =>
  queryRows<{ slack_user_id: string; active: boolean }>(
    app.service,
    'select slack_user_id, active from staff order by slack_user_id',
  );

beforeAll(async () => {
  app = await startTestApp();
  for (const [id, role] of [
    [LEAVING, 'rep'],
    [STAYING, 'rep'],
    [SUCCESSOR, 'rep'],
    [MANAGER, 'manager'],
  ] as const) {
    await app.slashCommand(ADMIN, `staff add <@${id}> ${role}`);
  }
  for (const lead of LEADS) {
    await app.lineWebhook([followEvent(app.line, lead), textMessageEvent(app.line, lead, 'ご相談です')]);
    await waitForCard(app, lead);
  }
});
afterAll(async () => {
  await app?.close();
});

describe('/tsuikyaku staff remove @rep to @other', () => {
  it('refuses a successor who is not an active rep, or the person leaving, and changes nothing', async () => {
    const [ownersBefore, staffBefore] = [await owners(), await staff()];
    const manager = await app.slashCommand(ADMIN, `staff remove <@${LEAVING}> to <@${MANAGER}>`);
    expect(manager.text).toBe(
      `<@${MANAGER}> は営業として登録されていないため、引き継ぎ先にできません。変更はしていません。`,
    );
    const stranger = await app.slashCommand(ADMIN, `staff remove <@${LEAVING}> to U0NOTSTAFF1`);
    expect(stranger.text).toContain('<@U0NOTSTAFF1> は営業として登録されていないため');
    const self = await app.slashCommand(ADMIN, `staff remove <@${LEAVING}> to <@${LEAVING}>`);
    expect(self.text).toBe('削除する人と同じ人は引き継ぎ先にできません。変更はしていません。');
    const halfTyped = await app.slashCommand(ADMIN, `staff remove <@${LEAVING}> to`);
    expect(halfTyped.text).toContain('staff remove @ユーザー [to @引き継ぎ先]');
    const byRep = await app.slashCommand(STAYING, `staff remove <@${LEAVING}> to <@${SUCCESSOR}>`);
    expect(byRep.text).toContain('マネージャーのみ');
    expect([await owners(), await staff()]).toEqual([ownersBefore, staffBefore]);
  });

  it('hands every active lead of the person leaving to the one rep named, with the history', async () => {
    const before = await owners();
    const theirs = before.filter((row) => row.owner_id === LEAVING).map((row) => row.line_user_id);
    // Round-robin over three reps gave the leaving one two of the six.
    expect(theirs).toHaveLength(2);
    const res = await app.slashCommand(ADMIN, `staff remove <@${LEAVING}> to <@${SUCCESSOR}>`);
    expect(res.text).toBe(`<@${LEAVING}> を削除し、担当リード2件を<@${SUCCESSOR}> に引き継ぎました。`);

    const after = await owners();
    for (const row of after) {
      const was = before.find((b) => b.line_user_id === row.line_user_id)?.owner_id;
      expect(row.owner_id).toBe(was === LEAVING ? SUCCESSOR : was);
    }
    expect((await staff()).find((s) => s.slack_user_id === LEAVING)?.active).toBe(false);
    // Each hand-over in the history: as SQL reads it (a jsonb string, stored once), and through the
    // history repository.
    const history = await queryRows<{
      line_user_id: string;
      actor: string;
      old_owner: string;
      new_owner: string;
      type: string;
    }>(
      app.service,
      `select l.line_user_id, h.actor, h.old_value #>> '{}' as old_owner, h.new_value #>> '{}' as new_owner,
         jsonb_typeof(h.new_value) as type
       from lead_history h join leads l on l.id = h.lead_id
       where h.fact = 'owner_changed' and h.reason = 'hand_over' order by l.line_user_id`,
    );
    expect(history).toEqual(
      [...theirs].sort().map((line_user_id) => ({
        line_user_id,
        actor: ADMIN,
        old_owner: LEAVING,
        new_owner: SUCCESSOR,
        type: 'string',
      })),
    );
    for (const lineUserId of theirs) {
      const [lead] = await queryRows<{ id: string }>(
        app.service,
        `select id from leads where line_user_id = '${lineUserId}'`,
      );
      const moves = (await app.service.store.history.listForLead(lead?.id ?? '')).filter(
        (entry) => entry.fact === 'owner_changed' && entry.reason === 'hand_over',
      );
      expect(moves).toMatchObject([{ actor: ADMIN, from: LEAVING, to: SUCCESSOR }]);
    }
    // The old cards, in the DM of the person who left, say who has each lead now.
    await eventually(
      async () => {
        const oldCards = app.slack.messages.filter(
          (m) => m.channel === app.slack.dmChannelOf(LEAVING) && !m.threadTs,
        );
        return (
          oldCards.length === 2 &&
          oldCards.every((m) => JSON.stringify([m.text, m.blocks]).includes(`<@${SUCCESSOR}>`))
        );
      },
      { what: 'the old cards naming the successor' },
    );
    // Each lead's new thread is in the successor's DM.
    for (const lead of theirs) {
      const { card, owner } = await waitForCard(app, lead);
      expect(owner).toBe(SUCCESSOR);
      expect(card.channel).toBe(app.slack.dmChannelOf(SUCCESSOR));
    }
  });

  it('says so when the person leaving had no leads', async () => {
    await app.slashCommand(ADMIN, 'staff add <@U0REMTO0004> rep');
    const res = await app.slashCommand(ADMIN, `staff remove <@U0REMTO0004> to <@${SUCCESSOR}>`);
    expect(res.text).toBe('<@U0REMTO0004> を削除しました。引き継ぐ担当リードはありませんでした。');
  });
});
