import { asc } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../db/client.ts';
import { outboxQueue } from '../../db/outbox-queue.ts';
import { outbox } from '../../db/schema.ts';
import { createStore } from '../../db/store.ts';
import { isPermanentDataError } from '../../src/errors.ts';
import { OutboxWorker } from '../../src/outbox-worker.ts';
import type { OutboxItem, OutboxJob } from '../../src/ports.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';

let tdb: TestDatabase;
let database: Database;

beforeAll(async () => {
  tdb = await createTestDatabase();
  database = await openDatabase(tdb.url ? { url: tdb.url } : { memory: true });
});

afterAll(async () => {
  await database?.close();
  await tdb?.drop();
});

const reaction = (ts: string): OutboxJob => ({ kind: 'slack.reaction', channelId: 'C1', ts, name: 'eyes' });
const silent = { info() {}, warn() {}, error() {} };

/** An error shaped like the driver's, wrapped the way the ORM wraps it. */
function databaseError(code: string, message: string): Error {
  const cause = Object.assign(new Error(message), { code });
  return new Error('Failed query: update leads ...', { cause });
}

describe('isPermanentDataError', () => {
  it('knows data exceptions and program limits, through the cause chain', () => {
    expect(
      isPermanentDataError(databaseError('22021', 'invalid byte sequence for encoding "UTF8": 0x00')),
    ).toBe(true);
    expect(isPermanentDataError(databaseError('22P05', 'unsupported Unicode escape sequence'))).toBe(true);
    expect(isPermanentDataError(databaseError('54001', 'stack depth limit exceeded'))).toBe(true);
    expect(isPermanentDataError(new RangeError('Invalid time value'))).toBe(true);
  });

  it('leaves connection failures, deadlocks and unknown errors to be retried', () => {
    expect(isPermanentDataError(databaseError('57P01', 'terminating connection'))).toBe(false);
    expect(isPermanentDataError(databaseError('40P01', 'deadlock detected'))).toBe(false);
    expect(isPermanentDataError(Object.assign(new Error('closed'), { code: 'CONNECTION_CLOSED' }))).toBe(
      false,
    );
    expect(isPermanentDataError(new Error('socket hang up'))).toBe(false);
  });
});

describe('the outbox worker and an error retrying cannot fix', () => {
  it('gives the row up at the first attempt, alerts once, and the lead’s later rows go on', async () => {
    const store = createStore(database.db);
    await store.outbox.enqueue([
      { job: reaction('bad'), orderKey: 'lead:1' },
      { job: reaction('after-1'), orderKey: 'lead:1' },
      { job: reaction('after-2'), orderKey: 'lead:1' },
    ]);
    const delivered: string[] = [];
    const givenUp: { ts: string; error: string }[] = [];
    const worker = new OutboxWorker({
      queue: outboxQueue(database.db),
      logger: silent,
      deliver: async (item: OutboxItem) => {
        const ts = (item.job as Extract<OutboxJob, { kind: 'slack.reaction' }>).ts;
        if (ts === 'bad') throw databaseError('22021', 'invalid byte sequence for encoding "UTF8": 0x00');
        delivered.push(ts);
        return [];
      },
      onGiveUp: async (item, error) => {
        givenUp.push({ ts: (item.job as Extract<OutboxJob, { kind: 'slack.reaction' }>).ts, error });
        return [];
      },
      concurrency: 4,
      pollMs: 20,
      backoff: { baseMs: 60_000, maxMs: 60_000 },
    });
    worker.start();
    try {
      await worker.whenIdle();
    } finally {
      await worker.stop();
    }
    expect(delivered).toEqual(['after-1', 'after-2']);
    expect(givenUp).toEqual([{ ts: 'bad', error: expect.stringContaining('invalid byte sequence') }]);
    const rows = await database.db.select().from(outbox).orderBy(asc(outbox.id));
    expect(rows.map((r) => [r.status, r.attempts])).toEqual([
      ['failed', 1],
      ['done', 1],
      ['done', 1],
    ]);
  });
});
