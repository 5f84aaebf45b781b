import { type SQL, sql } from 'drizzle-orm';
import type { OutboxEntry, Repos } from '../../src/ports.ts';
import { type Executor, pgArray } from './executor.ts';

export function outboxRepository(db: Executor): Repos['outbox'] {
  return {
    async enqueue(entries) {
      if (entries.length === 0) return;
      await db.execute(enqueueSql(entries));
    },
  };
}

/** One statement whatever the count; ordinality keeps ids in entry order (per-lead order). */
export function enqueueSql(entries: readonly OutboxEntry[]): SQL {
  return sql`
    insert into outbox (kind, order_key, payload, retry_key, dedupe_key)
    select kind, order_key, payload, retry_key, dedupe_key from unnest(
      ${pgArray(entries.map((e) => e.job.kind))}::text[],
      ${pgArray(entries.map((e) => e.orderKey))}::text[],
      ${pgArray(entries.map((e) => JSON.stringify(e.job)))}::jsonb[],
      ${pgArray(entries.map((e) => e.retryKey ?? null))}::uuid[],
      ${pgArray(entries.map((e) => e.dedupeKey ?? null))}::text[])
      with ordinality as u(kind, order_key, payload, retry_key, dedupe_key, ord)
    order by ord
    on conflict (dedupe_key) do nothing`;
}
