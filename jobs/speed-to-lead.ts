import type { Job } from '../src/scheduler.ts';
import { escalateUnanswered } from '../src/use-cases/escalate-unanswered.ts';
import type { JobDeps } from './job-deps.ts';

export const SPEED_TO_LEAD_JOB = 'speed-to-lead';
/** Every minute: escalation steps are minutes apart (ESCALATION_MINUTES, default 5,15,30). */
export const SPEED_TO_LEAD_SCHEDULE = '* * * * *';

export function speedToLeadJob(deps: JobDeps): Job {
  return {
    name: SPEED_TO_LEAD_JOB,
    schedule: SPEED_TO_LEAD_SCHEDULE,
    run: async () => {
      const result = await escalateUnanswered(deps);
      if (result.escalated > 0 || result.failed > 0)
        deps.logger.info({ job: SPEED_TO_LEAD_JOB, ...result }, 'escalations');
      deps.kick();
    },
  };
}
