import type { Job } from '../src/scheduler.ts';
import { runMorningDigest } from '../src/use-cases/run-morning-digest.ts';
import type { JobDeps } from './job-deps.ts';

export const MORNING_DIGEST_JOB = 'morning-digest';

/** Each working-day morning (DIGEST_CRON, default 0 9 * * 1-5 in BUSINESS_TIMEZONE): queue every rep's digest. */
export function morningDigestJob(deps: JobDeps, schedule: string): Job {
  return {
    name: MORNING_DIGEST_JOB,
    schedule,
    run: async (fireAt) => {
      const result = await runMorningDigest(deps, fireAt);
      deps.logger.info({ job: MORNING_DIGEST_JOB, ...result }, 'morning digest run');
      deps.kick();
    },
  };
}
