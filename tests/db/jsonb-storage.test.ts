import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../db/client.ts';
import { rowsOf } from '../../db/repositories/executor.ts';
import { createStore } from '../../db/store.ts';
import type { InboundContent } from '../../src/domain/inbound-content.ts';
import type { Lead } from '../../src/domain/lead.ts';
import type { LeadFact, LeadHistoryEntry } from '../../src/domain/lead-history.ts';
import type { OutboxJob } from '../../src/ports/outbox.ts';
import type { Repos, Store } from '../../src/ports.ts';
import { Seeder } from '../support/seeder.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';

// Every jsonb column holds its value once, as the JSON type the app wrote (an object, a string, a
// number), whichever driver wrote it and whether or not inside a transaction: SQL that reads the
// values (`->>`, `#>> '{}'`, statistics) must see the same data on PostgreSQL and on PGlite.

let tdb: TestDatabase;
let database: Database;
let store: Store;
let seed: Seeder;
const at = new Date('2026-11-30T01:00:00Z');

beforeAll(async () => {
  tdb = await createTestDatabase();
  database = await openDatabase(tdb.url ? { url: tdb.url } : { memory: true });
  store = createStore(database.db);
  seed = new Seeder(store);
});

afterAll(async () => {
  await database?.close();
  await tdb?.drop();
});

async function query<T>(text: ReturnType<typeof sql>): Promise<T[]> {
  return rowsOf<T>(await database.db.execute(text));
}

/** Each way the app writes: a statement of its own, and inside a transaction (the usual case). */
const writers: [string, <T>(fn: (repos: Repos) => Promise<T>) => Promise<T>][] = [
  ['outside a transaction', (fn) => fn(store)],
  ['inside a transaction', (fn) => store.transaction(fn)],
];

const facts: LeadFact[] = [
  { fact: 'owner_changed', from: 'U0LEAVING', to: 'U0SUCCESSOR', reason: 'hand_over' },
  { fact: 'owner_changed', from: null, to: 'U0SUCCESSOR', reason: 'round_robin' },
  { fact: 'stage_changed', from: 'open', to: 'nurture', reason: 'unanswered_attempts', note: null },
  {
    fact: 'timing_changed',
    from: { timing: null, segment: null },
    to: { timing: '2026-05', segment: 'hot' },
    by: 'rep',
  },
  { fact: 'amount_changed', from: null, to: 3_200_000 },
];

interface StoredValue {
  type: string | null;
  text: string | null;
  timing: string | null;
}

const expectedHistory = [
  { old: { type: 'string', text: 'U0LEAVING' }, new: { type: 'string', text: 'U0SUCCESSOR' } },
  { old: { type: null, text: null }, new: { type: 'string', text: 'U0SUCCESSOR' } },
  { old: { type: 'string', text: 'open' }, new: { type: 'string', text: 'nurture' } },
  {
    old: { type: 'object', timing: null },
    new: { type: 'object', text: '{"timing": "2026-05", "segment": "hot"}', timing: '2026-05' },
  },
  { old: { type: null, text: null }, new: { type: 'number', text: '3200000' } },
];

async function historyOf(lead: Lead, actor: string) {
  const rows = await query<{ old: StoredValue; new: StoredValue }>(sql`
    select json_build_object('type', jsonb_typeof(old_value), 'text', old_value #>> '{}',
             'timing', old_value->>'timing') as old,
           json_build_object('type', jsonb_typeof(new_value), 'text', new_value #>> '{}',
             'timing', new_value->>'timing') as new
    from lead_history where lead_id = ${lead.id} and actor = ${actor} order by id`);
  return rows.map((row) => ({
    old: typeof row.old === 'string' ? JSON.parse(row.old) : row.old,
    new: typeof row.new === 'string' ? JSON.parse(row.new) : row.new,
  }));
}

