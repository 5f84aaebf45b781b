import { asc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Database, type Db, openDatabase } from '../../db/client.ts';
import { outboxQueue } from '../../db/outbox-queue.ts';
import { rowsOf } from '../../db/repositories/executor.ts';
import { outbox } from '../../db/schema.ts';
import { createStore } from '../../db/store.ts';
import type { OutboxEntry, OutboxItem, OutboxJob, OutboxQueue, Store } from '../../src/ports.ts';
import { eventually } from '../support/eventually.ts';
import { createTestDatabase, onPostgres, type TestDatabase } from '../support/test-database.ts';

const LEASE = 60_000;
/** A backoff or lease far longer than any stall of a loaded machine, so it cannot run out mid-test. */
const LONG = 10 * 60_000;

let tdb: TestDatabase;
let database: Database;
let store: Store;
let queue: OutboxQueue;

beforeAll(async () => {
  tdb = await createTestDatabase();
  database = await openDatabase(tdb.url ? { url: tdb.url } : { memory: true });
  store = createStore(database.db);
  queue = outboxQueue(database.db);
});

afterAll(async () => {
  await database?.close();
  await tdb?.drop();
});

beforeEach(async () => {
  await database.db.execute(sql`truncate outbox restart identity cascade`);
});

/** A job that names its row, so assertions can say which row came back. */
const job = (name: string): OutboxJob => ({
  kind: 'slack.reaction',
  channelId: 'C1',
  ts: name,
  name: 'eyes',
});
const entry = (orderKey: string, name: string, retryKey?: string): OutboxEntry =>
  retryKey ? { job: job(name), orderKey, retryKey } : { job: job(name), orderKey };
const nameOf = (item: OutboxItem) => (item.job as Extract<OutboxJob, { kind: 'slack.reaction' }>).ts;
const names = (items: OutboxItem[]) => items.map(nameOf);

async function enqueue(...entries: [orderKey: string, name: string][]): Promise<void> {
  for (const [orderKey, name] of entries) await store.outbox.enqueue([entry(orderKey, name)]);
}

async function rowOf(id: number) {
  const [row] = await database.db.select().from(outbox).where(eq(outbox.id, id));
  if (!row) throw new Error(`outbox row ${id} not found`);
  return row;
}

async function allRows() {
  return database.db.select().from(outbox).orderBy(asc(outbox.id));
}

async function claimOne(leaseMs = LEASE): Promise<OutboxItem> {
  const [item] = await queue.claim(1, leaseMs);
  if (!item) throw new Error('nothing to claim');
  return item;
}

