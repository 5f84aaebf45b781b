import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../db/client.ts';
import { createStore } from '../../db/store.ts';
import { DEFAULT_FOLLOW_UP_SETTINGS } from '../../src/domain/follow-up/default-follow-up-settings.ts';
import type { PriorityMatrix } from '../../src/domain/follow-up/priority.ts';
import { SEGMENT_ORDER } from '../../src/domain/follow-up/purchase-timing.ts';
import { followUpContext } from '../../src/domain/follow-up-policy.ts';
import { isAwaitingReply, type Lead } from '../../src/domain/lead.ts';
import { followUpView } from '../../src/domain/lead-follow-up.ts';
import {
  compareLeadListEntries,
  inLeadList,
  type LeadListFilter,
  leadRanking,
} from '../../src/domain/lead-list.ts';
import type { Store } from '../../src/ports.ts';
import { aPolicy } from '../support/factories.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';

/**
 * The lead list exists twice: as domain rules (inLeadList, compareLeadListEntries, the segment,
 * band, score and neglect behind them) and as the SQL the repository filters and orders with.
 * Random leads are written through the repositories; every filter must list exactly the leads the
 * domain picks, in the domain's order, and the team overview must count and name the same ones.
 */

let tdb: TestDatabase;
let database: Database;
let store: Store;

const REPS = ['U_LIST_A', 'U_LIST_B'] as const;
// Wednesday 2030-04-03 10:00 in Tokyo.
const NOW = new Date('2030-04-03T01:00:00Z');
const DAY = 24 * 60 * 60 * 1000;
// A coarse matrix, so that equal scores leave the segment, the amount, the last touch, the name
// and the id to decide, and every rule of the order is exercised.
const coarse = { up_to_20m: 10, up_to_40m: 10, up_to_60m: 20, over_60m: 20, unknown: 10 };
const settings = {
  ...DEFAULT_FOLLOW_UP_SETTINGS,
  priorityMatrix: {
    within_1m: coarse,
    within_3m: coarse,
    within_6m: coarse,
    within_1y: coarse,
    over_1y: coarse,
    undecided: coarse,
  } satisfies PriorityMatrix,
};
const ctx = followUpContext(aPolicy({ settings }), NOW);
const ranking = leadRanking(ctx);

beforeAll(async () => {
  tdb = await createTestDatabase();
  database = await openDatabase(tdb.url ? { url: tdb.url } : { memory: true });
  store = createStore(database.db);
  for (const rep of REPS)
    await store.staff.upsert({ slackUserId: rep, role: 'rep', displayName: null, at: NOW });
});

afterAll(async () => {
  await database?.close();
  await tdb?.drop();
});

const instant = (daysBefore: number) => new Date(NOW.getTime() - daysBefore * DAY);

const leadFacts = fc.record({
  kind: fc.constantFrom('lead' as const, 'customer' as const),
  stage: fc.constantFrom('open' as const, 'nurture' as const, 'won' as const, 'lost' as const),
  handoverDate: fc.constantFrom(null, '2029-11-04'),
  // Around every segment bound seen from 2030-04-03, months and dates, past and unset.
  purchaseTiming: fc.constantFrom(
    null,
    null,
    null,
    '2030-07',
    '2030-07',
    '',
    '2029-12',
    '2030-04-03',
    '2030-05',
    '2030-05-03',
    '2030-05-04',
    '2030-07',
    '2030-07-04',
    '2030-10-03',
    '2031-04',
    '2031-04-03',
    '2031-04-04',
    '2032-01',
  ),
  amountYen: fc.constantFrom(
    null,
    null,
    10_000_000,
    10_000_000,
    0,
    10_000_000,
    20_000_000,
    20_000_001,
    45_000_000,
    60_000_000,
    90_000_000,
  ),
  ownerId: fc.constantFrom(null, ...REPS),
  status: fc.constantFrom('active' as const, 'blocked' as const),
  awaitingMinutes: fc.constantFrom(null, null, null, 5, 90, 90),
  touchedDaysAgo: fc.constantFrom(null, null, 0, 29, 30, 31, 45),
  createdDaysAgo: fc.constantFrom(1, 30, 60),
  name: fc.constantFrom(null, '山田 太郎', '山田 太郎', 'Abe', '佐藤 花子'),
  erased: fc.constantFrom(false, false, false, true),
});

