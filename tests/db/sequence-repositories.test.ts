import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../db/client.ts';
import { createStore } from '../../db/store.ts';
import type { Enrolment, NewStepSend, Store } from '../../src/ports.ts';
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
  await database.db.execute(sql`truncate step_sends, sequence_enrolments, leads restart identity cascade`);
});

const T0 = Date.parse('2030-04-01T09:00:00Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000);

/** A lead enrolled in `sequenceId` with its first step due at minute `due`. */
async function enrolled(n: number, due: number, sequenceId = 'nurture'): Promise<Enrolment> {
  const { lead } = await store.leads.insertOrGet({
    lineUserId: `U${String(n).padStart(32, '0')}`,
    source: 'follow',
    status: 'active',
    at: at(0),
  });
  const enrolment = await store.enrolments.insert({
    leadId: lead.id,
    sequenceId,
    trigger: 'manual',
    dueAt: at(due),
    sendAt: at(due),
    enrolledBy: 'system',
    enrolledAt: at(0),
  });
  if (!enrolment) throw new Error('not enrolled');
  return enrolment;
}

describe('enrolments: updateMany', () => {
  it('writes each enrolment its own patch, whatever fields each sets, and leaves the rest as they were', async () => {
    const [a, b, c, untouched] = await Promise.all([
      enrolled(1, 0),
      enrolled(2, 0),
      enrolled(3, 0),
      enrolled(4, 0),
    ]);
    if (!a || !b || !c || !untouched) throw new Error('not enrolled');
    await store.enrolments.updateMany(
      [
        { id: a.id, patch: { nextStep: 1, dueAt: at(60), sendAt: at(60) } },
        { id: b.id, patch: { state: 'completed', nextStep: 1, dueAt: null, sendAt: null, endedAt: at(5) } },
        {
          id: c.id,
          patch: { state: 'stopped', stopReason: 'opted_out', sendAt: null, resumeAt: null, endedAt: at(5) },
        },
      ],
      at(5),
    );

    expect(await store.enrolments.get(a.id)).toEqual({ ...a, nextStep: 1, dueAt: at(60), sendAt: at(60) });
    expect(await store.enrolments.get(b.id)).toEqual({
      ...b,
      state: 'completed',
      nextStep: 1,
      dueAt: null,
      sendAt: null,
      endedAt: at(5),
    });
    expect(await store.enrolments.get(c.id)).toEqual({
      ...c,
      state: 'stopped',
      stopReason: 'opted_out',
      sendAt: null,
      endedAt: at(5),
    });
    expect(await store.enrolments.get(untouched.id)).toEqual(untouched);
  });

  it('does nothing for no updates', async () => {
    const a = await enrolled(1, 0);
    await store.enrolments.updateMany([], at(5));
    expect(await store.enrolments.get(a.id)).toEqual(a);
  });
});

describe('enrolments: claimDue', () => {
  it('claims the due ones, earliest first, up to the limit, and nothing not yet due', async () => {
    const late = await enrolled(1, 30);
    const first = await enrolled(2, 0);
    const second = await enrolled(3, 10);
    await enrolled(4, 120);
    const claimed = await store.transaction((tx) => tx.enrolments.claimDue(at(60), 2));
    expect(claimed.map((d) => d.enrolment.id)).toEqual([first.id, second.id]);
    expect(claimed[0]?.lead.id).toBe(first.leadId);
    const rest = await store.transaction((tx) => tx.enrolments.claimDue(at(60), 10));
    expect(rest.map((d) => d.enrolment.id)).toEqual([first.id, second.id, late.id]);
  });

  // Two sessions at once need PostgreSQL: PGlite runs one transaction at a time.
  it.skipIf(!onPostgres)(
    'skips enrolments another transaction has claimed, so two dispatchers share the work',
    async () => {
      for (let n = 1; n <= 6; n++) await enrolled(n, 0);
      let release = () => {};
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      let claimedFirst = () => {};
      const firstClaimed = new Promise<void>((resolve) => {
        claimedFirst = resolve;
      });
      let first: string[] = [];
      const firstDone = store.transaction(async (tx) => {
        first = (await tx.enrolments.claimDue(at(60), 4)).map((d) => d.enrolment.id);
        claimedFirst();
        await held;
      });
      await firstClaimed;
      const second = await store.transaction(async (tx) =>
        (await tx.enrolments.claimDue(at(60), 10)).map((d) => d.enrolment.id),
      );
      release();
      await firstDone;
      expect(first).toHaveLength(4);
      expect(second).toHaveLength(2);
      expect(second.filter((id) => first.includes(id))).toEqual([]);
    },
  );
});

describe('step sends: insertMany', () => {
  it('stores every field of every send in one go', async () => {
    const a = await enrolled(1, 0);
    const b = await enrolled(2, 0);
    const sends: NewStepSend[] = [
      {
        id: crypto.randomUUID(),
        enrolmentId: a.id,
        leadId: a.leadId,
        sequenceId: 'nurture',
        stepIndex: 0,
        status: 'queued',
        retryKey: crypto.randomUUID(),
        dispatchedAt: at(1),
      },
      {
        id: crypto.randomUUID(),
        enrolmentId: b.id,
        leadId: b.leadId,
        sequenceId: 'nurture',
        stepIndex: 2,
        status: 'skipped',
        retryKey: null,
        dispatchedAt: at(2),
      },
    ];
    await store.stepSends.insertMany(sends);
    await store.stepSends.insertMany([]);
    for (const send of sends)
      expect(await store.stepSends.get(send.id)).toEqual({ ...send, sentAt: null, error: null });
  });

  it('refuses a second send of the same step of an enrolment', async () => {
    const a = await enrolled(1, 0);
    const send = (): NewStepSend => ({
      id: crypto.randomUUID(),
      enrolmentId: a.id,
      leadId: a.leadId,
      sequenceId: 'nurture',
      stepIndex: 0,
      status: 'queued',
      retryKey: crypto.randomUUID(),
      dispatchedAt: at(1),
    });
    await store.stepSends.insertMany([send()]);
    await expect(store.stepSends.insertMany([send()])).rejects.toThrow();
  });
});
