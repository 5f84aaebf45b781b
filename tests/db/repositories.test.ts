import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../db/client.ts';
import { rowsOf } from '../../db/repositories/executor.ts';
import { leads, outbox } from '../../db/schema.ts';
import { createStore } from '../../db/store.ts';
import type { Lead } from '../../src/domain/lead.ts';
import type { NewWebhookEvent, Repos, Store, StoredMessage } from '../../src/ports.ts';
import { eventually } from '../support/eventually.ts';
import { createTestDatabase, onPostgres, type TestDatabase } from '../support/test-database.ts';

let tdb: TestDatabase;
let database: Database;
let store: Store;

beforeAll(async () => {
  tdb = await createTestDatabase();
  database = await openDatabase(tdb.url ? { url: tdb.url } : { memory: true });
  store = createStore(database.db);
});

afterAll(async () => {
  await database?.close();
  await tdb?.drop();
});

beforeEach(async () => {
  await database.db.execute(
    sql`truncate outbox, messages, lead_threads, leads, staff, line_webhook_events, slack_events restart identity cascade`,
  );
});

const T0 = Date.parse('2030-04-01T09:00:00Z');
/** A fixed instant `minutes` after T0. */
const at = (minutes: number) => new Date(T0 + minutes * 60_000);

async function newLead(lineUserId: string, minutes = 0): Promise<Lead> {
  return (await store.leads.insertOrGet({ lineUserId, source: 'message', status: 'active', at: at(minutes) }))
    .lead;
}

async function addRep(slackUserId: string, minutes: number, displayName: string | null = null) {
  return store.staff.upsert({ slackUserId, role: 'rep', displayName, at: at(minutes) });
}

/** Runs `fn` in a transaction that stays open until the returned `release` is called. */
function heldTransaction<T>(fn: (tx: Repos) => Promise<T>) {
  let release = () => {};
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  let signalReady: (value: T) => void = () => {};
  const ready = new Promise<T>((resolve) => {
    signalReady = resolve;
  });
  const done = store.transaction(async (tx) => {
    const value = await fn(tx);
    signalReady(value);
    await gate;
    return value;
  });
  return { ready, release, done };
}

/**
 * Resolves once another session of this database is waiting for a lock: proof, on PostgreSQL,
 * that a concurrent transaction reached the point where it must wait (no guess at how long that
 * takes on a busy machine). Fails after `timeoutMs` so a test that never blocks says so.
 */
async function someSessionWaitsForALock(timeoutMs = 20_000): Promise<void> {
  await eventually(
    async () => {
      const [row] = rowsOf<{ n: number }>(
        await database.db.execute(sql`
          select count(*)::int as n from pg_stat_activity
          where datname = current_database() and wait_event_type = 'Lock'`),
      );
      return (row?.n ?? 0) > 0;
    },
    { what: 'a session waiting for a lock', timeoutMs },
  );
}

