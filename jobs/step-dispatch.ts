import type { Job } from '../src/scheduler.ts';
import { dispatchSteps } from '../src/use-cases/sequences/dispatch-steps.ts';
import type { JobDeps } from './job-deps.ts';

export const STEP_DISPATCH_JOB = 'step-dispatch';
/** Every minute: step times are minutes apart at the finest (`after: 30m`, `at: "10:00"`). */
export const STEP_DISPATCH_SCHEDULE = '* * * * *';

/**
 * Step sequences: resumes paused enrolments whose time came, enrols `date` audiences, and queues
 * every due step that quiet hours, the weekly cap and LINE's quota allow.
 */
export function stepDispatchJob(deps: JobDeps): Job {
  return {
    name: STEP_DISPATCH_JOB,
    schedule: STEP_DISPATCH_SCHEDULE,
    run: async () => {
      const result = await dispatchSteps({ ...deps, ...deps.sequences });
      if (result.queued + result.resumed + result.released + result.stopped + result.enrolledByDate > 0)
        deps.logger.info({ job: STEP_DISPATCH_JOB, ...result }, 'step sequences dispatched');
      deps.kick();
    },
  };
}
