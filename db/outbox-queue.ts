import { type SQL, sql } from 'drizzle-orm';
import type { OutboxItem, OutboxJob, OutboxQueue } from '../src/ports.ts';
import { type Db, plannedEachTime } from './client.ts';
import { pgArray, rowsOf } from './repositories/executor.ts';
import { enqueueSql, LANE_PRIORITY, outboxRepository } from './repositories/outbox-repository.ts';
import { reposFor } from './store.ts';

interface ClaimedRow {
  id: string | number;
  payload: OutboxJob;
  order_key: string;
  retry_key: string | null;
  attempts: number;
  created_at: string | Date;
  claimed_at: string | Date;
}

/** A claim takes a few milliseconds (PGlite included); this long means the planner misjudges the outbox's size. */
const SLOW_CLAIM_MS = 30;
const ANALYZE_INTERVAL_MS = 60_000;

/**
 * An integer written into the statement's text. The queue's statements are planned each time
 * (`plannedEachTime`), so they go unnamed; postgres.js asks for the types of an unnamed statement's
 * parameters in a round trip of its own, and the claim and the settlement are on every relay's path.
 */
function literal(value: number): SQL {
  if (!Number.isSafeInteger(value)) throw new TypeError(`outbox queue: not an integer: ${value}`);
  return sql.raw(String(value));
}

const toItem = (row: ClaimedRow): OutboxItem => ({
  id: Number(row.id),
  job: row.payload,
  orderKey: row.order_key,
  retryKey: row.retry_key,
  attempts: row.attempts,
  createdAt: new Date(row.created_at),
  claimedAt: new Date(row.claimed_at),
});

/**
 * The outbox worker's queue. It is not a repository: it opens its own transactions on the database
 * (never inside a use case's), and a give-up runs its follow-ups with the repositories of that
 * transaction. Rows are claimed with FOR UPDATE SKIP LOCKED so replicas share the work without waiting on each
 * other, by lane (priority: the conversation, then step sends, then their thread lines), then the
 * earliest due first (priority, run_at: the order of outbox_due_idx, so a claim reads only rows
 * that wait). A row is only due when no earlier row with its order key is still pending or in flight,
 * which keeps each lead's messages in order. `attempts` fences settlement: a worker whose lease
 * expired and whose row was re-claimed cannot overwrite the newer attempt's outcome.
 */
