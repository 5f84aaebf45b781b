import type { Job } from '../src/scheduler.ts';
import { announceNearerTiming } from '../src/use-cases/announce-nearer-timing.ts';
import { askTimingAgain } from '../src/use-cases/sequences/ask-timing-again.ts';
import type { JobDeps } from './job-deps.ts';

export const PURCHASE_TIMING_JOB = 'purchase-timing';
/** Daily, before the morning digest: owners learn which leads aged into a nearer timing segment. */
export const PURCHASE_TIMING_SCHEDULE = '30 8 * * *';

export function purchaseTimingJob(deps: JobDeps): Job {
  return {
    name: PURCHASE_TIMING_JOB,
    schedule: PURCHASE_TIMING_SCHEDULE,
    run: async () => {
      const result = await announceNearerTiming(deps);
      const again = await askTimingAgain(deps);
      deps.logger.info({ job: PURCHASE_TIMING_JOB, ...result, ...again }, 'purchase timing check');
      deps.kick();
    },
  };
}
