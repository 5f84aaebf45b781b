import cron, { type ScheduledTask } from 'node-cron';
import { zonedParts, zonedTimeToInstant } from './domain/business-calendar.ts';
import { type Metrics, noMetrics } from './metrics.ts';
import type { Clock, CronRuns, Logger } from './ports.ts';

export interface Job {
  /** Stable name: part of every fire's key, shared by all replicas. */
  name: string;
  /** Five-field cron expression, read in the scheduler's time zone. */
  schedule: string;
  /** Does the work for one fire. Must be idempotent: a fire left unfinished by a crash runs again. */
  run: (fireAt: Date) => Promise<void>;
}

export interface SchedulerOptions {
  runs: CronRuns;
  timezone: string;
  clock: Clock;
  logger: Logger;
  metrics?: Metrics;
}

/** A fire not finished after this long is treated as abandoned by a dead replica. */
const STALE_RUN_MS = 10 * 60_000;

/**
 * node-cron 4 with an explicit time zone, and a PostgreSQL-backed run coordinator: every replica
 * schedules every job, the first to record a fire's key runs it, the others skip it.
 * https://github.com/node-cron/node-cron (distributed tasks need a RunCoordinator of our own)
 */
export class Scheduler {
  private readonly tasks: ScheduledTask[] = [];
  private readonly options: SchedulerOptions;

  constructor(options: SchedulerOptions) {
    this.options = options;
  }

  add(job: Job): void {
    const { timezone, logger } = this.options;
    const task = cron.createTask(job.schedule, (context) => this.fire(job, context.date), {
      name: job.name,
      timezone,
      noOverlap: true,
      distributed: true,
      runCoordinator: {
        shouldRun: (key) => this.claim(job, key),
      },
    });
    task.on('execution:failed', (context) => {
      logger.error({ job: job.name, error: String(context.execution?.error) }, 'job failed');
    });
    this.tasks.push(task);
  }

  /**
   * Runs a fire outside the timer (catch-up after a restart, the sandbox clock, tests). Goes through
   * the same claim, so a fire already run by any replica is not run again.
   */
  async runOnce(job: Job, fireAt: Date): Promise<boolean> {
    const key = `${job.name}:${fireAt.toISOString()}`;
    if (!(await this.claim(job, key))) return false;
    await this.fire(job, fireAt, key);
    return true;
  }

  start(): void {
    for (const task of this.tasks) void task.start();
  }

  /**
   * After a restart: runs each given job's latest fire of today that is already past, unless some
   * replica finished it. Jobs are idempotent, so a fire half-done before a crash completes now.
   */
  async catchUp(jobs: Job[]): Promise<void> {
    const now = this.options.clock.now();
    for (const job of jobs) {
      const fireAt = lastFireToday(job.schedule, now, this.options.timezone);
      if (!fireAt) continue;
      const key = `${job.name}:${fireAt.toISOString()}`;
      if (await this.options.runs.isFinished(key)) continue;
      await this.runOnce(job, fireAt).catch((error: unknown) => {
        this.options.logger.error({ job: job.name, error: String(error) }, 'catch-up failed');
      });
    }
  }

  async stop(): Promise<void> {
    await Promise.all(this.tasks.map((task) => task.stop()));
  }

  /** Records the fire's key; false when another replica (or an earlier call) already has it. */
  private async claim(job: Job, key: string): Promise<boolean> {
    const { runs, clock } = this.options;
    try {
      const won = await runs.claim(key, job.name, clock.now(), STALE_RUN_MS);
      if (!won) this.metrics.jobRun(job.name, 'skipped', clock.now());
      return won;
    } catch (error) {
      this.metrics.jobRun(job.name, 'error', clock.now());
      throw error;
    }
  }

  private async fire(job: Job, fireAt: Date, key = `${job.name}:${fireAt.toISOString()}`): Promise<void> {
    const { runs, clock, logger } = this.options;
    try {
      await job.run(fireAt);
      await runs.finish(key, clock.now());
      this.metrics.jobRun(job.name, 'success', clock.now());
    } catch (error) {
      // Left unfinished on purpose: after STALE_RUN_MS a catch-up (or another replica) may take it over.
      logger.error({ job: job.name, key, error: String(error) }, 'job run failed');
      this.metrics.jobRun(job.name, 'error', clock.now());
    }
  }

  private get metrics(): Metrics {
    return this.options.metrics ?? noMetrics;
  }
}

/**
 * The latest minute of today (in `timezone`) at or before `now` that `expression` matches, or
 * null. Expressions using L, W or # are not resolved here and get no catch-up.
 */
export function lastFireToday(expression: string, now: Date, timezone: string): Date | null {
  const local = zonedParts(now, timezone);
  const midnight = zonedTimeToInstant(ymdOf(local), '00:00', timezone);
  return lastFireBetween(expression, new Date(midnight.getTime() - 60_000), now, timezone);
}

/**
 * The latest minute after `after` and at or before `upTo` that `expression` matches in
 * `timezone`, or null (also for expressions using L, W or #). Walks back minute by minute, a day
 * at a time, so a jump of weeks costs a few thousand checks.
 */
export function lastFireBetween(expression: string, after: Date, upTo: Date, timezone: string): Date | null {
  const fields = cron.parse(expression);
  const numeric = (values: (number | string)[]) => values.every((v) => typeof v === 'number');
  if (!numeric(fields.dayOfMonth) || !numeric(fields.dayOfWeek)) return null;
  let cursor = upTo;
  while (cursor > after) {
    const local = zonedParts(cursor, timezone);
    const weekday = new Date(Date.UTC(local.year, local.month - 1, local.day)).getUTCDay();
    const dayMatches =
      fields.month.includes(local.month) &&
      fields.dayOfMonth.includes(local.day) &&
      (fields.dayOfWeek.includes(weekday) || (weekday === 0 && fields.dayOfWeek.includes(7)));
    const ymd = ymdOf(local);
    if (dayMatches) {
      for (let minuteOfDay = local.hour * 60 + local.minute; minuteOfDay >= 0; minuteOfDay--) {
        const hour = Math.floor(minuteOfDay / 60);
        const minute = minuteOfDay % 60;
        if (!fields.hour.includes(hour) || !fields.minute.includes(minute)) continue;
        const fire = zonedTimeToInstant(
          ymd,
          `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`,
          timezone,
        );
        return fire > after && fire <= upTo ? fire : null;
      }
    }
    // On to the last minute of the day before.
    cursor = new Date(zonedTimeToInstant(ymd, '00:00', timezone).getTime() - 60_000);
  }
  return null;
}

function ymdOf(local: { year: number; month: number; day: number }): string {
  return `${local.year}-${String(local.month).padStart(2, '0')}-${String(local.day).padStart(2, '0')}`;
}
