import { type SQL, sql } from 'drizzle-orm';
import type { OutboxEntry, OutboxLane, Repos } from '../../src/ports.ts';
import { type Executor, pgArray } from './executor.ts';

/** The outbox's `priority` column for each lane: due rows are claimed lowest first. */
export const LANE_PRIORITY: Record<OutboxLane, number> = { conversation: 0, steps: 1, step_lines: 2 };

export function outboxRepository(db: Executor): Repos['outbox'] {
  return {
    async enqueue(entries) {
      if (entries.length === 0) return;
      await db.execute(enqueueSql(entries));
    },
  };
}

/**
 * One statement whatever the count; ordinality keeps ids in entry order (per-lead order). With
 * `when`, the rows are written only if that condition holds (a CTE of the same statement).
 */
export function enqueueSql(entries: readonly OutboxEntry[], when?: SQL): SQL {
  const delays = entries.map((e) => String(Math.max(0, Math.round(e.delayMs ?? 0))));
  return sql`
    insert into outbox (kind, order_key, payload, retry_key, dedupe_key, run_at, priority)
    select kind, order_key, payload, retry_key, dedupe_key, now() + make_interval(secs => delay_ms / 1000.0),
      priority
    from unnest(
      ${pgArray(entries.map((e) => e.job.kind))}::text[],
      ${pgArray(entries.map((e) => e.orderKey))}::text[],
      ${pgArray(entries.map((e) => JSON.stringify(e.job)))}::jsonb[],
      ${pgArray(entries.map((e) => e.retryKey ?? null))}::uuid[],
      ${pgArray(entries.map((e) => e.dedupeKey ?? null))}::text[],
      ${pgArray(delays)}::int[],
      ${pgArray(entries.map((e) => String(LANE_PRIORITY[e.lane ?? 'conversation'])))}::smallint[])
      with ordinality as u(kind, order_key, payload, retry_key, dedupe_key, delay_ms, priority, ord)
    ${when ? sql`where ${when}` : sql``}
    order by ord
    on conflict (dedupe_key) do nothing`;
}
