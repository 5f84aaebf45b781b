import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../db/client.ts';
import { createStore } from '../../db/store.ts';
import type { LeadFact } from '../../src/domain/lead-history.ts';
import type { Store } from '../../src/ports.ts';
import { announceNearerTiming } from '../../src/use-cases/announce-nearer-timing.ts';
import { changeLead } from '../../src/use-cases/change-lead.ts';
import { claimLead } from '../../src/use-cases/claim-lead.ts';
import { type InboundLineEvent, ingestLineEvents } from '../../src/use-cases/ingest-line-events.ts';
import { manageStaff } from '../../src/use-cases/manage-staff.ts';
import { takeOverLead } from '../../src/use-cases/take-over-lead.ts';
import { aPolicy } from '../support/factories.ts';
import { ManualClock } from '../support/manual-clock.ts';
import { Seeder } from '../support/seeder.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';

let tdb: TestDatabase;
let database: Database;
let store: Store;
let seed: Seeder;
const policy = aPolicy();
const clock = new ManualClock('2026-11-30T01:00:00Z');
const deps = () => ({ store, clock, policy, logger: { info() {}, warn() {}, error() {} } });

beforeAll(async () => {
  tdb = await createTestDatabase();
  database = await openDatabase(tdb.url ? { url: tdb.url } : { memory: true });
  store = createStore(database.db);
  seed = new Seeder(store);
  await store.staff.upsert({
    slackUserId: 'U0MANAGER1',
    role: 'manager',
    displayName: null,
    at: clock.now(),
  });
});

afterAll(async () => {
  await database?.close();
  await tdb?.drop();
});

let eventNo = 0;
function lineEvent(userId: string, body: { type: 'follow' } | { type: 'unfollow' } | { type: 'message' }) {
  eventNo += 1;
  const base = { webhookEventId: `01HISTORY${eventNo}`, timestamp: clock.now(), userId, raw: { n: eventNo } };
  if (body.type === 'follow') return { ...base, type: 'follow', isUnblocked: false } as InboundLineEvent;
  if (body.type === 'unfollow') return { ...base, type: 'unfollow' } as InboundLineEvent;
  return {
    ...base,
    type: 'message',
    lineMessageId: `m${eventNo}`,
    content: { kind: 'text', text: 'こんにちは' },
    replyToken: null,
  } as InboundLineEvent;
}

/** The facts written since `from` rows, without the time (each is checked to be the change's). */
async function factsOf(leadId: string, from = 0) {
  const entries = (await store.history.listForLead(leadId)).slice(from);
  for (const entry of entries) expect(entry.at).toEqual(clock.now());
  return entries.map(({ leadId: _l, at: _a, ...rest }) => rest);
}

async function leadOf(lineUserId: string) {
  const lead = await store.leads.findByLineUserId(lineUserId);
  if (!lead) throw new Error(`no lead for ${lineUserId}`);
  return lead;
}

/** A lead owned by `ownerId`, with `count` history rows already written. */
async function ownedLead(ownerId: string, extra: Parameters<Seeder['lead']>[0] = {}) {
  const lead = await seed.lead({ ownerId, ...extra }, clock.now());
  return { lead, count: (await store.history.listForLead(lead.id)).length };
}

const change = (leadId: string, actorId: string, c: Parameters<typeof changeLead>[1]['change']) =>
  changeLead(deps(), { actorId, leadId, change: c });