type LeadFacts = typeof leadFacts extends fc.Arbitrary<infer T> ? T : never;

/** Random leads plus near twins (another last touch or name), so that the order's late rules decide. */
const world = fc.array(leadFacts, { minLength: 1, maxLength: 12 }).chain((base) =>
  fc
    .array(
      fc.record({
        of: fc.nat({ max: base.length - 1 }),
        touchedDaysAgo: leadFacts.map((f) => f.touchedDaysAgo),
        name: leadFacts.map((f) => f.name),
      }),
      { maxLength: 8 },
    )
    .map((twins) => [
      ...base,
      ...twins.flatMap(({ of, ...twin }) => {
        const original = base[of];
        return original ? [{ ...original, ...twin }] : [];
      }),
    ]),
);

async function seed(facts: readonly LeadFacts[]): Promise<Lead[]> {
  await database.db.execute(sql`truncate touches, leads cascade`);
  const stored: Lead[] = [];
  for (const [i, f] of facts.entries()) {
    const createdAt = new Date(instant(f.createdDaysAgo).getTime() + i * 1000);
    const { lead } = await store.leads.insertOrGet({
      lineUserId: `Ulist${i}`,
      source: 'message',
      status: 'active',
      at: createdAt,
    });
    await store.leads.patch(
      lead.id,
      {
        kind: f.kind,
        stage: f.stage,
        handoverDate: f.handoverDate,
        purchaseTiming: f.purchaseTiming,
        amountYen: f.amountYen,
        status: f.status,
        awaitingReplySince:
          f.awaitingMinutes === null ? null : new Date(NOW.getTime() - f.awaitingMinutes * 60_000),
        lastTouchAt: f.touchedDaysAgo === null ? null : instant(f.touchedDaysAgo),
      },
      createdAt,
    );
    if (f.ownerId) await store.leads.setOwner(lead.id, f.ownerId, createdAt);
    if (f.name) await store.leads.setProfile(lead.id, { displayName: f.name, pictureUrl: null }, createdAt);
    if (f.erased)
      await database.db.execute(sql`update leads set erased_at = ${NOW.toISOString()} where id = ${lead.id}`);
    const row = await store.leads.get(lead.id);
    if (row) stored.push(row);
  }
  return stored;
}

const filters = fc.record({
  ownerId: fc.constantFrom(null, null, ...REPS),
  segment: fc.constantFrom(null, null, null, null, ...SEGMENT_ORDER),
  stage: fc.constantFrom(
    null,
    null,
    null,
    'open' as const,
    'nurture' as const,
    'won' as const,
    'lost' as const,
  ),
  awaiting: fc.constantFrom(false, false, true),
  neglected: fc.constantFrom(false, false, true),
});

type Entry = { lead: Lead; view: ReturnType<typeof followUpView> };

/** Which rule of the order put `a` before `b`, so the test can show it exercised every one. */
function decidedBy(a: Entry, b: Entry): string {
  if (isAwaitingReply(a.lead) !== isAwaitingReply(b.lead)) return 'awaiting';
  if (
    isAwaitingReply(a.lead) &&
    a.lead.awaitingReplySince?.getTime() !== b.lead.awaitingReplySince?.getTime()
  )
    return 'wait';
  if (a.view.score !== b.view.score) return 'score';
  if (a.view.segment !== b.view.segment) return 'segment';
  if (a.lead.amountYen !== b.lead.amountYen) return 'amount';
  if (a.lead.lastTouchAt?.getTime() !== b.lead.lastTouchAt?.getTime()) return 'touch';
  if (a.lead.displayName !== b.lead.displayName) return 'name';
  return 'id';
}

