import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, migrationsFolder, openDatabase } from '../../db/client.ts';
import { rowsOf } from '../../db/repositories/executor.ts';
import { createStore } from '../../db/store.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';

// 0007_jsonb_once decodes the jsonb values that were stored JSON-encoded twice (written inside a
// transaction on PostgreSQL before the transaction clients got drizzle's type settings), and
// leaves every value stored once as it is, strings included.

const MIGRATION = '0007_jsonb_once';
const LEAD = '6f1d3c2a-0000-4000-8000-000000000001';
const MESSAGE_TWICE = '6f1d3c2a-0000-4000-8000-0000000000a1';
const MESSAGE_ONCE = '6f1d3c2a-0000-4000-8000-0000000000a2';

type Raw = (text: string, params?: unknown[]) => Promise<void>;

/** A copy of the migrations folder that ends before MIGRATION. */
async function migrationsBefore(dir: string): Promise<string> {
  const folder = join(dir, 'migrations');
  await cp(migrationsFolder, folder, { recursive: true });
  const journalPath = join(folder, 'meta', '_journal.json');
  const journal = JSON.parse(await readFile(journalPath, 'utf8')) as { entries: { tag: string }[] };
  const at = journal.entries.findIndex((entry) => entry.tag === MIGRATION);
  if (at < 0) throw new Error(`${MIGRATION} is not in the journal`);
  journal.entries = journal.entries.slice(0, at);
  await writeFile(journalPath, JSON.stringify(journal));
  return folder;
}

/**
 * A database migrated up to the migration before MIGRATION, written to by `fill` with raw SQL, then
 * opened as the app opens it at boot (which runs MIGRATION and any later ones).
 */
async function openAfterFilling(tdb: TestDatabase, dir: string, fill: (raw: Raw) => Promise<void>) {
  const folder = await migrationsBefore(dir);
  if (tdb.url) {
    const [{ default: postgres }, { drizzle }, { migrate }] = await Promise.all([
      import('postgres'),
      import('drizzle-orm/postgres-js'),
      import('drizzle-orm/postgres-js/migrator'),
    ]);
    const client = postgres(tdb.url, { max: 1, onnotice: () => {} });
    try {
      await migrate(drizzle(client), { migrationsFolder: folder });
      await fill(async (text, params = []) => {
        await client.unsafe(text, params as never[]);
      });
    } finally {
      await client.end({ timeout: 5 });
    }
    return openDatabase({ url: tdb.url });
  }
  const pgliteDir = join(dir, 'pglite');
  const [{ PGlite }, { drizzle }, { migrate }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('drizzle-orm/pglite'),
    import('drizzle-orm/pglite/migrator'),
  ]);
  const client = await PGlite.create(pgliteDir);
  try {
    await migrate(drizzle({ client }), { migrationsFolder: folder });
    await fill(async (text, params = []) => {
      await client.query(text, params);
    });
  } finally {
    await client.close();
  }
  return openDatabase({ pgliteDir });
}

interface HistoryCase {
  name: string;
  fact: string;
  old: unknown;
  new: unknown;
  /** How the values were stored: 'twice' as the faulty writes did, or 'once'. */
  stored: 'twice' | 'once';
}

// What the app writes in each place: owner ids and stage names (strings), timing values (objects),
// amounts (numbers); SQL NULL for none.
const historyCases: HistoryCase[] = [
  { name: 'owner twice', fact: 'owner_changed', old: 'U0LEAVING', new: 'U0SUCCESSOR', stored: 'twice' },
  { name: 'owner from nobody twice', fact: 'owner_changed', old: null, new: 'U0"odd\\id', stored: 'twice' },
  { name: 'stage twice', fact: 'stage_changed', old: 'open', new: 'lost', stored: 'twice' },
  {
    name: 'timing twice',
    fact: 'timing_changed',
    old: { timing: null, segment: null },
    new: { timing: '2026-05', segment: 'hot' },
    stored: 'twice',
  },
  { name: 'amount twice', fact: 'amount_changed', old: null, new: 3_200_000, stored: 'twice' },
  { name: 'amount changed twice', fact: 'amount_changed', old: 1_500_000, new: 0, stored: 'twice' },
  { name: 'owner once', fact: 'owner_changed', old: 'U0REP', new: 'U0OTHER', stored: 'once' },
  { name: 'stage once', fact: 'stage_changed', old: 'nurture', new: 'open', stored: 'once' },
  {
    name: 'timing once',
    fact: 'timing_changed',
    old: { timing: '2026-05', segment: 'hot' },
    new: { timing: '2026-08-01', segment: 'warm' },
    stored: 'once',
  },
  { name: 'amount once', fact: 'amount_changed', old: 3_200_000, new: null, stored: 'once' },
  // Strings stored once that would parse as JSON of another type are strings still.
  { name: 'numeric owner once', fact: 'owner_changed', old: '12345', new: 'true', stored: 'once' },
  { name: 'brace owner once', fact: 'owner_changed', old: '{"a":1}', new: '[1]', stored: 'once' },
  { name: 'created', fact: 'created', old: null, new: null, stored: 'once' },
];

