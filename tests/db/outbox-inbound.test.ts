import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../db/client.ts';
import { outboxQueue } from '../../db/outbox-queue.ts';
import { createStore } from '../../db/store.ts';
import { InboundGate } from '../../src/inbound-gate.ts';
import { INBOUND_CONCURRENCY, OutboxWorker } from '../../src/outbox-worker.ts';
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

function workerWith(gate: InboundGate, delivered: string[], running = { now: 0, most: 0 }) {
  return new OutboxWorker({
    queue: outboxQueue(database.db),
    logger: silent,
    deliver: async (item: OutboxItem) => {
      running.now += 1;
      running.most = Math.max(running.most, running.now);
      // Still in flight for a turn of the event loop, so that deliveries can overlap.
      await new Promise<void>((resolve) => setImmediate(resolve));
      delivered.push((item.job as Extract<OutboxJob, { kind: 'slack.reaction' }>).ts);
      running.now -= 1;
      return [];
    },
    onGiveUp: async () => [],
    concurrency: 4,
    pollMs: 20,
    backoff: { baseMs: 1000, maxMs: 1000 },
    inbound: gate,
  });
}

describe('the outbox worker and the requests being answered', () => {
  it('delivers everything once the requests are answered', async () => {
    const gate = new InboundGate();
    const delivered: string[] = [];
    const worker = workerWith(gate, delivered);
    gate.enter();
    await createStore(database.db).outbox.enqueue(
      ['a', 'b', 'c'].map((ts) => ({ job: reaction(ts), orderKey: `lead:${ts}` })),
    );
    worker.start();
    try {
      gate.leave();
      await worker.whenIdle();
    } finally {
      await worker.stop();
    }
    expect(delivered.sort()).toEqual(['a', 'b', 'c']);
  });

  it('is slowed, never stopped, by requests that never end', async () => {
    const gate = new InboundGate();
    const delivered: string[] = [];
    const running = { now: 0, most: 0 };
    const worker = workerWith(gate, delivered, running);
    gate.enter();
    await createStore(database.db).outbox.enqueue(
      ['d', 'e', 'f', 'g', 'h', 'i'].map((ts) => ({ job: reaction(ts), orderKey: `lead:${ts}` })),
    );
    worker.start();
    try {
      await worker.whenIdle();
    } finally {
      await worker.stop();
    }
    expect(gate.busy).toBe(true);
    expect(delivered.sort()).toEqual(['d', 'e', 'f', 'g', 'h', 'i']);
    // A trickle while the server answers requests: never the worker's full concurrency of 4.
    expect(running.most).toBeGreaterThan(0);
    expect(running.most).toBeLessThanOrEqual(INBOUND_CONCURRENCY);
  });
});
