import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../db/client.ts';
import { createStore } from '../../db/store.ts';
import type { Lead } from '../../src/domain/lead.ts';
import type { ExportRange, Store } from '../../src/ports.ts';
import { Seeder } from '../support/seeder.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';

/*
 * The export reads keyed pages: whatever the page size, every row of the period comes once, in the
 * same order, including rows that share a timestamp and timestamps finer than a millisecond.
 */

let tdb: TestDatabase;
let database: Database;
let store: Store;
const leads: Lead[] = [];
const range: ExportRange = { from: new Date('2026-11-22T15:00:00Z'), to: new Date('2026-11-29T15:00:00Z') };
const inside = (minute: number) => new Date(Date.UTC(2026, 10, 24, 1, minute));

async function all<T>(pages: AsyncIterable<T[]>): Promise<{ rows: T[]; sizes: number[] }> {
  const rows: T[] = [];
  const sizes: number[] = [];
  for await (const page of pages) {
    rows.push(...page);
    sizes.push(page.length);
  }
  return { rows, sizes };
}

beforeAll(async () => {
  tdb = await createTestDatabase();
  database = await openDatabase(tdb.url ? { url: tdb.url } : { memory: true });
  store = createStore(database.db);
  const seed = new Seeder(store);
  // Three leads created at the same instant (ties on created_at), one before, one lost before the week.
  for (const name of ['一', '二', '三']) leads.push(await seed.lead({ displayName: name }, inside(0)));
  leads.push(await seed.lead({ displayName: '四' }, new Date('2026-11-01T00:00:00Z')));
  await seed.lead(
    { displayName: '五', stage: 'lost', closedAt: new Date('2026-11-20T00:00:00Z') },
    new Date('2026-11-01T00:00:00Z'),
  );
  for (const [i, lead] of leads.entries()) {
    // Each lead: three touches at one instant, one a minute later, one outside the week.
    for (let n = 0; n < 3; n++) await seed.touch(lead, { at: inside(i), note: `${i}-${n}` });
    await seed.touch(lead, { at: inside(i + 1), note: `${i}-later` });
    await seed.touch(lead, { at: new Date('2026-11-30T00:00:00Z'), note: `${i}-outside` });
    await seed.message(lead, { at: inside(i), text: `${i}-a` });
    await seed.message(lead, { at: inside(i), text: `${i}-b` });
  }
  // Timestamps a JS Date cannot hold (microseconds), as a database default or import would write.
  for (const micros of ['000123', '000456', '000789']) {
    await database.db.execute(sql`
      insert into touches (lead_id, channel, direction, outcome, note, at, created_at)
      values (${leads[0]?.id}::uuid, 'phone', 'outbound', 'no_answer', ${`micro-${micros}`},
        ${`2026-11-24 05:00:00.${micros}+00`}::timestamptz, now())`);
  }
});

afterAll(async () => {
  await database?.close();
  await tdb?.drop();
});

describe('export repository', () => {
  it.each([1, 2, 5, 1000])('reads every touch of the period once, in pages of %i', async (size) => {
    const { rows, sizes } = await all(store.exports.touches(range, size));
    expect(rows.map((r) => r.note).sort()).toEqual(
      [
        ...leads.flatMap((_, i) => [`${i}-0`, `${i}-1`, `${i}-2`, `${i}-later`]),
        'micro-000123',
        'micro-000456',
        'micro-000789',
      ].sort(),
    );
    expect(sizes.every((n) => n > 0 && n <= size)).toBe(true);
    const reference = await all(store.exports.touches(range, 10_000));
    expect(rows).toEqual(reference.rows);
    // By lead, oldest first within a lead.
    for (let i = 1; i < rows.length; i++) {
      const [a, b] = [rows[i - 1], rows[i]];
      if (a?.leadId === b?.leadId) expect(a?.at.getTime()).toBeLessThanOrEqual(b?.at.getTime() ?? 0);
    }
  });

  it.each([1, 3])('reads every message of the period once, in pages of %i', async (size) => {
    const { rows } = await all(store.exports.messages(range, size));
    expect(rows.map((r) => r.text).sort()).toEqual(leads.flatMap((_, i) => [`${i}-a`, `${i}-b`]).sort());
    expect(rows.map((r) => r.leadName)).toContain('一');
  });

  it.each([1, 2])('reads the leads of the period once, oldest first, in pages of %i', async (size) => {
    const { rows } = await all(store.exports.leads(range, size));
    // Not 五, lost before the week; the three created at one instant come in id order.
    expect(rows[0]?.displayName).toBe('四');
    expect(
      rows
        .slice(1)
        .map((r) => r.displayName)
        .sort(),
    ).toEqual(['一', '三', '二'].sort());
    expect(rows).toEqual((await all(store.exports.leads(range, 100))).rows);
  });
});
