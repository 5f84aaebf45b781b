import type { StatsQueries } from '../../ports/stats.ts';

export interface StatsPacing {
  /** Whether live work is under way now (the outbox worker delivering). */
  busy: () => boolean;
  /** While live work is under way, the statistics run at most this percent of the time (100: no pacing). */
  busyPercent: number;
  /** Milliseconds on a monotonic clock. */
  now?: () => number;
  /** Waits this long (the rest between two queries). */
  rest?: (ms: number) => Promise<void>;
}

const restFor = (ms: number) =>
  new Promise<void>((resolve) => {
    // A rest, not a wait for a condition: the statistics give the database back to live work.
    setTimeout(resolve, ms).unref();
  });

/**
 * The statistics at background priority: their queries run one at a time and, while live work is
 * under way (relays, replies, step pushes going out), each is followed by a rest in proportion to
 * what it took, so a manager's question holds the database at most `busyPercent` of the time (a
 * 4 s query, then 12 s of rest at 25%). On a quiet system they run back to back. The same idea as
 * PostgreSQL's cost-based vacuum delay: the background job is slowed, never the live path.
 */
export function pacedStatsQueries(queries: StatsQueries, pacing: StatsPacing): StatsQueries {
  const now = pacing.now ?? (() => performance.now());
  const rest = pacing.rest ?? restFor;
  const factor = 100 / Math.min(100, Math.max(1, pacing.busyPercent)) - 1;
  // The end of the previous query and its rest: the next query starts after it.
  let turn: Promise<void> = Promise.resolve();
  const run = <T>(query: () => Promise<T>): Promise<T> => {
    let started = 0;
    const result = turn.then(() => {
      started = now();
      return query();
    });
    turn = result
      .then(
        () => undefined,
        () => undefined,
      )
      .then(async () => {
        const took = now() - started;
        if (factor > 0 && took > 0 && pacing.busy()) await rest(took * factor);
      });
    return result;
  };
  return {
    speedToLead: (scope, repIds) => run(() => queries.speedToLead(scope, repIds)),
    activity: (scope) => run(() => queries.activity(scope)),
    pipeline: (scope) => run(() => queries.pipeline(scope)),
    steps: (scope) => run(() => queries.steps(scope)),
    perRep: (scope, repIds) => run(() => queries.perRep(scope, repIds)),
    weeklyTrend: (scope, mondays) => run(() => queries.weeklyTrend(scope, mondays)),
  };
}