describe('outbox queue: claiming', () => {
  it('claims the oldest rows first and marks them processing with one attempt', async () => {
    await enqueue(['a', 'a1'], ['b', 'b1'], ['c', 'c1']);
    const first = await queue.claim(2, LEASE);
    expect(names(first)).toEqual(['a1', 'b1']);
    expect(first.map((i) => i.attempts)).toEqual([1, 1]);
    expect(first[0]?.orderKey).toBe('a');
    expect(first[0]?.createdAt).toBeInstanceOf(Date);
    const row = await rowOf(first[0]?.id ?? 0);
    expect(row.status).toBe('processing');
    expect(row.lockedUntil).not.toBeNull();
    expect(names(await queue.claim(10, LEASE))).toEqual(['c1']);
    expect(await queue.claim(10, LEASE)).toEqual([]);
  });

  it('returns nothing when the queue is empty', async () => {
    expect(await queue.claim(5, LEASE)).toEqual([]);
  });

  it('claims at most one row per order key, and the next row of a key only after the first completes', async () => {
    await enqueue(['lead:1', 'first'], ['lead:1', 'second'], ['lead:2', 'other'], ['lead:1', 'third']);
    const claimed = await queue.claim(10, LEASE);
    expect(names(claimed)).toEqual(['first', 'other']);
    expect(await queue.claim(10, LEASE)).toEqual([]);

    const first = claimed.find((i) => nameOf(i) === 'first');
    if (!first) throw new Error('first not claimed');
    await queue.complete(first, []);
    expect(names(await queue.claim(10, LEASE))).toEqual(['second']);
    expect(await queue.claim(10, LEASE)).toEqual([]);
  });

  it('keeps a key blocked behind a row in backoff while other keys flow', async () => {
    await enqueue(['lead:1', 'first'], ['lead:1', 'second'], ['lead:2', 'x1'], ['lead:2', 'x2']);
    const claimed = await queue.claim(10, LEASE);
    expect(names(claimed)).toEqual(['first', 'x1']);
    const [first, x1] = claimed as [OutboxItem, OutboxItem];
    await queue.retryLater(first, 60_000, 'LINE 500');
    await queue.complete(x1, []);

    expect(names(await queue.claim(10, LEASE))).toEqual(['x2']);
    expect(await queue.claim(10, LEASE)).toEqual([]);
    const row = await rowOf(first.id);
    expect(row.status).toBe('pending');
    expect(row.lastError).toBe('LINE 500');
    expect(row.lockedUntil).toBeNull();
  });

  it('makes a row retried later due again once its delay has passed, and not before', async () => {
    await enqueue(['lead:1', 'flaky'], ['lead:2', 'patient']);
    const [flaky, patient] = (await queue.claim(2, LEASE)) as [OutboxItem, OutboxItem];
    // The long delay cannot pass however slow the machine, so this row must stay out of reach.
    await queue.retryLater(patient, LONG, 'busy');
    const started = Date.now();
    await queue.retryLater(flaky, 300, 'timeout');

    const again = await eventually(async () => (await queue.claim(5, LEASE))[0]);
    // A slow machine only makes this longer: the row is never due before its delay.
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(again.id).toBe(flaky.id);
    expect(again.attempts).toBe(2);
    expect(await queue.claim(5, LEASE)).toEqual([]);
  });

  it('makes a row whose lease expired (crashed worker) claimable again', async () => {
    await enqueue(['lead:1', 'orphan'], ['lead:1', 'next']);
    const lost = await claimOne(50);
    const reclaimed = await eventually(async () => (await queue.claim(5, LEASE))[0]);
    expect(reclaimed.id).toBe(lost.id);
    expect(reclaimed.attempts).toBe(2);
    // The successor stays behind the re-claimed row.
    expect(await queue.claim(5, LEASE)).toEqual([]);
  });

  it('does not hand out a row whose lease is still running', async () => {
    await enqueue(['lead:1', 'busy']);
    await claimOne();
    expect(await queue.claim(5, LEASE)).toEqual([]);
  });

  it('holds a row written with a delay until its moment, while rows due now go', async () => {
    await store.outbox.enqueue([{ ...entry('step:1', 'paced'), delayMs: LONG }]);
    await enqueue(['lead:2', 'now']);
    expect(names(await queue.claim(5, LEASE))).toEqual(['now']);
    expect(await queue.claim(5, LEASE)).toEqual([]);
  });

  it('claims by due moment, so a paced row does not go before a row written later but due sooner', async () => {
    await store.outbox.enqueue([{ ...entry('step:1', 'paced'), delayMs: 300 }]);
    await enqueue(['lead:2', 'unpaced']);
    // Once both are due, the one due first goes first, although it was written second.
    await eventually(async () => {
      const [row] = rowsOf<{ due: boolean }>(
        await database.db.execute(sql`select bool_and(run_at <= now()) as due from outbox`),
      );
      return row?.due;
    });
    expect(names(await queue.claim(1, LEASE))).toEqual(['unpaced']);
    expect(names(await queue.claim(1, LEASE))).toEqual(['paced']);
  });

  it('claims by lane: the conversation, then step sends, then their lines, however long each waited', async () => {
    await store.outbox.enqueue([
      { ...entry('step-line:1', 'line1'), lane: 'step_lines' },
      { ...entry('steps:2', 'step2'), lane: 'steps' },
      { ...entry('step-line:3', 'line3'), lane: 'step_lines' },
      { ...entry('steps:4', 'step4'), lane: 'steps' },
    ]);
    await enqueue(['lead:5', 'relay']);
    expect(names(await queue.claim(1, LEASE))).toEqual(['relay']);
    expect(names(await queue.claim(2, LEASE))).toEqual(['step2', 'step4']);
    expect(names(await queue.claim(5, LEASE))).toEqual(['line1', 'line3']);
  });

  it('keeps a key’s order across lanes: a later row of the key waits for an earlier one in a slower lane', async () => {
    await store.outbox.enqueue([
      { ...entry('lead:1', 'line-first'), lane: 'step_lines' },
      entry('lead:1', 'then'),
    ]);
    expect(names(await queue.claim(5, LEASE))).toEqual(['line-first']);
  });

  it('round-trips the retry key', async () => {
    const retryKey = '0b7a4bd1-8b8a-4c8f-9d55-2f0a7a3f1c11';
    await store.outbox.enqueue([entry('lead:1', 'push', retryKey), entry('lead:2', 'plain')]);
    const items = await queue.claim(5, LEASE);
    expect(items.map((i) => i.retryKey)).toEqual([retryKey, null]);
    expect(items[0]?.job).toEqual(job('push'));
  });
});