export function outboxQueue(db: Db): OutboxQueue {
  const settle = (item: OutboxItem) =>
    sql`id = ${literal(item.id)} and status = 'processing' and attempts = ${literal(item.attempts)}`;
  let analyzedAt = Number.NEGATIVE_INFINITY;
  /**
   * The planner's row counts come from the last ANALYZE. When a burst (100,000 due step sends)
   * lands in an outbox whose statistics say nothing waits, it reads outbox_due_idx whole for every
   * row it checks, and each claim costs the burst's size times its limit. A slow claim is that
   * sign: fresh statistics make it an index probe per row again. At most once a minute.
   */
  const refreshStatisticsAfter = async (startedAt: number) => {
    const now = performance.now();
    if (now - startedAt < SLOW_CLAIM_MS || now - analyzedAt < ANALYZE_INTERVAL_MS) return;
    analyzedAt = now;
    // Only a better plan is at stake: a failure leaves things as they were.
    await db.execute(sql`analyze outbox`).catch(() => {});
  };
  return {
    async claim(limit, leaseMs) {
      const startedAt = performance.now();
      // A claim is only a lease: if the database crashed before it reached disk, the row is simply
      // claimable again, as after a lease expiry. So it need not wait for the WAL flush, which is
      // the largest part of a claim's latency on the relay's critical path. The setting is made
      // inside the statement (local to its own implicit transaction): one round trip, not four.
      const result = await db.execute(
        plannedEachTime(sql`
        with lease as (select set_config('synchronous_commit', 'off', true))
        update outbox set status = 'processing', attempts = attempts + 1,
          locked_until = now() + make_interval(secs => ${literal(Math.round(leaseMs))} / 1000.0)
        where exists (select 1 from lease) and id in (
          select o.id from outbox o
          where ((o.status = 'pending' and o.run_at <= now())
              or (o.status = 'processing' and o.locked_until < now()))
            and not exists (
              select 1 from outbox p
              where p.order_key = o.order_key and p.id < o.id and p.status in ('pending', 'processing'))
          order by o.priority, o.run_at, o.id
          limit ${literal(limit)}
          for update skip locked)
        returning id, payload, order_key, retry_key, attempts, created_at, now() as claimed_at`),
      );
      await refreshStatisticsAfter(startedAt);
      return rowsOf<ClaimedRow>(result)
        .map(toItem)
        .sort((a, b) => a.id - b.id);
    },
    async complete(item, followUps) {
      const done = sql`
        update outbox set status = 'done', done_at = now(), locked_until = null, last_error = null
        where ${settle(item)} returning id`;
      // One statement, so one round trip: a stale worker (its lease expired and the row was
      // claimed again) updates nothing and so must not queue the follow-ups twice.
      await db.execute(
        plannedEachTime(
          followUps.length === 0
            ? done
            : sql`with done as (${done}) ${enqueueSql(followUps, sql`exists (select 1 from done)`)}`,
        ),
      );
    },
    async retryLater(item, delayMs, error) {
      await db.execute(
        plannedEachTime(sql`
          update outbox set status = 'pending', locked_until = null, last_error = ${error},
            run_at = now() + make_interval(secs => ${literal(Math.round(delayMs))} / 1000.0)
          where ${settle(item)}`),
      );
    },
    async giveUp(item, error, followUps) {
      await db.transaction(async (tx) => {
        const rows = rowsOf(
          await tx.execute(
            plannedEachTime(sql`
              update outbox set status = 'failed', done_at = now(), locked_until = null, last_error = ${error}
              where ${settle(item)} returning id`),
          ),
        );
        if (rows.length > 0) await outboxRepository(tx).enqueue(await followUps(reposFor(tx)));
      });
    },
    async extendLease(items, leaseMs) {
      if (items.length === 0) return;
      await db.execute(
        plannedEachTime(sql`
        update outbox o set locked_until = now() + make_interval(secs => ${leaseMs / 1000})
        from unnest(${pgArray(items.map((i) => String(i.id)))}::bigint[],
                    ${pgArray(items.map((i) => String(i.attempts)))}::int[]) as u(id, attempts)
        where o.id = u.id and o.attempts = u.attempts and o.status = 'processing'`),
      );
    },
    async nextDueInMs() {
      // Only the head row of each order key can be claimed, so only heads count as due; a row in
      // flight counts from its lease's end. Each part reads outbox_due_idx in order and stops at
      // its first row, so the answer costs the same with 100,000 rows waiting as with ten.
      const headOf = (priority: number) => sql`
        (select o.run_at from outbox o
          where o.status = 'pending' and o.priority = ${sql.raw(String(priority))}
            and not exists (
              select 1 from outbox p
              where p.order_key = o.order_key and p.id < o.id and p.status in ('pending', 'processing'))
          order by o.priority, o.run_at, o.id limit 1)`;
      const rows = rowsOf<{ ms: number | null }>(
        await db.execute(
          plannedEachTime(sql`
          select (extract(epoch from (least(
            ${headOf(LANE_PRIORITY.conversation)},
            ${headOf(LANE_PRIORITY.steps)},
            ${headOf(LANE_PRIORITY.step_lines)},
            (select o.locked_until from outbox o where o.status = 'processing'
              order by o.priority, o.run_at, o.id limit 1)
          ) - now())) * 1000)::float8 as ms`),
        ),
      );
      const ms = rows[0]?.ms;
      return ms === null || ms === undefined ? null : Math.max(0, Number(ms));
    },
  };
}
