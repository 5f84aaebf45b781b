import { sql } from 'drizzle-orm';
import type { OperationalGauges } from '../../src/metrics.ts';
import { type Executor, rowsOf } from './executor.ts';

interface GaugeRow {
  outbox_pending: number;
  outbox_oldest_seconds: number | string | null;
  leads_awaiting: number;
}

/**
 * What a scrape reads from the database, in one round trip. The predicates repeat the partial
 * indexes' own (outbox_due_idx, leads_awaiting_idx) as literals, so the planner can use them: the
 * scrape costs the size of the backlog, not of the tables. The age is measured on the database
 * clock, the one that wrote created_at, so replicas with skewed clocks report the same number.
 */
export function metricsRepository(db: Executor) {
  return {
    async gauges(): Promise<OperationalGauges> {
      const rows = rowsOf<GaugeRow>(
        await db.execute(sql`
          select o.outbox_pending, o.outbox_oldest_seconds, l.leads_awaiting
          from (
            select count(*)::int as outbox_pending,
              extract(epoch from (now() - min(created_at)))::float8 as outbox_oldest_seconds
            from outbox where status in ('pending', 'processing')
          ) o, (
            select count(*)::int as leads_awaiting from leads where awaiting_reply_since is not null
          ) l`),
      );
      const row = rows[0];
      if (!row) throw new Error('the metrics query returned no row');
      return {
        outboxPending: Number(row.outbox_pending),
        // now() is this statement's start: a row from a transaction begun a moment later reads as
        // a hair younger than that.
        outboxOldestPendingSeconds: Math.max(0, Number(row.outbox_oldest_seconds ?? 0)),
        leadsAwaitingReply: Number(row.leads_awaiting),
      };
    },
  };
}