/** A fact the migration knows nothing of keeps its values, whatever they look like. */
const UNKNOWN_FACT_VALUE = JSON.stringify('kept as it is');

const jsonb = (value: unknown, stored: 'twice' | 'once') =>
  value === null
    ? 'null'
    : stored === 'twice'
      ? `to_jsonb(${literal(JSON.stringify(value))}::text)`
      : `${literal(JSON.stringify(value))}::jsonb`;
const literal = (text: string) => `'${text.replaceAll("'", "''")}'`;

const contentTwice = { kind: 'text', text: 'こんにちは "quoted" \\ back' };
const contentOnce = { kind: 'sticker', packageId: '446', stickerId: '1988', keywords: ['happy'] };
const jobTwice = { kind: 'slack.alert', leadId: LEAD, failedKind: 'line.push', error: 'twice' };
const jobOnce = { kind: 'slack.alert', leadId: LEAD, failedKind: 'line.push', error: 'once' };
const eventTwice = { type: 'message', source: { userId: 'U-line-1' }, message: { text: 'twice' } };
const eventOnce = { type: 'follow', source: { userId: 'U-line-1' } };

async function fill(raw: Raw): Promise<void> {
  await raw(`insert into leads (id, line_user_id, status, source, created_at, updated_at)
             values ('${LEAD}', 'U-line-1', 'active', 'follow', now(), now())`);
  for (const c of historyCases) {
    await raw(`insert into lead_history (lead_id, at, actor, fact, old_value, new_value, reason)
               values ('${LEAD}', now(), ${literal(c.name)}, '${c.fact}', ${jsonb(c.old, c.stored)},
                       ${jsonb(c.new, c.stored)}, null)`);
  }
  await raw(`insert into lead_history (lead_id, at, actor, fact, old_value, new_value)
             values ('${LEAD}', now(), 'unknown fact', 'future_fact', to_jsonb(${literal(UNKNOWN_FACT_VALUE)}::text),
                     ${literal(UNKNOWN_FACT_VALUE)}::jsonb)`);
  for (const [id, content, stored] of [
    [MESSAGE_TWICE, contentTwice, 'twice'],
    [MESSAGE_ONCE, contentOnce, 'once'],
  ] as const) {
    await raw(`insert into messages (id, lead_id, direction, kind, text, payload, status, created_at)
               values ('${id}', '${LEAD}', 'inbound', '${content.kind}', null, ${jsonb(content, stored)},
                       'received', now())`);
  }
  for (const [job, stored] of [
    [jobTwice, 'twice'],
    [jobOnce, 'once'],
  ] as const) {
    await raw(
      `insert into outbox (kind, order_key, payload) values ('${job.kind}', '${LEAD}', ${jsonb(job, stored)})`,
    );
  }
  for (const [id, event, stored] of [
    ['01EVENTTWICE', eventTwice, 'twice'],
    ['01EVENTONCE', eventOnce, 'once'],
  ] as const) {
    await raw(`insert into line_webhook_events (webhook_event_id, type, line_user_id, payload, event_at, received_at)
               values ('${id}', '${event.type}', 'U-line-1', ${jsonb(event, stored)}, now(), now())`);
  }
  // An erased event's payload, written by the erasure as an empty object.
  await raw(`insert into line_webhook_events (webhook_event_id, type, line_user_id, payload, event_at, received_at)
             values ('01EVENTERASED', 'message', null, '{}'::jsonb, now(), now())`);
}

const natural = (value: unknown) =>
  value === null
    ? null
    : typeof value === 'object'
      ? Array.isArray(value)
        ? 'array'
        : 'object'
      : typeof value;

let tdb: TestDatabase;
let dir: string;
let database: Database;

async function query<T>(text: ReturnType<typeof sql>): Promise<T[]> {
  return rowsOf<T>(await database.db.execute(text));
}

beforeAll(async () => {
  tdb = await createTestDatabase();
  dir = await mkdtemp(join(tmpdir(), 'tsuikyaku-jsonb-once-'));
  database = await openAfterFilling(tdb, dir, fill);
});