const deciders = new Set<string>();

function domainList(stored: readonly Lead[], filter: LeadListFilter): string[] {
  const listed = stored
    .map((lead) => ({ lead, view: followUpView(lead, ctx) }))
    .filter((entry) => inLeadList(entry.lead, entry.view, filter))
    .sort(compareLeadListEntries);
  listed.slice(1).forEach((entry, i) => {
    const before = listed[i];
    if (before) deciders.add(decidedBy(before, entry));
  });
  return listed.map((entry) => entry.lead.id);
}

describe('the lead list in SQL agrees with the domain rules', () => {
  it('lists the same leads in the same order for random leads and filters, page by page', async () => {
    const seen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(
        world,
        fc.array(filters, { minLength: 1, maxLength: 6 }),
        async (facts, randomFilters) => {
          const someFilters = [NO_FILTER, ...randomFilters];
          const stored = await seed(facts);
          for (const lead of stored) {
            const view = followUpView(lead, ctx);
            seen.add(`segment:${view.segment}`);
            seen.add(`neglected:${view.neglected}`);
            seen.add(`awaiting:${isAwaitingReply(lead)}`);
          }
          for (const filter of someFilters) {
            const expected = domainList(stored, filter);
            seen.add(`listed:${expected.length > 1}`);
            expect(await store.leadList.count(filter, ranking)).toBe(expected.length);
            const all = await store.leadList.page(filter, ranking, { offset: 0, limit: 100 });
            expect(all.map((l) => l.id)).toEqual(expected);
            const second = await store.leadList.page(filter, ranking, { offset: 2, limit: 3 });
            expect(second.map((l) => l.id)).toEqual(expected.slice(2, 5));
          }
        },
      ),
      { seed: 20_300_403, numRuns: 20 },
    );
    for (const segment of SEGMENT_ORDER) expect(seen).toContain(`segment:${segment}`);
    for (const fact of ['neglected', 'awaiting', 'listed'])
      for (const value of [true, false]) expect(seen).toContain(`${fact}:${value}`);
    expect([...deciders].sort()).toEqual(
      ['amount', 'awaiting', 'id', 'name', 'score', 'segment', 'touch', 'wait'].sort(),
    );
  });

  it('counts and names each owner’s waiting and neglected leads as the list does', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(leadFacts, { minLength: 1, maxLength: 14 }), async (facts) => {
        const stored = await seed(facts);
        const overview = await store.leadList.teamOverview(ranking, 2);
        const owners = [...new Set(domainList(stored, NO_FILTER).map((id) => ownerOf(stored, id)))]
          .filter((owner) => owner !== null)
          .sort();
        expect(overview.map((row) => row.ownerId).sort()).toEqual(owners);
        for (const row of overview) {
          const mine = { ...NO_FILTER, ownerId: row.ownerId };
          const waiting = domainList(stored, { ...mine, awaiting: true });
          const neglected = domainList(stored, { ...mine, neglected: true });
          expect(row.leads).toBe(domainList(stored, mine).length);
          expect(row.awaiting).toBe(waiting.length);
          expect(row.neglected).toBe(neglected.length);
          expect(row.awaitingLeads.map((l) => l.id)).toEqual(waiting.slice(0, 2));
          expect(row.neglectedLeads.map((l) => l.id)).toEqual(neglected.slice(0, 2));
        }
      }),
      { seed: 20_300_404, numRuns: 15 },
    );
  });
});

const NO_FILTER: LeadListFilter = {
  ownerId: null,
  segment: null,
  stage: null,
  awaiting: false,
  neglected: false,
};

const ownerOf = (stored: readonly Lead[], id: string) => stored.find((l) => l.id === id)?.ownerId ?? null;
