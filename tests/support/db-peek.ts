import { sql } from 'drizzle-orm';
import { rowsOf } from '../../db/repositories/executor.ts';
import type { Service } from '../../src/service.ts';

/** Reads a count straight from the database, to assert what was (not) stored. */
export async function countRows(service: Service, table: string, where = 'true'): Promise<number> {
  const result = await service.database.db.execute(
    sql.raw(`select count(*)::int as n from ${table} where ${where}`),
  );
  return rowsOf<{ n: number }>(result)[0]?.n ?? 0;
}

export async function queryRows<T>(service: Service, query: string): Promise<T[]> {
  return rowsOf<T>(await service.database.db.execute(sql.raw(query)));
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