describe('leads', () => {
  it('creates a lead once and returns the existing one for the same LINE user', async () => {
    const first = await store.leads.insertOrGet({
      lineUserId: 'U1',
      source: 'follow',
      status: 'active',
      at: at(0),
    });
    expect(first.created).toBe(true);
    expect(first.lead).toMatchObject({
      lineUserId: 'U1',
      source: 'follow',
      status: 'active',
      kind: 'lead',
      ownerId: null,
      displayName: null,
      followedAt: at(0),
      createdAt: at(0),
    });

    const second = await store.leads.insertOrGet({
      lineUserId: 'U1',
      source: 'message',
      status: 'active',
      at: at(5),
    });
    expect(second.created).toBe(false);
    expect(second.lead).toEqual(first.lead);
    expect(await store.leads.findByLineUserId('U1')).toEqual(first.lead);
  });

  it('sets followedAt only for leads that started with a follow', async () => {
    const lead = await newLead('U-msg');
    expect(lead.source).toBe('message');
    expect(lead.followedAt).toBeNull();
  });

  it('returns the lead a concurrent transaction created, waiting for that transaction to commit', async () => {
    const first = heldTransaction((tx) =>
      tx.leads.insertOrGet({ lineUserId: 'U-race', source: 'follow', status: 'active', at: at(0) }),
    );
    const created = await first.ready;
    expect(created.created).toBe(true);

    // Whenever the second settles, the first must already have been let go: it waits for the commit.
    let released = false;
    let releasedWhenSecondSettled: boolean | undefined;
    const second = store
      .transaction((tx) =>
        tx.leads.insertOrGet({ lineUserId: 'U-race', source: 'message', status: 'active', at: at(1) }),
      )
      .finally(() => {
        releasedWhenSecondSettled = released;
      });
    // On PostgreSQL, make sure the second really is waiting on the first's row before letting go.
    // (PGlite has one connection: the second cannot start before the first ends.)
    if (onPostgres) await someSessionWaitsForALock();
    expect(releasedWhenSecondSettled).toBeUndefined();

    released = true;
    first.release();
    await first.done;
    const result = await second;
    expect(releasedWhenSecondSettled).toBe(true);
    expect(result.created).toBe(false);
    expect(result.lead.id).toBe(created.lead.id);
    expect(result.lead.source).toBe('follow');
  });

  it('creates exactly one lead when several first events for one user arrive at once', async () => {
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, n) =>
        store.transaction((tx) =>
          tx.leads.insertOrGet({ lineUserId: 'U-burst', source: 'message', status: 'active', at: at(n) }),
        ),
      ),
    );
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.lead.id)).size).toBe(1);
    expect(await database.db.select().from(leads)).toHaveLength(1);
  });

  it('lets only the first claim of an unassigned lead succeed', async () => {
    await addRep('U-A', 0);
    await addRep('U-B', 1);
    const lead = await newLead('U1');
    expect(await store.leads.claim(lead.id, 'U-A', at(2))).toBe(true);
    expect(await store.leads.claim(lead.id, 'U-B', at(3))).toBe(false);
    expect(await store.leads.claim(lead.id, 'U-A', at(4))).toBe(false);
    expect((await store.leads.get(lead.id))?.ownerId).toBe('U-A');
  });

  it('returns null for leads that do not exist', async () => {
    expect(await store.leads.findByLineUserId('U-nobody')).toBeNull();
    expect(await store.leads.get('00000000-0000-4000-8000-000000000000')).toBeNull();
  });
});

