import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type SQL, sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { causesOf, codeOf } from '../src/errors.ts';
import * as schema from './schema.ts';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface Database {
  db: Db;
  driver: 'postgres' | 'pglite';
  /**
   * For the managers' statistics: on PostgreSQL, connections of their own (STATS_POOL_MAX) with a
   * statement timeout and read-only transactions, so a heavy query never takes a connection from
   * webhook ingest or outbox delivery. PGlite has one connection: the same database.
   */
  stats: Db;
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
  /** The statistics connections' statement timeout (STATS_TIMEOUT_MS). */
  statsTimeoutMs?: number;
}

/**
 * Connections the statistics may use at once, beside the pool. One: a heavy question then takes at
 * most one PostgreSQL backend (one core, parallel query off), and the rest of the machine stays
 * with ingest and delivery; managers asking together wait their turn.
 */
export const STATS_POOL_MAX = 1;

/** postgres.js when a URL is given, embedded PGlite otherwise; migrated before it is returned. */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const expected = await expectedMigrationCount();
  if (options.url) {
    await migrateWithLock(options.url);
    const connection = {
      onnotice: () => {},
      // No array-type lookup on each new connection: we read no array columns, and postgres.js
      // leaves that lookup's rejection unhandled when the connection dies during it.
      fetch_types: false,
    };
    const poolMax = options.poolMax ?? 10;
    const transactionSlots = Math.max(1, Math.min(4, Math.floor(poolMax / 2)));
    // At least one connection each for transactions and for single statements.
    const client = postgres(options.url, { ...connection, max: Math.max(1, poolMax - transactionSlots) });
    const slots = new TransactionSlots(transactionSlots, () =>
      withDrizzleTypes(postgres(options.url as string, { ...connection, max: 1 })),
    );
    const db = drizzlePostgres(withPreparedStatements(client, slots), { schema }) as unknown as Db;
    const statsClient = postgres(options.url, {
      ...connection,
      max: STATS_POOL_MAX,
      connection: {
        statement_timeout: options.statsTimeoutMs ?? 10_000,
        default_transaction_read_only: true,
        // Strings: postgres.js leaves out a startup parameter whose value is falsy (a 0 would be lost).
        max_parallel_workers_per_gather: '0',
        // Sorts of a month's conversations stay in memory rather than spilling to disk.
        work_mem: '16MB',
        application_name: 'tsuikyaku-stats',
      },
    });
    const stats = drizzlePostgres(statsClient, { schema }) as unknown as Db;
    return {
      db,
      stats,
      driver: 'postgres',
      isReady: () => isMigrated(db, expected),
      close: async () => {
        await Promise.all([client.end({ timeout: 5 }), slots.end(), statsClient.end({ timeout: 5 })]);
      },
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
    stats: db,
    driver: 'pglite',
    isReady: () => isMigrated(db, expected),
    close: () => client.close(),
  };
}

/**
 * drizzle adjusts the type handling of the postgres.js client it is given (drizzle-orm#1785): the
 * json and jsonb columns are JSON-encoded by drizzle itself, so postgres.js must send those
 * parameters as they come rather than JSON.stringify them again, and timestamps are parsed by
 * drizzle rather than by postgres.js. The transaction slots' clients never pass through drizzle()
 * (transactions reach them through `begin`), so they are given the same adjustment here: without
 * it a jsonb value written inside a transaction was stored JSON-encoded twice (a jsonb string
 * holding JSON text) while the same write outside a transaction, or on PGlite, stored it once.
 */
function withDrizzleTypes(client: postgres.Sql): postgres.Sql {
  drizzlePostgres(client);
  return client;
}

/**
 * Transactions run on a few one-connection clients, each used by one transaction at a time. This
 * replaces postgres.js's reserve(), which mishandles a connection whose server process dies
 * (porsager/postgres#1199, #1208: the next query is written to a closed socket, which throws out
 * of a timer and ends the process) and, without the array-type lookup, never hands over a
 * connection it had to open. A one-connection client simply reconnects on its next query.
 */
class TransactionSlots {
  private readonly free: postgres.Sql[];
  private readonly waiting: ((client: postgres.Sql) => void)[] = [];
  private readonly live = new Set<postgres.Sql>();
  private readonly open: () => postgres.Sql;

  constructor(count: number, open: () => postgres.Sql) {
    this.open = open;
    this.free = Array.from({ length: count }, () => this.track(open()));
  }

