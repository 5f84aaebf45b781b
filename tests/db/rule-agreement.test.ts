import { type SQL, sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../db/client.ts';
import { openDealSql, pastCustomerSql, workableLeadSql } from '../../db/repositories/lead-rules-sql.ts';
import { leads } from '../../db/schema.ts';
import { createStore } from '../../db/store.ts';
import { isAttempt, TOUCH_CHANNELS, type TouchOutcome } from '../../src/domain/follow-up/touch.ts';
import { isErased, isOpenDeal, isPastCustomer, isWorkable, type Lead } from '../../src/domain/lead.ts';
import type { Store } from '../../src/ports.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';

/**
 * The rules that pick leads and count attempts exist twice: in src/domain for code, and in SQL for
 * the queries that select by them. Random leads and touches are written through the repositories;
 * each query must return exactly the rows the domain rule picks from the same rows read back.
 */

let tdb: TestDatabase;
let database: Database;
let store: Store;

const REPS = ['U_REP_A', 'U_REP_B'] as const;
const OUTCOMES = [
  'reached',
  'no_answer',
  'left_message',
  'replied',
  'sent',
  'met',
  'other',
] as const satisfies readonly TouchOutcome[];
const T0 = Date.parse('2030-04-01T09:00:00Z');

beforeAll(async () => {
  tdb = await createTestDatabase();
  database = await openDatabase(tdb.url ? { url: tdb.url } : { memory: true });
  store = createStore(database.db);
  for (const rep of REPS)
    await store.staff.upsert({ slackUserId: rep, role: 'rep', displayName: null, at: new Date(T0) });
});

afterAll(async () => {
  await database?.close();
  await tdb?.drop();
});

const touchFacts = fc.record({
  channel: fc.constantFrom(...TOUCH_CHANNELS),
  direction: fc.constantFrom('outbound' as const, 'inbound' as const),
  outcome: fc.constantFrom(...OUTCOMES),
});

const leadFacts = fc.record({
  kind: fc.constantFrom('lead' as const, 'customer' as const),
  stage: fc.constantFrom('open' as const, 'nurture' as const, 'won' as const, 'lost' as const),
  // '' is no date a rep can enter, but the rules must still read it the same way.
  handoverDate: fc.constantFrom(null, '2026-11-04', ''),
  purchaseTiming: fc.constantFrom(null, '2027-03', '2026-12-15'),
  ownerId: fc.constantFrom(null, ...REPS),
  erased: fc.boolean(),
  touches: fc.array(touchFacts, { maxLength: 6 }),
});

type LeadFacts = typeof leadFacts extends fc.Arbitrary<infer T> ? T : never;

/** Writes the leads and their touches the way the product does, and reads the stored leads back. */
async function seed(facts: readonly LeadFacts[]): Promise<Lead[]> {
  await database.db.execute(sql`truncate touches, leads cascade`);
  const stored: Lead[] = [];
  for (const [i, f] of facts.entries()) {
    const at = new Date(T0 + i * 60_000);
    const { lead } = await store.leads.insertOrGet({
      lineUserId: `U${i}`,
      source: 'message',
      status: 'active',
      at,
    });
    await store.leads.patch(
      lead.id,
      { kind: f.kind, stage: f.stage, handoverDate: f.handoverDate, purchaseTiming: f.purchaseTiming },
      at,
    );
    if (f.ownerId) await store.leads.setOwner(lead.id, f.ownerId, at);
    if (f.erased)
      await database.db.execute(sql`update leads set erased_at = ${at.toISOString()} where id = ${lead.id}`);
    for (const [j, t] of f.touches.entries()) {
      await store.touches.insert({
        leadId: lead.id,
        ...t,
        note: null,
        authorId: null,
        messageId: null,
        at: new Date(at.getTime() + j * 1000),
      });
    }
    const row = await store.leads.get(lead.id);
    if (row) stored.push(row);
  }
  return stored;
}

const ids = (rows: readonly { id: string }[]) => rows.map((r) => r.id).sort();

async function selectedBy(where: SQL): Promise<string[]> {
  return ids(await database.db.select({ id: leads.id }).from(leads).where(where));
}

describe('the SQL forms of the follow-up rules agree with the domain rules', () => {
  it('on workable leads, open deals, past customers and attempts, for random leads and touches', async () => {
    // Each rule must be seen both ways, or agreement would prove nothing.
    const seen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(fc.array(leadFacts, { minLength: 1, maxLength: 12 }), async (facts) => {
        const stored = await seed(facts);
        for (const lead of stored) {
          seen.add(`workable:${isWorkable(lead)}`);
          seen.add(`erased:${isErased(lead)}`);
          seen.add(`openDeal:${isOpenDeal(lead)}`);
          seen.add(`pastCustomer:${isPastCustomer(lead)}`);
        }

        expect(await selectedBy(workableLeadSql())).toEqual(ids(stored.filter(isWorkable)));
        expect(await selectedBy(openDealSql())).toEqual(ids(stored.filter(isOpenDeal)));
        expect(await selectedBy(pastCustomerSql())).toEqual(ids(stored.filter((l) => isPastCustomer(l))));

        // The queries built on them: the digest's input, for everyone and for one rep, and the
        // leads whose purchase timing ages.
        expect(ids(await store.leads.listWorkable(null))).toEqual(
          ids(stored.filter((l) => l.ownerId !== null && isWorkable(l))),
        );
        expect(ids(await store.leads.listWorkable([REPS[0]]))).toEqual(
          ids(stored.filter((l) => l.ownerId === REPS[0] && isWorkable(l))),
        );
        expect(ids(await store.leads.listWithTiming())).toEqual(
          ids(stored.filter((l) => l.purchaseTiming !== null && isOpenDeal(l) && !isErased(l))),
        );

        // The 4-touch count (countOutbound selects with attemptSql), over the touches as stored.
        for (const lead of stored) {
          const touches = await store.touches.listForLead(lead.id, 100);
          const attempts = touches.filter(isAttempt).length;
          seen.add(`attempts:${attempts > 0}`);
          expect(await store.touches.countOutbound(lead.id)).toBe(attempts);
        }
      }),
      { seed: 20_260_401, numRuns: 20 },
    );
    expect([...seen].sort()).toEqual(
      [true, false]
        .flatMap((b) => [
          `attempts:${b}`,
          `erased:${b}`,
          `openDeal:${b}`,
          `pastCustomer:${b}`,
          `workable:${b}`,
        ])
        .sort(),
    );
  });
});