describe('staff', () => {
  it('hands out reps round-robin, least recently assigned first', async () => {
    await addRep('U-A', 0);
    await addRep('U-B', 1);
    await addRep('U-C', 2);
    const picks: (string | undefined)[] = [];
    for (let n = 10; n < 17; n++) picks.push((await store.staff.takeNextRep(at(n)))?.slackUserId);
    expect(picks).toEqual(['U-A', 'U-B', 'U-C', 'U-A', 'U-B', 'U-C', 'U-A']);
  });

  it('never picks managers or inactive reps', async () => {
    await store.staff.upsert({ slackUserId: 'U-M', role: 'manager', displayName: null, at: at(0) });
    await addRep('U-GONE', 1);
    await addRep('U-A', 2);
    expect(await store.staff.deactivate('U-GONE', at(3))).toBe(true);
    for (let n = 10; n < 13; n++) expect((await store.staff.takeNextRep(at(n)))?.slackUserId).toBe('U-A');
  });

  it('skips the excluded rep even when it is their turn', async () => {
    await addRep('U-A', 0);
    await addRep('U-B', 1);
    expect((await store.staff.takeNextRep(at(10), 'U-A'))?.slackUserId).toBe('U-B');
    // U-A was not marked as assigned, so it is still first in line.
    expect((await store.staff.takeNextRep(at(11)))?.slackUserId).toBe('U-A');
    expect(await store.staff.takeNextRep(at(12), 'U-B')).toMatchObject({ slackUserId: 'U-A' });
  });

  it('spreads concurrent assignments over different reps', async () => {
    await addRep('U-A', 0);
    await addRep('U-B', 1);
    const first = heldTransaction((tx) => tx.staff.takeNextRep(at(10)));
    expect((await first.ready)?.slackUserId).toBe('U-A');
    const second = store.transaction((tx) => tx.staff.takeNextRep(at(10)));
    if (onPostgres) {
      // The second skips the row the first holds and finishes while the first is still open;
      // queueing behind it instead would show as a session waiting for a lock.
      const outcome = await Promise.race([
        second,
        someSessionWaitsForALock().then(() => 'waited for the first transaction' as const),
      ]);
      first.release();
      expect(outcome).not.toBe('waited for the first transaction');
    } else {
      // PGlite has one connection: the second runs once the first has ended.
      first.release();
    }
    expect((await second)?.slackUserId).toBe('U-B');
    await first.done;
  });

  it('returns null when there is no eligible rep', async () => {
    expect(await store.staff.takeNextRep(at(10))).toBeNull();
    await store.staff.upsert({ slackUserId: 'U-M', role: 'manager', displayName: null, at: at(0) });
    await addRep('U-A', 1);
    expect(await store.staff.takeNextRep(at(11), 'U-A')).toBeNull();
  });

  it('keeps an existing display name when an upsert brings none, and reactivates with the new role', async () => {
    await addRep('U-A', 0, '佐藤');
    expect(await store.staff.deactivate('U-A', at(1))).toBe(true);
    const updated = await store.staff.upsert({
      slackUserId: 'U-A',
      role: 'manager',
      displayName: null,
      at: at(2),
    });
    expect(updated).toEqual({ slackUserId: 'U-A', role: 'manager', active: true, displayName: '佐藤' });

    const renamed = await store.staff.upsert({
      slackUserId: 'U-A',
      role: 'rep',
      displayName: '鈴木',
      at: at(3),
    });
    expect(renamed.displayName).toBe('鈴木');
    expect(await store.staff.get('U-A')).toEqual(renamed);
  });

  it('ensureManager adds a missing manager and leaves anyone already known untouched', async () => {
    await store.staff.ensureManager('U-NEW', at(0));
    expect(await store.staff.get('U-NEW')).toEqual({
      slackUserId: 'U-NEW',
      role: 'manager',
      active: true,
      displayName: null,
    });

    await addRep('U-REP', 1, '佐藤');
    await store.staff.ensureManager('U-REP', at(2));
    expect(await store.staff.get('U-REP')).toEqual({
      slackUserId: 'U-REP',
      role: 'rep',
      active: true,
      displayName: '佐藤',
    });

    await addRep('U-OFF', 3);
    await store.staff.deactivate('U-OFF', at(4));
    await store.staff.ensureManager('U-OFF', at(5));
    expect(await store.staff.get('U-OFF')).toMatchObject({ role: 'rep', active: false });
  });

  it('deactivate is false for unknown or already inactive staff', async () => {
    expect(await store.staff.deactivate('U-nobody', at(0))).toBe(false);
    await addRep('U-A', 0);
    expect(await store.staff.deactivate('U-A', at(1))).toBe(true);
    expect(await store.staff.deactivate('U-A', at(2))).toBe(false);
    expect(await store.staff.listActive()).toEqual([]);
  });

  it('lists active staff, managers after reps, oldest first', async () => {
    await store.staff.upsert({ slackUserId: 'U-M', role: 'manager', displayName: null, at: at(0) });
    await addRep('U-B', 2);
    await addRep('U-A', 1);
    await addRep('U-OFF', 3);
    await store.staff.deactivate('U-OFF', at(4));
    expect((await store.staff.listActive()).map((s) => s.slackUserId)).toEqual(['U-M', 'U-A', 'U-B']);
  });
});

describe('webhook and event deduplication', () => {
  const lineEvent = (webhookEventId: string): NewWebhookEvent => ({
    webhookEventId,
    type: 'message',
    lineUserId: 'U1',
    payload: { type: 'message', webhookEventId },
    eventAt: at(0),
    receivedAt: at(1),
  });

  it('stores a LINE webhook event once: true the first time, false for a redelivery', async () => {
    expect(await store.lineEvents.insertManyOnce([lineEvent('01HEVENT1')])).toEqual(new Set(['01HEVENT1']));
    expect(await store.lineEvents.insertManyOnce([lineEvent('01HEVENT1')])).toEqual(new Set());
    expect(await store.lineEvents.insertManyOnce([lineEvent('01HEVENT2')])).toEqual(new Set(['01HEVENT2']));
  });

  it('accepts exactly one of ten concurrent deliveries of the same LINE event', async () => {
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        store.transaction((tx) => tx.lineEvents.insertManyOnce([lineEvent('01HDUP')])),
      ),
    );
    expect(results.filter((stored) => stored.has('01HDUP'))).toHaveLength(1);
  });

  it('stores a Slack event id once', async () => {
    expect(await store.slackEvents.insertOnce('Ev1', at(0))).toBe(true);
    expect(await store.slackEvents.insertOnce('Ev1', at(1))).toBe(false);
    expect(await store.slackEvents.insertOnce('Ev2', at(1))).toBe(true);
  });

  it('accepts exactly one of ten concurrent deliveries of the same Slack event', async () => {
    const results = await Promise.all(
      Array.from({ length: 10 }, () => store.transaction((tx) => tx.slackEvents.insertOnce('EvDup', at(0)))),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
  });
});