  async run<T>(fn: (client: postgres.Sql) => Promise<T>): Promise<T> {
    let client =
      this.free.pop() ?? (await new Promise<postgres.Sql>((resolve) => this.waiting.push(resolve)));
    try {
      return await fn(client);
    } catch (error) {
      // A client whose connection died under a transaction may still hold that transaction's
      // statements (queued, or not yet handed over); if it reconnected, they would run outside
      // the transaction. It is destroyed, which refuses all of them, and the slot gets a new one.
      if (isConnectionFailure(error) || error instanceof ConnectionLostError) {
        const dead = client;
        this.live.delete(dead);
        void dead.end({ timeout: 0 }).catch(() => {});
        client = this.track(this.open());
      }
      throw error;
    } finally {
      const next = this.waiting.shift();
      if (next) next(client);
      else this.free.push(client);
    }
  }

  async end(): Promise<void> {
    await Promise.all([...this.live].map((client) => client.end({ timeout: 5 })));
  }

  private track(client: postgres.Sql): postgres.Sql {
    this.live.add(client);
    return client;
  }
}

/**
 * One transaction on a slot's connection. BEGIN is answered before any statement is sent: a BEGIN
 * sent ahead with statements behind it (pipelined) cannot be trusted, because when the
 * connection is being re-established and BEGIN fails, postgres.js sends the statements queued
 * behind it on the next connection, each committing on its own (half an ingest stored: the
 * event recorded as seen, its message lost). Savepoints (nested transactions) are not offered:
 * our repositories never nest.
 *
 * The connection's close is watched (every statement registers for it as it is sent): after a
 * close nothing more is sent for this transaction, since the client would run it on a fresh
 * connection outside the transaction, statements still queued are withdrawn, and the transaction
 * fails with a ConnectionLostError that the store may retry. A one-connection client reconnects
 * by itself for its next user.
 */
async function runTransaction<T>(client: postgres.Sql, fn: (tx: postgres.Sql) => Promise<T>): Promise<T> {
  let lost: ConnectionLostError | null = null;
  let commitSent = false;
  let onLost: (error: ConnectionLostError) => void = () => {};
  const lostSignal = new Promise<never>((_, reject) => {
    onLost = reject;
  });
  lostSignal.catch(() => {});
  let guarded: GuardedClient | undefined;
  const watch = (connection: { onclose?: ((error: unknown) => void) | null }) => {
    connection.onclose = (error: unknown) => {
      lost ??= new ConnectionLostError(error, commitSent);
      // Runs before postgres.js reconnects and sends its queue: withdraw our statements first.
      guarded?.withdrawUnsent();
      onLost(lost);
    };
    return true;
  };
  guarded = guardedClient(client, watch, () => lost);
  const tx = guarded.sql;
  try {
    await Promise.race([tx.unsafe('begin').execute(), lostSignal]);
    const result = await Promise.race([fn(withPreparedStatements(tx)), lostSignal]);
    commitSent = true;
    await Promise.race([tx.unsafe('commit'), lostSignal]);
    return result;
  } catch (error) {
    if (lost) throw lost;
    if (isConnectionFailure(error)) {
      // The server said it is closing the connection (57P01 and the like) before the socket shows
      // it: nothing more may be sent, and what is still queued must not run on its successor.
      lost = new ConnectionLostError(error, commitSent);
      guarded.withdrawUnsent();
      throw lost;
    }
    await Promise.race([tx.unsafe('rollback').execute(), lostSignal]).catch(() => {});
    if (lost) throw lost;
    throw error;
  }
}

const CONNECTION_CODES = new Set([
  'CONNECTION_CLOSED',
  'CONNECTION_DESTROYED',
  'CONNECTION_ENDED',
  'CONNECT_TIMEOUT',
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  // admin_shutdown, crash_shutdown, cannot_connect_now
  '57P01',
  '57P02',
  '57P03',
]);

/** A failure of the connection itself (class 08 or a server shutdown), looked for through `cause`. */
export function isConnectionFailure(error: unknown): boolean {
  return causesOf(error).some((e) => {
    const code = codeOf(e);
    return code !== undefined && (CONNECTION_CODES.has(code) || code.startsWith('08'));
  });
}

interface GuardedClient {
  sql: postgres.Sql;
  /**
   * Withdraws the statements handed to postgres.js that never reached the connection. A client
   * queues a statement while its connection is busy describing a new prepared statement; after a
   * close it would send that queue on a fresh connection, outside the transaction (committing
   * half of it), so the queue must be emptied before postgres.js reconnects.
   */
  withdrawUnsent(): void;
}

/**
 * The client as one transaction sees it: each statement registers `watch` for the connection's
 * close as it is sent, and once `lostError()` is set nothing more is sent at all.
 */