describe('outbox queue: settling', () => {
  it('completes a row and enqueues its follow-ups in the same step', async () => {
    await enqueue(['lead:1', 'push']);
    const item = await claimOne();
    await queue.complete(item, [entry('lead:1', 'reaction'), entry('lead:9', 'elsewhere')]);

    const rows = await allRows();
    expect(rows.map((r) => [r.status, (r.payload as { ts: string }).ts, r.orderKey])).toEqual([
      ['done', 'push', 'lead:1'],
      ['pending', 'reaction', 'lead:1'],
      ['pending', 'elsewhere', 'lead:9'],
    ]);
    expect(rows[0]?.doneAt).not.toBeNull();
    expect(rows[0]?.lockedUntil).toBeNull();
    expect(names(await queue.claim(5, LEASE))).toEqual(['reaction', 'elsewhere']);
  });

  it('leaves neither the completion nor the follow-ups when enqueuing a follow-up fails', async () => {
    await enqueue(['lead:1', 'push']);
    const item = await claimOne();
    const broken = { job: job('bad'), orderKey: null } as unknown as OutboxEntry;
    await expect(queue.complete(item, [entry('lead:1', 'ok'), broken])).rejects.toThrow();

    const rows = await allRows();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.status).toBe('processing');
  });

  it('gives up: marks the row failed, runs the follow-up callback once and enqueues what it returns', async () => {
    await enqueue(['lead:1', 'push'], ['lead:1', 'after']);
    const item = await claimOne();
    let calls = 0;
    await queue.giveUp(item, 'blocked by the customer', async () => {
      calls++;
      return [entry('lead:1', 'notice')];
    });

    expect(calls).toBe(1);
    const row = await rowOf(item.id);
    expect(row.status).toBe('failed');
    expect(row.lastError).toBe('blocked by the customer');
    expect(row.doneAt).not.toBeNull();
    expect(row.lockedUntil).toBeNull();
    // A failed row no longer holds up its key.
    expect(names(await queue.claim(5, LEASE))).toEqual(['after']);
    expect((await allRows()).map((r) => (r.payload as { ts: string }).ts)).toEqual([
      'push',
      'after',
      'notice',
    ]);
  });

  it('fences settlement by attempts: a stale worker cannot complete a row that was claimed again', async () => {
    await enqueue(['lead:1', 'slow']);
    const stale = await claimOne(1);
    const fresh = await eventually(async () => (await queue.claim(1, LEASE))[0]);
    expect(fresh.attempts).toBe(2);

    await queue.complete(stale, []);
    let row = await rowOf(stale.id);
    expect(row.status).toBe('processing');
    expect(row.attempts).toBe(2);

    await queue.retryLater(stale, 0, 'stale');
    let calls = 0;
    await queue.giveUp(stale, 'stale', async () => {
      calls++;
      return [entry('lead:1', 'never')];
    });
    row = await rowOf(stale.id);
    expect(row.status).toBe('processing');
    expect(row.lastError).toBeNull();
    expect(calls).toBe(0);
    expect(await allRows()).toHaveLength(1);

    await queue.complete(fresh, []);
    expect((await rowOf(fresh.id)).status).toBe('done');
  });

  it('does not let a settled row be settled a second time', async () => {
    await enqueue(['lead:1', 'once']);
    const item = await claimOne();
    await queue.complete(item, []);
    await queue.retryLater(item, 0, 'late retry');
    const row = await rowOf(item.id);
    expect(row.status).toBe('done');
    expect(row.lastError).toBeNull();
    expect(await queue.claim(5, LEASE)).toEqual([]);
  });
});