describe.each(writers)('jsonb columns written %s', (how, write) => {
  const tag = how.replaceAll(' ', '-');

  it('lead_history.old_value / new_value hold the values once, as written (history.append)', async () => {
    const lead = await seed.lead({ lineUserId: `U-append-${tag}` }, at);
    const actor = `U0APPEND-${tag}`;
    await write((repos) =>
      repos.history.append(facts.map((fact) => ({ ...fact, leadId: lead.id, at, actor }))),
    );

    expect(await historyOf(lead, actor)).toMatchObject(expectedHistory);
    const read = (await store.history.listForLead(lead.id)).filter((entry) => entry.actor === actor);
    expect(read.map(({ leadId: _l, at: _a, actor: _b, ...fact }) => fact)).toEqual(facts);
  });

  it('lead_history, messages and outbox hold their values once when written in bulk (inbound.record)', async () => {
    const lead = await seed.lead({ lineUserId: `U-bulk-${tag}` }, at);
    const actor = `U0BULK-${tag}`;
    const history: LeadHistoryEntry[] = facts.map((fact) => ({ ...fact, leadId: lead.id, at, actor }));
    const content: InboundContent = { kind: 'text', text: `bulk ${tag} "quoted"` };
    const messageId = crypto.randomUUID();
    const job: OutboxJob = {
      kind: 'slack.alert',
      leadId: lead.id,
      failedKind: 'line.push',
      error: `bulk ${tag}`,
    };
    await write((repos) =>
      repos.inbound.record({
        messages: [
          {
            id: messageId,
            leadId: lead.id,
            direction: 'inbound',
            content,
            text: content.text,
            lineMessageId: `m-bulk-${tag}`,
            authorId: null,
            slackChannelId: null,
            slackTs: null,
            status: 'received',
            createdAt: at,
          },
        ],
        touches: [],
        states: [],
        entries: [{ job, orderKey: lead.id }],
        history,
        at,
      }),
    );

    expect(await historyOf(lead, actor)).toMatchObject(expectedHistory);
    expect(
      await query(sql`select jsonb_typeof(payload) as type, payload->>'kind' as kind, payload->>'text' as text
                      from messages where id = ${messageId}`),
    ).toEqual([{ type: 'object', kind: 'text', text: content.text }]);
    expect(
      await query(sql`select jsonb_typeof(payload) as type, payload->>'error' as error
                      from outbox where payload->>'leadId' = ${lead.id}`),
    ).toEqual([{ type: 'object', error: `bulk ${tag}` }]);
    expect(await store.messages.get(messageId)).toMatchObject({ content });
  });

  it('messages.payload holds the content once (messages.insert)', async () => {
    const lead = await seed.lead({ lineUserId: `U-message-${tag}` }, at);
    const content: InboundContent = {
      kind: 'location',
      title: '本社',
      address: null,
      latitude: 35.6,
      longitude: 139.7,
    };
    const message = await write((repos) =>
      repos.messages.insert({
        leadId: lead.id,
        direction: 'inbound',
        content,
        text: '本社',
        authorId: null,
        slackChannelId: null,
        slackTs: null,
        status: 'received',
        createdAt: at,
      }),
    );

    expect(
      await query(sql`select jsonb_typeof(payload) as type, payload->>'kind' as kind, payload->>'title' as title,
                        (payload->>'latitude')::float8 as latitude
                      from messages where id = ${message.id}`),
    ).toEqual([{ type: 'object', kind: 'location', title: '本社', latitude: 35.6 }]);
    expect(message.content).toEqual(content);
    expect((await store.messages.get(message.id))?.content).toEqual(content);
  });

  it('outbox.payload holds the job once (outbox.enqueue)', async () => {
    const leadId = crypto.randomUUID();
    const job: OutboxJob = { kind: 'slack.alert', leadId, failedKind: 'line.push', error: `enqueue ${tag}` };
    await write((repos) => repos.outbox.enqueue([{ job, orderKey: leadId }]));

    expect(
      await query(sql`select jsonb_typeof(payload) as type, payload->>'kind' as kind, payload->>'error' as error
                      from outbox where payload->>'leadId' = ${leadId}`),
    ).toEqual([{ type: 'object', kind: 'slack.alert', error: `enqueue ${tag}` }]);
  });

  it('line_webhook_events.payload holds the event once (lineEvents.insertManyOnce)', async () => {
    const webhookEventId = `01JSONB${tag}`;
    const payload = {
      type: 'message',
      source: { userId: `U-event-${tag}` },
      message: { text: 'a "b" \\ c' },
    };
    await write((repos) =>
      repos.lineEvents.insertManyOnce([
        {
          webhookEventId,
          type: 'message',
          lineUserId: `U-event-${tag}`,
          payload,
          eventAt: at,
          receivedAt: at,
        },
      ]),
    );

    expect(
      await query(sql`select jsonb_typeof(payload) as type, payload #>> '{message,text}' as text
                      from line_webhook_events where webhook_event_id = ${webhookEventId}`),
    ).toEqual([{ type: 'object', text: 'a "b" \\ c' }]);
  });
});
