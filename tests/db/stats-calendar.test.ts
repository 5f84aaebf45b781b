import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../db/client.ts';
import { rowsOf } from '../../db/repositories/executor.ts';
import { businessMinutesSql, openAtSql, openWindowsSql } from '../../db/repositories/stats-repository.ts';
import {
  type BusinessCalendar,
  businessMinutesBetween,
  isOpenAt,
  localDate,
} from '../../src/domain/business-calendar.ts';
import { isJapaneseHoliday } from '../../src/domain/japanese-holidays.ts';
import { sqlCalendar } from '../../src/use-cases/stats/team-stats.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';

/**
 * The statistics count first-response times in business minutes in SQL; the follow-up work counts
 * them in src/domain/business-calendar.ts. Both must agree, to the second, for any pair of
 * instants, any hours (including a close at 24:00), any working days, with the holidays.
 */

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

const calendars = fc.record({
  timezone: fc.constantFrom('Asia/Tokyo', 'America/New_York', 'Europe/London'),
  openMinute: fc.integer({ min: 0, max: 12 * 60 }),
  length: fc.integer({ min: 30, max: 12 * 60 }),
  days: fc.subarray([1, 2, 3, 4, 5, 6, 7], { minLength: 1 }),
});
const instant = fc.integer({
  min: Date.parse('2026-10-01T00:00:00Z'),
  max: Date.parse('2027-01-31T00:00:00Z'),
});

describe('business time in SQL agrees with the domain', () => {
  it('for random calendars and instants', async () => {
    await fc.assert(
      fc.asyncProperty(
        calendars,
        instant,
        fc.integer({ min: 0, max: 20 * 24 * 60 }),
        async (c, startMs, minutes) => {
          const cal: BusinessCalendar = {
            timezone: c.timezone,
            openMinute: c.openMinute,
            closeMinute: Math.min(24 * 60, c.openMinute + c.length),
            days: c.days,
            holidays: isJapaneseHoliday,
          };
          const start = new Date(startMs);
          const end = new Date(startMs + minutes * 60_000 + 17_000);
          const sqlCal = sqlCalendar(cal, localDate(start, cal.timezone), localDate(end, cal.timezone));
          const a = sql`${start.toISOString()}::timestamptz`;
          const b = sql`${end.toISOString()}::timestamptz`;
          const [row] = rowsOf<{ minutes: number | string; open: boolean }>(
            await database.db.execute(
              sql`with windows as (${openWindowsSql(sqlCal)})
              select ${businessMinutesSql(a, b, sql`windows`)} as minutes, ${openAtSql(a, sql`windows`)} as open`,
            ),
          );
          expect(Number(row?.minutes)).toBeCloseTo(businessMinutesBetween(start, end, cal), 6);
          expect(row?.open).toBe(isOpenAt(start, cal));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('across a holiday and a weekend in Tokyo, by hand', async () => {
    const cal = sqlCalendar(
      {
        timezone: 'Asia/Tokyo',
        openMinute: 540,
        closeMinute: 1080,
        days: [1, 2, 3, 4, 5],
        holidays: isJapaneseHoliday,
      },
      '2026-11-02',
      '2026-11-10',
    );
    expect(cal.holidays).toEqual(['2026-11-03']);
    // Monday 17:30 to Wednesday 9:30, Tuesday 11-03 a holiday: 30 + 30 minutes.
    const [row] = rowsOf<{ minutes: number | string }>(
      await database.db.execute(
        sql`with windows as (${openWindowsSql(cal)})
          select ${businessMinutesSql(sql`'2026-11-02T17:30:00+09:00'::timestamptz`, sql`'2026-11-04T09:30:00+09:00'::timestamptz`, sql`windows`)} as minutes`,
      ),
    );
    expect(Number(row?.minutes)).toBe(60);
  });
});