describe('every path that changes a lead writes its history row, in the same transaction', () => {
  it('a first follow creates the lead and gives it to the next rep (round robin)', async () => {
    await seed.staff({ slackUserId: 'U0HREPA01' }, clock.now());
    await ingestLineEvents(deps(), [lineEvent('UHISTORY0000000000000000000000001', { type: 'follow' })]);
    const lead = await leadOf('UHISTORY0000000000000000000000001');
    expect(await factsOf(lead.id)).toEqual<Array<LeadFact & { actor: string }>>([
      { fact: 'created', source: 'follow', actor: 'system' },
      { fact: 'owner_changed', from: null, to: 'U0HREPA01', reason: 'round_robin', actor: 'system' },
    ]);
  });

  it('a first message creates the lead through the message path', async () => {
    await ingestLineEvents(deps(), [lineEvent('UHISTORY0000000000000000000000002', { type: 'message' })]);
    const lead = await leadOf('UHISTORY0000000000000000000000002');
    expect((await factsOf(lead.id)).map((f) => f.fact)).toEqual(['created', 'owner_changed']);
  });

  it('unfollow blocks, follow unblocks, and a message from a blocked lead unblocks in the batched write', async () => {
    const user = 'UHISTORY0000000000000000000000003';
    await ingestLineEvents(deps(), [lineEvent(user, { type: 'follow' })]);
    const lead = await leadOf(user);
    clock.advanceMinutes(1);
    await ingestLineEvents(deps(), [lineEvent(user, { type: 'unfollow' })]);
    expect(await factsOf(lead.id, 2)).toEqual([{ fact: 'blocked', actor: 'system' }]);
    clock.advanceMinutes(1);
    await ingestLineEvents(deps(), [lineEvent(user, { type: 'follow' })]);
    expect(await factsOf(lead.id, 3)).toEqual([{ fact: 'unblocked', actor: 'system' }]);
    clock.advanceMinutes(1);
    await ingestLineEvents(deps(), [lineEvent(user, { type: 'unfollow' })]);
    clock.advanceMinutes(1);
    // A known lead's message takes the one-statement path: the history row is part of it.
    await ingestLineEvents(deps(), [lineEvent(user, { type: 'message' })]);
    expect(await factsOf(lead.id, 5)).toEqual([{ fact: 'unblocked', actor: 'system' }]);
    clock.advanceMinutes(1);
    await ingestLineEvents(deps(), [lineEvent(user, { type: 'message' })]);
    expect(await factsOf(lead.id, 6)).toEqual([]);
  });

  it('a lead whose owner left is handed to the next rep when it follows again', async () => {
    const user = 'UHISTORY0000000000000000000000004';
    await seed.staff({ slackUserId: 'U0HREPB01' }, clock.now());
    await ingestLineEvents(deps(), [lineEvent(user, { type: 'follow' })]);
    const lead = await leadOf(user);
    await ingestLineEvents(deps(), [lineEvent(user, { type: 'unfollow' })]);
    await store.staff.deactivate(lead.ownerId ?? '', clock.now());
    const before = (await store.history.listForLead(lead.id)).length;
    clock.advanceMinutes(1);
    await ingestLineEvents(deps(), [lineEvent(user, { type: 'follow' })]);
    const facts = await factsOf(lead.id, before);
    expect(facts[0]).toEqual({ fact: 'unblocked', actor: 'system' });
    expect(facts[1]).toMatchObject({ fact: 'owner_changed', from: lead.ownerId, reason: 'round_robin' });
  });

  it('the fourth unanswered attempt moves the lead to nurture; its message brings it back', async () => {
    await seed.staff({ slackUserId: 'U0HREPC01' }, clock.now());
    const { lead, count } = await ownedLead('U0HREPC01');
    for (let i = 0; i < 4; i += 1) {
      clock.advanceMinutes(1);
      const touch = {
        kind: 'touch',
        channel: 'phone',
        outcome: 'no_answer',
        note: null,
        nextDate: null,
      } as const;
      expect((await change(lead.id, 'U0HREPC01', touch)).kind).toBe('done');
      const facts = await factsOf(lead.id, count);
      expect(facts).toEqual(
        i < 3
          ? []
          : [
              {
                fact: 'stage_changed',
                from: 'open',
                to: 'nurture',
                reason: 'unanswered_attempts',
                note: null,
                actor: 'U0HREPC01',
              },
            ],
      );
    }
    clock.advanceMinutes(1);
    await ingestLineEvents(deps(), [lineEvent(lead.lineUserId, { type: 'message' })]);
    expect(await factsOf(lead.id, count + 1)).toEqual([
      { fact: 'stage_changed', from: 'nurture', to: 'open', reason: 'answered', note: null, actor: 'system' },
    ]);
  });

  it('a rep reaching a nurtured lead brings it back to open', async () => {
    await seed.staff({ slackUserId: 'U0HREPD01' }, clock.now());
    const { lead, count } = await ownedLead('U0HREPD01', { stage: 'nurture', unansweredAttempts: 4 });
    clock.advanceMinutes(1);
    const touch = { kind: 'touch', channel: 'visit', outcome: 'met', note: null, nextDate: null } as const;
    await change(lead.id, 'U0HREPD01', touch);
    expect(await factsOf(lead.id, count)).toEqual([
      {
        fact: 'stage_changed',
        from: 'nurture',
        to: 'open',
        reason: 'answered',
        note: null,
        actor: 'U0HREPD01',
      },
    ]);
  });

  it('timing, amount, reassign, won and lost each write their fact with old and new values', async () => {
    await seed.staff({ slackUserId: 'U0HREPE01' }, clock.now());
    await seed.staff({ slackUserId: 'U0HREPE02' }, clock.now());
    const { lead, count } = await ownedLead('U0HREPE01');
    clock.advanceMinutes(1);
    await change(lead.id, 'U0HREPE01', { kind: 'timing', preset: '3m' });
    const [timing] = await factsOf(lead.id, count);
    expect(timing).toMatchObject({
      fact: 'timing_changed',
      from: { timing: null, segment: null },
      to: { segment: 'within_3m' },
      by: 'rep',
      actor: 'U0HREPE01',
    });
    clock.advanceMinutes(1);
    await change(lead.id, 'U0HREPE01', { kind: 'amount', amountYen: 38_000_000 });
    await change(lead.id, 'U0HREPE01', { kind: 'amount', amountYen: 42_000_000 });
    expect(await factsOf(lead.id, count + 1)).toEqual([
      { fact: 'amount_changed', from: null, to: 38_000_000, actor: 'U0HREPE01' },
      { fact: 'amount_changed', from: 38_000_000, to: 42_000_000, actor: 'U0HREPE01' },
    ]);
    clock.advanceMinutes(1);
    await change(lead.id, 'U0MANAGER1', { kind: 'reassign', ownerId: 'U0HREPE02' });
    expect(await factsOf(lead.id, count + 3)).toEqual([
      { fact: 'owner_changed', from: 'U0HREPE01', to: 'U0HREPE02', reason: 'reassign', actor: 'U0MANAGER1' },
    ]);
    clock.advanceMinutes(1);
    await change(lead.id, 'U0HREPE02', { kind: 'snooze', days: 3 });
    expect(await factsOf(lead.id, count + 4)).toEqual([]);
    await change(lead.id, 'U0HREPE02', { kind: 'won', handoverDate: '2027-03-01' });
    expect(await factsOf(lead.id, count + 4)).toEqual([
      { fact: 'stage_changed', from: 'open', to: 'won', reason: 'won', note: null, actor: 'U0HREPE02' },
    ]);

    const other = await ownedLead('U0HREPE01', { unansweredAttempts: 0 });
    for (let i = 0; i < 4; i += 1) {
      await seed.touch(other.lead, { at: clock.now() });
    }
    clock.advanceMinutes(1);
    expect(
      (
        await change(other.lead.id, 'U0HREPE01', {
          kind: 'lost',
          reason: 'no_response',
          note: '電話に出ない',
        })
      ).kind,
    ).toBe('done');
    expect(await factsOf(other.lead.id, other.count)).toEqual([
      {
        fact: 'stage_changed',
        from: 'open',
        to: 'lost',
        reason: 'lost',
        note: 'no_response: 電話に出ない',
        actor: 'U0HREPE01',
      },
    ]);
  });

  it('a refused change writes nothing', async () => {
    await seed.staff({ slackUserId: 'U0HREPF01' }, clock.now());
    const { lead, count } = await ownedLead('U0HREPF01');
    expect(
      (await change(lead.id, 'U0HREPF01', { kind: 'lost', reason: 'no_response', note: null })).kind,
    ).toBe('lost_too_early');
    expect((await change(lead.id, 'U0NOBODY01', { kind: 'amount', amountYen: 1 })).kind).toBe('forbidden');
    expect(await factsOf(lead.id, count)).toEqual([]);
  });

  it('a claim records who took the lead', async () => {
    await seed.staff({ slackUserId: 'U0HREPG01' }, clock.now());
    const lead = await seed.lead({}, clock.now());
    const count = (await store.history.listForLead(lead.id)).length;
    clock.advanceMinutes(1);
    const claimed = await claimLead(deps(), {
      leadId: lead.id,
      userId: 'U0HREPG01',
      cardChannelId: 'C0TEAM',
      cardTs: '1.1',
    });
    expect(claimed.kind).toBe('claimed');
    expect(await factsOf(lead.id, count)).toEqual([
      { fact: 'owner_changed', from: null, to: 'U0HREPG01', reason: 'claim', actor: 'U0HREPG01' },
    ]);
  });

  it('taking a lead over from the team alarm records who took it, and why; a refused press writes nothing', async () => {
    await seed.staff({ slackUserId: 'U0HREPJ01' }, clock.now());
    await seed.staff({ slackUserId: 'U0HREPJ02' }, clock.now());
    const waitingSince = clock.now();
    const { lead, count } = await ownedLead('U0HREPJ01', {
      awaitingReplySince: waitingSince,
      escalationLevel: 2,
    });
    await store.alarms.insert({
      leadId: lead.id,
      channelId: 'C0TEAM',
      ts: '2.2',
      ownerId: 'U0HREPJ01',
      waitingSince,
      waitedMinutes: 15,
      postedAt: clock.now(),
    });
    clock.advanceMinutes(1);
    const press = (userId: string) =>
      takeOverLead(deps(), { userId, leadId: lead.id, alarmChannelId: 'C0TEAM', alarmTs: '2.2' });
    expect((await press('U0NOBODY01')).kind).toBe('not_staff');
    expect(await factsOf(lead.id, count)).toEqual([]);
    expect((await press('U0HREPJ02')).kind).toBe('taken');
    expect(await factsOf(lead.id, count)).toEqual([
      { fact: 'owner_changed', from: 'U0HREPJ01', to: 'U0HREPJ02', reason: 'take_over', actor: 'U0HREPJ02' },
    ]);
    expect(await press('U0MANAGER1')).toEqual({ kind: 'already_taken', ownerId: 'U0HREPJ02' });
    expect(await factsOf(lead.id, count)).toHaveLength(1);
  });

  it('removing a rep hands their leads over, recorded as a hand-over by the manager', async () => {
    await seed.staff({ slackUserId: 'U0HREPH01' }, clock.now());
    const { lead, count } = await ownedLead('U0HREPH01');
    clock.advanceMinutes(1);
    const removed = await manageStaff(deps(), 'U0MANAGER1', { kind: 'remove', userId: 'U0HREPH01' });
    expect(removed.kind).toBe('removed');
    const [fact] = await factsOf(lead.id, count);
    expect(fact).toMatchObject({
      fact: 'owner_changed',
      from: 'U0HREPH01',
      reason: 'hand_over',
      actor: 'U0MANAGER1',
    });
  });

  it('a purchase timing that ages into a nearer segment is recorded as ageing', async () => {
    await seed.staff({ slackUserId: 'U0HREPI01' }, clock.now());
    const { lead, count } = await ownedLead('U0HREPI01', {
      purchaseTiming: '2027-01',
      announcedSegment: 'within_6m',
    });
    clock.advanceMinutes(1);
    await announceNearerTiming(deps());
    expect(await factsOf(lead.id, count)).toEqual([
      {
        fact: 'timing_changed',
        from: { timing: '2027-01', segment: 'within_6m' },
        to: { timing: '2027-01', segment: 'within_3m' },
        by: 'ageing',
        actor: 'system',
      },
    ]);
    await announceNearerTiming(deps());
    expect(await factsOf(lead.id, count + 1)).toEqual([]);
  });
});

