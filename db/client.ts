import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import * as schema from './schema.ts';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface Database {
  db: Db;
  driver: 'postgres' | 'pglite';
  /** True when the database answers and every committed migration has been applied. */
  isReady(): Promise<boolean>;
  close(): Promise<void>;
}

export const migrationsFolder = fileURLToPath(new URL('./migrations', import.meta.url));

/** Any fixed number; every replica must use the same one so only one migrates at a time. */
const MIGRATION_LOCK_KEY = 7_412_395_001;

export interface DatabaseOptions {
  url?: string | undefined;
  pgliteDir?: string | undefined;
  /** For tests: an in-memory PGlite. */
  memory?: boolean;
  poolMax?: number;
}

/** postgres.js when a URL is given, embedded PGlite otherwise; migrated before it is returned. */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const expected = await expectedMigrationCount();
  if (options.url) {
    await migrateWithLock(options.url);
    const client = postgres(options.url, { max: options.poolMax ?? 10, onnotice: () => {} });
    const db = drizzlePostgres(withPreparedStatements(client), { schema }) as unknown as Db;
    return {
      db,
      driver: 'postgres',
      isReady: () => isMigrated(db, expected),
      close: () => client.end({ timeout: 5 }),
    };
  }
  let dataDir: string | undefined;
  if (!options.memory) {
    dataDir = resolve(options.pgliteDir ?? '.data/pglite');
    await mkdir(dirname(dataDir), { recursive: true });
  }
  // Loaded only when used: importing PGlite alone costs about 260 MB of memory (its WASM image),
  // which a PostgreSQL deployment should not pay.
  const [{ PGlite }, { drizzle: drizzlePglite }, { migrate: migratePglite }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('drizzle-orm/pglite'),
    import('drizzle-orm/pglite/migrator'),
  ]);
  const client = await PGlite.create(dataDir);
  const pglite = drizzlePglite({ client, schema });
  await migratePglite(pglite, { migrationsFolder });
  const db = pglite as unknown as Db;
  return {
    db,
    driver: 'pglite',
    isReady: () => isMigrated(db, expected),
    close: () => client.close(),
  };
}

/**
 * A transaction whose BEGIN travels with its first statement. postgres.js's own begin() (which
 * drizzle's transaction() calls) waits for BEGIN's answer before sending anything else: one more
 * round trip per transaction, on the ingest's and every delivery's critical path. Here the
 * connection is reserved and BEGIN is queued without waiting; postgres.js pipelines it with the
 * statements the callback sends at once. BEGIN on an idle connection can only fail if the
 * connection does, and then so does everything after it; its result is still checked before
 * COMMIT. drizzle hands the reserved client to its transaction session, which only sends queries
 * through it. Savepoints (nested transactions) are not offered: our repositories never nest.
 */
async function pipelinedBegin<T>(client: postgres.Sql, fn: (tx: postgres.Sql) => Promise<T>): Promise<T> {
  const reserved = await client.reserve();
  try {
    const begin = reserved.unsafe('begin').execute();
    // Handled here so a failure is not reported as unhandled while `fn` runs; awaited below.
    begin.catch(() => {});
    try {
      const result = await fn(withPreparedStatements(reserved as unknown as postgres.Sql));
      await begin;
      await reserved.unsafe('commit');
      return result;
    } catch (error) {
      await reserved.unsafe('rollback').catch(() => {});
      throw error;
    }
  } finally {
    reserved.release();
  }
}

/**
 * drizzle sends every query unprepared (`unsafe(..., { prepare: false })` unless the query is
 * named), and postgres.js then asks PostgreSQL for the parameter types before binding: two round
 * trips per query, plus a parse and a plan each time. With prepare on, postgres.js keeps one named
 * statement per distinct SQL text on each connection, so from the second use a query is one round
 * trip and no parse. Our SQL has a fixed set of shapes (bulk writes pass arrays), so the statement
 * cache stays small, and connections are recycled (postgres.js max_lifetime) anyway. A statement
 * invalidated by a migration is re-prepared by postgres.js (RevalidateCachedQuery retry).
 * Transactions hand drizzle a reserved client, which gets the same treatment.
 */
function withPreparedStatements(client: postgres.Sql): postgres.Sql {
  // Made once per client, not on every property read: `unsafe` is called for every query.
  const overrides: Record<PropertyKey, unknown> = {
    unsafe: (query: string, parameters?: postgres.ParameterOrJSON<never>[], options?: object) =>
      client.unsafe(query, parameters, { ...options, prepare: true }),
    begin: (...args: unknown[]) => {
      if (args.length !== 1) throw new Error('begin with options is not supported here');
      return pipelinedBegin(client, args[0] as (tx: postgres.Sql) => Promise<unknown>);
    },
    savepoint: () => {
      throw new Error('nested transactions are not supported');
    },
  };
  return new Proxy(client, {
    get: (target, property, receiver) =>
      Object.hasOwn(overrides, property) ? overrides[property] : Reflect.get(target, property, receiver),
  });
}

/**
 * drizzle's migrate() takes no lock (drizzle-team/drizzle-orm#874), so replicas starting together
 * would race; a session advisory lock on a dedicated one-connection client serialises them.
 */
async function migrateWithLock(url: string): Promise<void> {
  const client = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await client`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
    try {
      await migratePostgres(drizzlePostgres(client), { migrationsFolder });
    } finally {
      await client`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`;
    }
  } finally {
    await client.end({ timeout: 5 });
  }
}

async function expectedMigrationCount(): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  const journal = JSON.parse(await readFile(`${migrationsFolder}/meta/_journal.json`, 'utf8')) as {
    entries: unknown[];
  };
  return journal.entries.length;
}

async function isMigrated(db: Db, expected: number): Promise<boolean> {
  try {
    const rows = await db.execute<{ n: number }>(
      sql`select count(*)::int as n from drizzle.__drizzle_migrations`,
    );
    const first =
      (rows as unknown as { rows?: { n: number }[] }).rows?.[0] ?? (rows as unknown as { n: number }[])[0];
    return (first?.n ?? 0) >= expected;
  } catch {
    return false;
  }
}
