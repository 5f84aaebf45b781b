import type { Db } from '../client.ts';

/** The database or an open transaction: every repository method works on either. */
export type Executor = Db | Parameters<Parameters<Db['transaction']>[0]>[0];

/** drizzle's execute() gives an array on postgres.js and `{ rows }` on PGlite. */
export function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}

/**
 * A PostgreSQL array literal of texts ('{"a",NULL}'), sent as one text parameter and cast in SQL
 * (`$1::uuid[]`). Bulk writes then use `unnest` with a fixed number of parameters whatever the
 * batch size, which both drivers accept and which keeps the ORM's per-value work out of hot paths.
 */
const NEEDS_ESCAPE = /["\\]/;

export function pgArray(values: readonly (string | null)[]): string {
  const items = values.map((value) => {
    if (value === null) return 'NULL';
    return NEEDS_ESCAPE.test(value)
      ? `"${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`
      : `"${value}"`;
  });
  return `{${items.join(',')}}`;
}

export const isoOrNull = (date: Date | null | undefined) => (date ? date.toISOString() : null);
