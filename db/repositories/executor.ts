import type { Db } from '../client.ts';

/** The database or an open transaction: every repository method works on either. */
export type Executor = Db | Parameters<Parameters<Db['transaction']>[0]>[0];

/** drizzle's execute() gives an array on postgres.js and `{ rows }` on PGlite. */
export function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}