describe('threads', () => {
  it('finds a thread by its Slack channel and ts', async () => {
    const lead = await newLead('U1');
    const thread = { leadId: lead.id, target: 'team', channelId: 'C-TEAM', threadTs: '1700000000.000100' };
    await store.threads.insert(thread, at(1));
    expect(await store.threads.findByChannelTs('C-TEAM', '1700000000.000100')).toEqual(thread);
    expect(await store.threads.get(lead.id, 'team')).toEqual(thread);
    expect(await store.threads.findByChannelTs('C-TEAM', '1700000000.000999')).toBeNull();
    expect(await store.threads.findByChannelTs('C-OTHER', '1700000000.000100')).toBeNull();
    expect(await store.threads.get(lead.id, 'U-A')).toBeNull();
  });

  it('replaces the thread of a lead and target when a new one is posted', async () => {
    const lead = await newLead('U1');
    await store.threads.insert({ leadId: lead.id, target: 'U-A', channelId: 'D-A', threadTs: '1.1' }, at(1));
    await store.threads.insert({ leadId: lead.id, target: 'U-A', channelId: 'D-A', threadTs: '2.2' }, at(2));
    expect(await store.threads.get(lead.id, 'U-A')).toMatchObject({ threadTs: '2.2' });
    expect(await store.threads.findByChannelTs('D-A', '1.1')).toBeNull();
  });
});

describe('messages', () => {
  async function inbound(leadId: string, text: string, minutes: number, slackTs: string | null) {
    return store.messages.insert({
      leadId,
      direction: 'inbound',
      content: { kind: 'text', text },
      text,
      authorId: null,
      slackChannelId: slackTs ? 'C-TEAM' : null,
      slackTs,
      status: 'received',
      createdAt: at(minutes),
    });
  }

  it('recentShown returns only messages already shown in Slack, the latest ones, oldest first', async () => {
    const lead = await newLead('U1');
    const other = await newLead('U2');
    await inbound(lead.id, 'one', 1, '1.0001');
    await inbound(lead.id, 'two (never relayed)', 2, null);
    await inbound(lead.id, 'three', 3, '1.0003');
    await inbound(other.id, 'someone else', 4, '1.0004');
    await inbound(lead.id, 'four', 5, '1.0005');

    const texts = (list: StoredMessage[]) => list.map((m) => m.text);
    expect(texts(await store.messages.recentShown(lead.id, 10))).toEqual(['one', 'three', 'four']);
    expect(texts(await store.messages.recentShown(lead.id, 2))).toEqual(['three', 'four']);
    expect(await store.messages.recentShown(lead.id, 0)).toEqual([]);
  });

  it('round-trips a message and records relay, sending and failure', async () => {
    const lead = await newLead('U1');
    const stored = await inbound(lead.id, 'こんにちは', 1, null);
    expect(stored).toMatchObject({
      leadId: lead.id,
      direction: 'inbound',
      content: { kind: 'text', text: 'こんにちは' },
      error: null,
      createdAt: at(1),
    });
    await store.messages.markRelayed(stored.id, 'C-TEAM', '9.9');
    expect(await store.messages.get(stored.id)).toMatchObject({ slackChannelId: 'C-TEAM', slackTs: '9.9' });
    await store.messages.markFailed(stored.id, 'LINE 400');
    expect(await store.messages.get(stored.id)).toMatchObject({ status: 'failed', error: 'LINE 400' });
    await store.messages.markSent(stored.id, at(2));
    expect(await store.messages.get(stored.id)).toMatchObject({ status: 'sent', error: null });
  });
});

