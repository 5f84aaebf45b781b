import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../db/client.ts';
import { outboxQueue } from '../../db/outbox-queue.ts';
import { rowsOf } from '../../db/repositories/executor.ts';
import { createStore } from '../../db/store.ts';
import type { OutboxJob } from '../../src/ports.ts';
import { createTestDatabase, onPostgres, type TestDatabase } from '../support/test-database.ts';

// The outbox goes from empty to 100,000 step sends in seconds. A named prepared statement keeps a
// generic plan made while the table was small (sequential scans, a nested loop over them) until the
// next ANALYZE, and on the burst each claim then costs the square of the rows: 2 s, then minutes,
// with a lead's message waiting behind it. So the queue's statements are planned at each run.
describe.skipIf(!onPostgres)('outbox queue statements are planned at each run (PostgreSQL)', () => {
  let tdb: TestDatabase;
  let database: Database;

  beforeAll(async () => {
    tdb = await createTestDatabase();
    // Pool of 2: one connection for transactions, one for single statements, so every statement
    // below runs on the connection whose prepared statements the test reads.
    database = await openDatabase({ url: tdb.url as string, poolMax: 2 });
  });

  afterAll(async () => {
    await database?.close();
    await tdb?.drop();
  });

  const reaction = (ts: string): OutboxJob => ({ kind: 'slack.reaction', channelId: 'C1', ts, name: 'eyes' });

  it('claims, settlements and the due check never become named prepared statements; other queries do', async () => {
    const store = createStore(database.db);
    const queue = outboxQueue(database.db);
    // More runs than PostgreSQL's five custom plans before it may switch a prepared statement to a generic one.
    for (let round = 0; round < 7; round += 1) {
      await store.outbox.enqueue([
        { job: reaction(`${round}-a`), orderKey: `lead:${round}` },
        { job: reaction(`${round}-b`), orderKey: `lead:${round}` },
        { job: reaction(`${round}-c`), orderKey: `other:${round}` },
      ]);
      const claimed = await queue.claim(10, 30_000);
      expect(claimed.map((item) => item.orderKey).sort()).toEqual([`lead:${round}`, `other:${round}`]);
      const [first, second] = claimed;
      await queue.complete(first as (typeof claimed)[number], []);
      await queue.retryLater(second as (typeof claimed)[number], 0, 'test: again');
      await queue.extendLease(claimed, 30_000);
      expect(await queue.nextDueInMs()).not.toBeNull();
      for (const item of await queue.claim(10, 30_000)) await queue.complete(item, []);
    }
    expect(await queue.nextDueInMs()).toBeNull();

    const prepared = rowsOf<{ statement: string; runs: number }>(
      await database.db.execute(
        sql`select statement, (generic_plans + custom_plans)::int as runs from pg_prepared_statements`,
      ),
    );
    // The check can see: the enqueue, an ordinary repository insert, is a named statement run 7 times.
    expect(prepared.some((p) => /insert into "?outbox"?/i.test(p.statement) && p.runs >= 7)).toBe(true);
    const queueStatements = prepared.filter((p) =>
      /update outbox|locked_until|synchronous_commit/i.test(p.statement),
    );
    expect(queueStatements).toEqual([]);
  });
});