function guardedClient(
  client: postgres.Sql,
  watch: (connection: { onclose?: ((error: unknown) => void) | null }) => boolean,
  lostError: () => Error | null,
): GuardedClient {
  const refuse = (error: Error) => {
    const rejected = Promise.reject(error);
    rejected.catch(() => {});
    return Object.assign(rejected, { values: () => rejected, execute: () => rejected });
  };
  const issued: { executed?: boolean; state?: unknown; cancel(): unknown }[] = [];
  const sql = new Proxy(client, {
    get: (target, property, receiver) => {
      if (property !== 'unsafe') return Reflect.get(target, property, receiver);
      return (query: string, parameters?: postgres.ParameterOrJSON<never>[], options?: object) => {
        const error = lostError();
        if (error) return refuse(error);
        const pending = target.unsafe(query, parameters, {
          ...options,
          onexecute: watch,
        } as postgres.UnsafeQueryOptions);
        issued.push(pending as unknown as (typeof issued)[number]);
        return pending;
      };
    },
  });
  return {
    sql,
    withdrawUnsent() {
      // `executed`: handed to postgres.js (awaited); no `state`: never written to a connection.
      for (const query of issued) {
        if (query.executed && query.state === undefined) {
          Promise.resolve(query.cancel()).catch(() => {});
        }
      }
    },
  };
}

/**
 * The connection under a transaction closed (a failover, an admin's pg_terminate_backend, a
 * network cut). `beforeCommit` says whether COMMIT had not been sent yet: then the server rolled
 * the transaction back for certain and running it again is safe. After COMMIT was sent the
 * outcome is unknown, so it is reported, not retried.
 */
export class ConnectionLostError extends Error {
  readonly retryable: boolean;
  constructor(cause: unknown, commitSent: boolean) {
    super(
      `database connection lost ${commitSent ? 'while committing (outcome unknown)' : 'before commit (rolled back)'}`,
      { cause },
    );
    this.name = 'ConnectionLostError';
    this.retryable = !commitSent;
  }
}

/**
 * Runs a transaction again when its connection was lost before COMMIT (the server rolled it back),
 * up to a few times with a short pause: postgres.js reconnects on the next use.
 */
export async function withConnectionRetry<T>(run: () => Promise<T>, attempts = 4): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      const lost = connectionLostIn(error);
      if (!lost?.retryable || attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, 25 * 2 ** attempt));
    }
  }
}

function connectionLostIn(error: unknown): ConnectionLostError | undefined {
  return causesOf(error).find((e): e is ConnectionLostError => e instanceof ConnectionLostError);
}

const PLANNED_EACH_TIME = '/* planned each time */ ';

/**
 * A statement PostgreSQL plans again at every execution, for a table whose size swings by orders
 * of magnitude within seconds (the outbox: empty, then 100,000 step sends, then empty again). A
 * named prepared statement switches to a generic plan after five runs and keeps it until the next
 * ANALYZE; a generic plan made while the table held a few rows (sequential scans, a nested loop
 * over them) costs the square of the rows once the burst arrives: claims of 2 s, then minutes. A
 * statement planned each time sees the table's current size (its pages), whatever the statistics
 * say. On PostgreSQL it is sent unnamed; postgres.js then asks for its parameters' types in a
 * round trip of its own, so on a hot path write integers into the text (the outbox queue's
 * `literal`) and it stays one round trip. PGlite runs it as any statement.
 */
export function plannedEachTime(query: SQL): SQL {
  return sql`${sql.raw(PLANNED_EACH_TIME)}${query}`;
}

/**
 * drizzle sends every query unprepared (`unsafe(..., { prepare: false })` unless the query is
 * named), and postgres.js then asks PostgreSQL for the parameter types before binding: two round
 * trips per query, plus a parse and a plan each time. With prepare on, postgres.js keeps one named
 * statement per distinct SQL text on each connection, so from the second use a query is one round
 * trip and no parse. Our SQL has a fixed set of shapes (bulk writes pass arrays), so the statement
 * cache stays small, and connections are recycled (postgres.js max_lifetime) anyway. A statement
 * invalidated by a migration is re-prepared by postgres.js (RevalidateCachedQuery retry).
 * Transactions get the same treatment on their own connection.
 */
function withPreparedStatements(client: postgres.Sql, slots?: TransactionSlots): postgres.Sql {
  // Made once per client, not on every property read: `unsafe` is called for every query.
  const overrides: Record<PropertyKey, unknown> = {
    unsafe: (query: string, parameters?: postgres.ParameterOrJSON<never>[], options?: object) =>
      client.unsafe(query, parameters, { ...options, prepare: !query.startsWith(PLANNED_EACH_TIME) }),
    begin: (...args: unknown[]) => {
      if (args.length !== 1 || !slots)
        throw new Error('begin with options or inside a transaction is not supported here');
      const fn = args[0] as (tx: postgres.Sql) => Promise<unknown>;
      return slots.run((slot) => runTransaction(slot, fn));
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