describe('store.transaction', () => {
  it('rolls back every write when the callback throws', async () => {
    await expect(
      store.transaction(async (tx) => {
        const { lead } = await tx.leads.insertOrGet({
          lineUserId: 'U-doomed',
          source: 'follow',
          status: 'active',
          at: at(0),
        });
        await tx.outbox.enqueue([
          { job: { kind: 'line.profile', leadId: lead.id }, orderKey: `lead:${lead.id}` },
        ]);
        await tx.lineEvents.insertManyOnce([
          {
            webhookEventId: '01HDOOMED',
            type: 'follow',
            lineUserId: 'U-doomed',
            payload: {},
            eventAt: at(0),
            receivedAt: at(0),
          },
        ]);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');

    expect(await store.leads.findByLineUserId('U-doomed')).toBeNull();
    expect(await database.db.select().from(outbox)).toEqual([]);
    // The event was not recorded either, so LINE's redelivery is processed again.
    expect(
      await store.lineEvents.insertManyOnce([
        {
          webhookEventId: '01HDOOMED',
          type: 'follow',
          lineUserId: 'U-doomed',
          payload: {},
          eventAt: at(0),
          receivedAt: at(0),
        },
      ]),
    ).toEqual(new Set(['01HDOOMED']));
  });

  it('commits every write together and returns the callback’s value', async () => {
    const id = await store.transaction(async (tx) => {
      const { lead } = await tx.leads.insertOrGet({
        lineUserId: 'U-ok',
        source: 'follow',
        status: 'active',
        at: at(0),
      });
      await tx.outbox.enqueue([
        { job: { kind: 'line.profile', leadId: lead.id }, orderKey: `lead:${lead.id}` },
      ]);
      return lead.id;
    });
    expect((await store.leads.findByLineUserId('U-ok'))?.id).toBe(id);
    expect(await database.db.select().from(outbox)).toHaveLength(1);
  });

  it('rolls back earlier writes when a later statement fails, and leaves every connection usable', async () => {
    // More failed transactions than the pool has connections: none may return to the pool mid-transaction.
    for (let i = 0; i < 12; i++) {
      await expect(
        store.transaction(async (tx) => {
          await tx.leads.insertOrGet({
            lineUserId: `U-half-${i}`,
            source: 'follow',
            status: 'active',
            at: at(0),
          });
          // 'not-a-uuid' is rejected by PostgreSQL itself: a statement failure inside the transaction.
          await tx.leads.get('not-a-uuid');
        }),
      ).rejects.toThrow();
    }
    const found = await Promise.all(
      Array.from({ length: 12 }, (_, i) => store.leads.findByLineUserId(`U-half-${i}`)),
    );
    expect(found.every((lead) => lead === null)).toBe(true);
    const committed = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        store.transaction((tx) =>
          tx.leads.insertOrGet({ lineUserId: `U-after-${i}`, source: 'follow', status: 'active', at: at(0) }),
        ),
      ),
    );
    expect(committed.every((r) => r.created)).toBe(true);
  });

  it('keeps concurrent transactions apart: each reads its own writes and commits or rolls back alone', async () => {
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        store
          .transaction(async (tx) => {
            const { lead } = await tx.leads.insertOrGet({
              lineUserId: `U-iso-${i}`,
              source: 'follow',
              status: 'active',
              at: at(0),
            });
            const mine = await tx.leads.get(lead.id);
            if (i % 2 === 1) throw new Error(`rolled back ${i}`);
            return { mine: mine?.lineUserId };
          })
          .catch((error: Error) => error.message),
      ),
    );
    for (const [i, result] of results.entries()) {
      if (i % 2 === 1) expect(result).toBe(`rolled back ${i}`);
      else expect(result).toMatchObject({ mine: `U-iso-${i}` });
    }
    const kept = await Promise.all(
      Array.from({ length: 8 }, (_, i) => store.leads.findByLineUserId(`U-iso-${i}`)),
    );
    expect(kept.map((lead) => lead !== null)).toEqual([true, false, true, false, true, false, true, false]);
  });
});