afterAll(async () => {
  await database?.close();
  await tdb?.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe(`migration ${MIGRATION}`, () => {
  it('stores every lead_history value once, as the JSON type the app wrote, and keeps the rest as they were', async () => {
    const rows = await query<{
      actor: string;
      old_type: string | null;
      new_type: string | null;
      old_text: string | null;
      new_text: string | null;
    }>(sql`
      select actor, jsonb_typeof(old_value) as old_type, jsonb_typeof(new_value) as new_type,
        old_value::text as old_text, new_value::text as new_text
      from lead_history where lead_id = ${LEAD} order by id`);
    const parse = (text: string | null) => (text === null ? null : JSON.parse(text));
    expect(
      rows.map((row) => ({
        name: row.actor,
        old: parse(row.old_text),
        new: parse(row.new_text),
        oldType: row.old_type,
        newType: row.new_type,
      })),
    ).toEqual([
      ...historyCases.map((c) => ({
        name: c.name,
        old: c.old,
        new: c.new,
        oldType: natural(c.old),
        newType: natural(c.new),
      })),
      {
        name: 'unknown fact',
        old: UNKNOWN_FACT_VALUE,
        new: 'kept as it is',
        oldType: 'string',
        newType: 'string',
      },
    ]);
  });

  it('lets SQL read the decoded values (->>, #>>)', async () => {
    const rows = await query<{ actor: string; value: string | null; timing: string | null }>(sql`
      select actor, new_value #>> '{}' as value, new_value->>'timing' as timing
      from lead_history where lead_id = ${LEAD} and actor in ('owner twice', 'timing twice', 'amount twice')
      order by id`);
    expect(rows).toEqual([
      { actor: 'owner twice', value: 'U0SUCCESSOR', timing: null },
      { actor: 'timing twice', value: '{"timing": "2026-05", "segment": "hot"}', timing: '2026-05' },
      { actor: 'amount twice', value: '3200000', timing: null },
    ]);
  });

  it('reads back through the repositories as written', async () => {
    const store = createStore(database.db);
    const history = await store.history.listForLead(LEAD);
    const byActor = new Map(history.map((entry) => [entry.actor, entry]));
    // Not the odd strings above: drizzle parses a jsonb string it reads once more (drizzle-orm#3018),
    // so '12345' would read as a number; the app's ids and stage names never look like JSON.
    const appValues = historyCases.filter(
      (c) => c.fact !== 'created' && !c.name.startsWith('numeric') && !c.name.startsWith('brace'),
    );
    for (const c of appValues) {
      expect(byActor.get(c.name)).toMatchObject({ fact: c.fact, from: c.old, to: c.new });
    }
    expect((await store.messages.get(MESSAGE_TWICE))?.content).toEqual(contentTwice);
    expect((await store.messages.get(MESSAGE_ONCE))?.content).toEqual(contentOnce);
  });

  it('stores the payloads of messages, outbox and line_webhook_events once, as objects', async () => {
    expect(
      await query(sql`select jsonb_typeof(payload) as type, payload->>'text' as text from messages
                      where lead_id = ${LEAD} order by id`),
    ).toEqual([
      { type: 'object', text: contentTwice.text },
      { type: 'object', text: null },
    ]);
    expect(
      await query(sql`select payload::text as payload from messages where id = ${MESSAGE_ONCE}`),
    ).toMatchObject([{ payload: expect.stringContaining('"keywords": ["happy"]') }]);
    expect(
      await query(sql`select jsonb_typeof(payload) as type, payload->>'error' as error from outbox
                      where order_key = ${LEAD} order by id`),
    ).toEqual([
      { type: 'object', error: 'twice' },
      { type: 'object', error: 'once' },
    ]);
    expect(
      await query(sql`select webhook_event_id as id, jsonb_typeof(payload) as type, payload::text as payload
                      from line_webhook_events order by webhook_event_id`),
    ).toEqual([
      { id: '01EVENTERASED', type: 'object', payload: '{}' },
      { id: '01EVENTONCE', type: 'object', payload: '{"type": "follow", "source": {"userId": "U-line-1"}}' },
      {
        id: '01EVENTTWICE',
        type: 'object',
        payload: '{"type": "message", "source": {"userId": "U-line-1"}, "message": {"text": "twice"}}',
      },
    ]);
  });

  it('leaves lead_history append-only, its trigger enabled, and no helper function behind', async () => {
    expect(
      await query(sql`select tgenabled as enabled from pg_trigger where tgname = 'lead_history_append_only'`),
    ).toEqual([{ enabled: 'O' }]);
    await expect(
      database.db.execute(sql`update lead_history set actor = 'changed' where lead_id = ${LEAD}`),
    ).rejects.toThrow();
    await expect(
      database.db.execute(sql`delete from lead_history where lead_id = ${LEAD}`),
    ).rejects.toThrow();
    expect(
      await query(sql`select count(*)::int as n from pg_proc where proname = 'tsuikyaku_jsonb_decoded_once'`),
    ).toEqual([{ n: 0 }]);
  });

  it('has applied every migration, this one included', async () => {
    expect(await database.isReady()).toBe(true);
  });
});