describe('lead_history is append-only', () => {
  it('the database refuses to change or remove a row', async () => {
    const lead = await seed.lead({}, clock.now());
    await expect(
      database.db.execute(sql`update lead_history set actor = 'someone' where lead_id = ${lead.id}`),
    ).rejects.toThrow();
    await expect(
      database.db.execute(sql`delete from lead_history where lead_id = ${lead.id}`),
    ).rejects.toThrow();
    expect((await store.history.listForLead(lead.id)).map((e) => e.actor)).toEqual(['system']);
  });

  it('erasure may clear the notes people wrote, and nothing else', async () => {
    const lead = await seed.lead({}, clock.now());
    await seed.fact(
      lead,
      { fact: 'stage_changed', from: 'open', to: 'lost', reason: 'lost', note: '佐藤様 090-1111-2222' },
      clock.now(),
      'U0X',
    );
    await store.transaction((tx) => tx.history.eraseNotes(lead.id));
    const facts = await store.history.listForLead(lead.id);
    expect(facts.at(-1)).toMatchObject({ fact: 'stage_changed', to: 'lost', note: null, actor: 'U0X' });
    // The permission ends with the erasure's transaction.
    await expect(
      database.db.execute(sql`update lead_history set note = null where lead_id = ${lead.id}`),
    ).rejects.toThrow();
  });
});