describe('batched ingest writes (plain SQL)', () => {
  it('lockManyByLineUserId maps rows exactly as the ORM read does, for every field', async () => {
    await store.staff.upsert({ slackUserId: 'U0MAPREP01', role: 'rep', displayName: null, at: at(0) });
    const lead = await newLead('Umap-1', 1);
    await store.leads.setOwner(lead.id, 'U0MAPREP01', at(2));
    await store.leads.patch(
      lead.id,
      {
        purchaseTiming: '2030-07',
        announcedSegment: 'within_6m',
        amountYen: 45_000_000,
        stage: 'nurture',
        snoozedUntil: '2030-04-10',
        handoverDate: null,
        lastTouchAt: at(3),
        lastAttemptAt: at(4),
        unansweredAttempts: 3,
        awaitingReplySince: at(5),
        escalationLevel: 2,
        autoAckedAt: at(6),
      },
      at(7),
    );
    await newLead('Umap-2', 8);
    const viaOrm = await Promise.all(['Umap-1', 'Umap-2'].map((id) => store.leads.findByLineUserId(id)));
    const viaSql = await store.transaction((tx) =>
      tx.leads.lockManyByLineUserId(['Umap-2', 'Umap-1', 'Umap-none']),
    );
    const byId = (list: (Lead | null)[]) =>
      [...list].filter((l): l is Lead => l !== null).sort((a, b) => a.id.localeCompare(b.id));
    expect(viaSql).toEqual(byId(viaOrm));
  });

  it('inbound.record stores messages, their touches and outbox rows together, in entry order', async () => {
    const lead = await newLead('Ubatch', 0);
    const ids = [crypto.randomUUID(), crypto.randomUUID()];
    const texts = ['最初 "quoted" \\ back', '二通目'];
    await store.inbound.record({
      messages: ids.map((id, i) => ({
        id,
        leadId: lead.id,
        direction: 'inbound' as const,
        content: { kind: 'text' as const, text: texts[i] as string },
        text: texts[i] as string,
        lineMessageId: `m-${i}`,
        authorId: null,
        slackChannelId: null,
        slackTs: null,
        status: 'received' as const,
        createdAt: at(i),
      })),
      touches: ids.map((id) => ({
        leadId: lead.id,
        channel: 'line' as const,
        direction: 'inbound' as const,
        outcome: 'replied' as const,
        note: null,
        authorId: null,
        messageId: id,
        at: at(5),
      })),
      states: [],
      entries: ids.map((id) => ({
        job: { kind: 'slack.relay' as const, messageId: id, leadId: lead.id },
        orderKey: `lead:${lead.id}`,
      })),
      history: [],
      at: at(5),
    });
    const stored = await Promise.all(ids.map((id) => store.messages.get(id)));
    expect(stored.map((m) => m?.text)).toEqual(texts);
    const touched = await store.touches.listForLead(lead.id, 10);
    expect(touched.map((t) => t.messageId).sort()).toEqual([...ids].sort());
    const rows = await database.db.select().from(outbox).orderBy(outbox.id);
    expect(rows.map((row) => (row.payload as { messageId: string }).messageId)).toEqual(ids);
  });

  it('inbound.record writes each lead its own state in one statement', async () => {
    const a = await newLead('Ustate-a', 0);
    const b = await newLead('Ustate-b', 0);
    await store.leads.setStatus(b.id, 'blocked', at(1));
    await store.inbound.record({
      messages: [],
      touches: [],
      entries: [],
      states: [
        {
          id: a.id,
          lastTouchAt: at(10),
          lastAttemptAt: null,
          unansweredAttempts: 0,
          awaitingReplySince: at(10),
          escalationLevel: 0,
          stage: 'open',
          lastInboundAt: at(9),
          reactivated: false,
          autoAckedAt: null,
        },
        {
          id: b.id,
          lastTouchAt: at(11),
          lastAttemptAt: at(2),
          unansweredAttempts: 0,
          awaitingReplySince: at(11),
          escalationLevel: 0,
          stage: 'open',
          lastInboundAt: at(11),
          reactivated: true,
          autoAckedAt: at(11),
        },
      ],
      history: [],
      at: at(12),
    });
    const [ra, rb] = await Promise.all([store.leads.get(a.id), store.leads.get(b.id)]);
    expect(ra).toMatchObject({
      lastTouchAt: at(10),
      awaitingReplySince: at(10),
      lastInboundAt: at(9),
      status: 'active',
      autoAckedAt: null,
    });
    expect(rb).toMatchObject({
      lastTouchAt: at(11),
      lastAttemptAt: at(2),
      status: 'active',
      blockedAt: null,
      autoAckedAt: at(11),
    });
  });
});