describe('outbox queue: nextDueInMs', () => {
  /**
   * `ms` is what remains of `total` started between `before` and now: at most `total`, and at least
   * `total` less the wall time that passed (however long a loaded machine took). Date.now() counts
   * whole milliseconds, hence the one spare.
   */
  function expectRemaining(ms: number | null, total: number, before: number): void {
    expect(ms).not.toBeNull();
    expect(ms).toBeGreaterThan(0);
    expect(ms).toBeLessThanOrEqual(total);
    expect(ms).toBeGreaterThanOrEqual(total - (Date.now() - before) - 1);
  }

  it('is null when nothing is pending or in flight', async () => {
    expect(await queue.nextDueInMs()).toBeNull();
    await enqueue(['lead:1', 'done']);
    await queue.complete(await claimOne(), []);
    expect(await queue.nextDueInMs()).toBeNull();
  });

  it('is zero when a row is due', async () => {
    await enqueue(['lead:1', 'due']);
    expect(await queue.nextDueInMs()).toBe(0);
  });

  it('is zero when only a row of the slowest lane is due', async () => {
    await store.outbox.enqueue([{ ...entry('step-line:1', 'line'), lane: 'step_lines' }]);
    expect(await queue.nextDueInMs()).toBe(0);
  });

  it('is the remaining delay when the only row is in backoff', async () => {
    await enqueue(['lead:1', 'later']);
    const item = await claimOne();
    const before = Date.now();
    await queue.retryLater(item, LONG, 'busy');
    expectRemaining(await queue.nextDueInMs(), LONG, before);
  });

  it('is the remaining lease while a row is in flight', async () => {
    await enqueue(['lead:1', 'busy']);
    const before = Date.now();
    await claimOne(LONG);
    expectRemaining(await queue.nextDueInMs(), LONG, before);
  });

  // The worker treats 0 as "claim now"; a row that cannot be claimed must not read as due, or the
  // worker re-polls without pause (claim finds nothing, nextDueInMs says 0, ...) for the whole backoff.
  it('does not report a row waiting behind its key’s backoff as due', async () => {
    await enqueue(['lead:1', 'failing'], ['lead:1', 'queued behind']);
    const item = await claimOne();
    const before = Date.now();
    await queue.retryLater(item, LONG, 'busy');
    expect(await queue.claim(5, LEASE)).toEqual([]);
    expectRemaining(await queue.nextDueInMs(), LONG, before);
  });
});

describe('outbox queue: follow-up callback on give-up', () => {
  // onDeliveryGivenUp (src/use-cases/delivery/deliver-outbox-item.ts) reads and writes through the
  // transaction giveUp hands it. Runs on a database of its own: if the callback deadlocked,
  // the connection it hangs on would be lost for good. A deadlock shows as giveUp never settling,
  // which the test's own timeout reports; no guess at how long a settle may take on a busy machine.
  it('lets the give-up callback use the database through its transaction, as onDeliveryGivenUp does', async ({
    onTestFinished,
  }) => {
    const own = await createTestDatabase();
    const db = await openDatabase(own.url ? { url: own.url } : { memory: true });
    let settled = false;
    onTestFinished(async () => {
      // A hung PGlite never closes; leave it to the worker's exit.
      if (settled || db.driver === 'postgres') await db.close();
      await own.drop();
    });
    const ownStore = createStore(db.db);
    const ownQueue = outboxQueue(db.db);
    await ownStore.outbox.enqueue([entry('lead:1', 'push')]);
    const [item] = await ownQueue.claim(1, LEASE);
    if (!item) throw new Error('nothing claimed');
    await ownQueue.giveUp(item, 'gone', async (tx) => {
      await tx.leads.findByLineUserId('U-nobody');
      return [entry('lead:1', 'notice')];
    });
    settled = true;
    const rows = await db.db.select().from(outbox).orderBy(asc(outbox.id));
    expect(rows.map((r) => [r.status, (r.payload as { ts: string }).ts])).toEqual([
      ['failed', 'push'],
      ['pending', 'notice'],
    ]);
  });
});

