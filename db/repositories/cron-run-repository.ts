import { and, eq, isNull, lt } from 'drizzle-orm';
import type { CronRuns } from '../../src/ports.ts';
import { cronRuns } from '../schema.ts';
import type { Executor } from './executor.ts';

/** The first replica to insert a fire's key runs it; the row stays as the run's record. */
export function cronRunRepository(db: Executor): CronRuns {
  return {
    async claim(key, job, at, staleAfterMs) {
      // A run that started long ago and never finished belongs to a replica that died: take it over.
      const staleBefore = new Date(at.getTime() - staleAfterMs);
      const rows = await db
        .insert(cronRuns)
        .values({ key, job, startedAt: at })
        .onConflictDoUpdate({
          target: cronRuns.key,
          set: { startedAt: at, error: null },
          setWhere: and(isNull(cronRuns.finishedAt), lt(cronRuns.startedAt, staleBefore)),
        })
        .returning({ key: cronRuns.key });
      return rows.length > 0;
    },
    async finish(key, at, error) {
      await db
        .update(cronRuns)
        .set({ finishedAt: at, error: error ?? null })
        .where(eq(cronRuns.key, key));
    },
    async isFinished(key) {
      const [row] = await db
        .select({ finishedAt: cronRuns.finishedAt })
        .from(cronRuns)
        .where(eq(cronRuns.key, key));
      return Boolean(row?.finishedAt);
    },
  };
}
