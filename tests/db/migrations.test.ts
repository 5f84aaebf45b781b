import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../db/client.ts';
import { rowsOf } from '../../db/repositories/executor.ts';
import { createStore } from '../../db/store.ts';
import { createTestDatabase, onPostgres, type TestDatabase } from '../support/test-database.ts';

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

async function appliedMigrations(db: Database): Promise<number> {
  const result = await db.db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
  return Number(rowsOf<{ n: number }>(result)[0]?.n);
}

describe('migrations', () => {
  it('reports ready once opened, on the expected driver', async () => {
    expect(database.driver).toBe(onPostgres ? 'postgres' : 'pglite');
    expect(await database.isReady()).toBe(true);
    expect(await appliedMigrations(database)).toBeGreaterThan(0);
  });

  it('reports not ready once the migrations table is gone', async () => {
    const own = await createTestDatabase();
    const db = await openDatabase(own.url ? { url: own.url } : { memory: true });
    try {
      expect(await db.isReady()).toBe(true);
      await db.db.execute(sql`drop schema drizzle cascade`);
      expect(await db.isReady()).toBe(false);
    } finally {
      await db.close();
      await own.drop();
    }
  });

  it('reports not ready when a committed migration is missing from the migrations table', async () => {
    await database.db.execute(sql`alter schema drizzle rename to drizzle_moved`);
    try {
      await database.db.execute(sql`create schema drizzle`);
      await database.db.execute(
        sql`create table drizzle.__drizzle_migrations (id serial primary key, hash text not null, created_at bigint)`,
      );
      expect(await database.isReady()).toBe(false);
    } finally {
      await database.db.execute(sql`drop schema drizzle cascade`);
      await database.db.execute(sql`alter schema drizzle_moved rename to drizzle`);
    }
    expect(await database.isReady()).toBe(true);
  });

  it('reopens an existing PGlite directory without migrating twice, keeping its data', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tsuikyaku-pglite-'));
    const pgliteDir = join(dir, 'data');
    try {
      const first = await openDatabase({ pgliteDir });
      expect(first.driver).toBe('pglite');
      expect(await first.isReady()).toBe(true);
      const applied = await appliedMigrations(first);
      await createStore(first.db).staff.ensureManager('U-KEPT', new Date());
      await first.close();

      const second = await openDatabase({ pgliteDir });
      try {
        expect(await second.isReady()).toBe(true);
        expect(await appliedMigrations(second)).toBe(applied);
        expect(await createStore(second.db).staff.get('U-KEPT')).toMatchObject({ role: 'manager' });
      } finally {
        await second.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it.skipIf(!onPostgres)(
    'lets five replicas that start at once on a fresh database all migrate it',
    async () => {
      const fresh = await createTestDatabase();
      const url = fresh.url;
      if (!url) throw new Error('no database url');
      const opened = await Promise.allSettled(
        Array.from({ length: 5 }, () => openDatabase({ url, poolMax: 1 })),
      );
      const databases = opened.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
      try {
        expect(opened.filter((o) => o.status === 'rejected').map((o) => String(o.reason))).toEqual([]);
        expect(await Promise.all(databases.map((d) => d.isReady()))).toEqual([true, true, true, true, true]);
        expect(await appliedMigrations(databases[0] as Database)).toBe(await appliedMigrations(database));
      } finally {
        await Promise.all(databases.map((d) => d.close()));
        await fresh.drop();
      }
    },
  );
});