describe.skipIf(!onPostgres)('outbox queue: concurrent workers (PostgreSQL)', () => {
  it('hands disjoint rows to two connections claiming at once, covering every row', async () => {
    if (!tdb.url) throw new Error('no database url');
    const left = await openDatabase({ url: tdb.url, poolMax: 2 });
    const right = await openDatabase({ url: tdb.url, poolMax: 2 });
    // Waiting on the other's row locks instead of skipping them would hang; this turns it into an error.
    const claimInTransaction = (database: Database, whileOpen: () => Promise<OutboxItem[]>) =>
      database.db.transaction(async (tx) => {
        await tx.execute(sql`set local lock_timeout = '10s'`);
        const items = await outboxQueue(tx as unknown as Db).claim(3, LEASE);
        return { items, meanwhile: await whileOpen() };
      });
    try {
      await store.outbox.enqueue(Array.from({ length: 40 }, (_, n) => entry(`lead:${n}`, `row${n}`)));
      const got = new Map<Database, OutboxItem[]>([
        [left, []],
        [right, []],
      ]);
      const rounds: Array<[number, number]> = [];
      // Each round, one connection claims in a transaction it keeps open while the other claims: its
      // rows are locked and, uncommitted, still read as pending to the other, which must skip them.
      // The roles swap every round, so both connections claim both ways, whichever is faster.
      for (let round = 0; rounds.length < 20; round++) {
        const [first, second] = round % 2 === 0 ? [left, right] : [right, left];
        const { items, meanwhile } = await claimInTransaction(first, () =>
          claimInTransaction(second, async () => []).then((r) => r.items),
        );
        got.get(first)?.push(...items);
        got.get(second)?.push(...meanwhile);
        if (items.length === 0 && meanwhile.length === 0) break;
        rounds.push([items.length, meanwhile.length]);
      }
      expect(rounds).toEqual([...Array.from({ length: 6 }, () => [3, 3]), [3, 1]]);
      const a = got.get(left) ?? [];
      const b = got.get(right) ?? [];
      const idsA = a.map((i) => i.id);
      const idsB = b.map((i) => i.id);
      expect(idsA.filter((id) => idsB.includes(id))).toEqual([]);
      const all = [...idsA, ...idsB].sort((x, y) => x - y);
      expect(all).toEqual(Array.from({ length: 40 }, (_, n) => n + 1));
      expect(a.length).toBeGreaterThan(0);
      expect(b.length).toBeGreaterThan(0);
      expect([...a, ...b].every((i) => i.attempts === 1)).toBe(true);
      expect((await allRows()).every((r) => r.status === 'processing' && r.attempts === 1)).toBe(true);
    } finally {
      await left.close();
      await right.close();
    }
  });

  it('skips rows another transaction holds locked instead of waiting for them', async () => {
    if (!tdb.url) throw new Error('no database url');
    const other = await openDatabase({ url: tdb.url, poolMax: 1 });
    try {
      await enqueue(['lead:1', 'held'], ['lead:2', 'free']);
      let release = () => {};
      const released = new Promise<void>((resolve) => {
        release = resolve;
      });
      let locked = () => {};
      const isLocked = new Promise<void>((resolve) => {
        locked = resolve;
      });
      const holder = other.db.transaction(async (tx) => {
        await tx.execute(sql`select id from outbox where id = 1 for update`);
        locked();
        await released;
      });
      await isLocked;
      const claimed = await queue.claim(5, LEASE);
      release();
      await holder;
      expect(names(claimed)).toEqual(['free']);
      expect(names(await queue.claim(5, LEASE))).toEqual(['held']);
    } finally {
      await other.close();
    }
  });
});
