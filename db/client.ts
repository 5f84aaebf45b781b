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
    const db = drizzlePostgres(client, { schema }) as unknown as Db;
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
