import cron, { type ScheduledTask } from 'node-cron';
import type { Clock, CronRuns, Logger } from './ports.ts';

export interface Job {
  /** Stable name: part of every fire's key, shared by all replicas. */
  name: string;
  /** Five-field cron expression, read in the scheduler's time zone. */
  schedule: string;
  /** Does the work for one fire. Must be idempotent: a fire left unfinished by a crash runs again. */
  run: (fireAt: Date) => Promise<void>;
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
  private readonly options: { runs: CronRuns; timezone: string; clock: Clock; logger: Logger };

  constructor(options: { runs: CronRuns; timezone: string; clock: Clock; logger: Logger }) {
    this.options = options;
  }

  add(job: Job): void {
    const { runs, timezone, clock, logger } = this.options;
    const task = cron.createTask(job.schedule, (context) => this.fire(job, context.date), {
      name: job.name,
      timezone,
      noOverlap: true,
      distributed: true,
      runCoordinator: {
        shouldRun: (key) => runs.claim(key, job.name, clock.now(), STALE_RUN_MS),
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
    if (!(await this.options.runs.claim(key, job.name, this.options.clock.now(), STALE_RUN_MS))) return false;
    await this.fire(job, fireAt, key);
    return true;
  }

  start(): void {
    for (const task of this.tasks) void task.start();
  }

  async stop(): Promise<void> {
    await Promise.all(this.tasks.map((task) => task.stop()));
  }

  private async fire(job: Job, fireAt: Date, key = `${job.name}:${fireAt.toISOString()}`): Promise<void> {
    const { runs, clock, logger } = this.options;
    try {
      await job.run(fireAt);
      await runs.finish(key, clock.now());
    } catch (error) {
      // Left unfinished on purpose: after STALE_RUN_MS a catch-up (or another replica) may take it over.
      logger.error({ job: job.name, key, error: String(error) }, 'job run failed');
    }
  }
}
