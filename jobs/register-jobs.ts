import type { Job, Scheduler } from '../src/scheduler.ts';
import type { JobDeps } from './job-deps.ts';
import { morningDigestJob } from './morning-digest.ts';
import { purchaseTimingJob } from './purchase-timing.ts';
import { speedToLeadJob } from './speed-to-lead.ts';
import { stepDispatchJob } from './step-dispatch.ts';

export interface RegisteredJobs {
  morningDigest: Job;
  speedToLead: Job;
  purchaseTiming: Job;
  stepDispatch: Job;
}

export function registerJobs(scheduler: Scheduler, deps: JobDeps, digestCron: string): RegisteredJobs {
  const jobs = {
    morningDigest: morningDigestJob(deps, digestCron),
    speedToLead: speedToLeadJob(deps),
    purchaseTiming: purchaseTimingJob(deps),
    stepDispatch: stepDispatchJob(deps),
  };
  for (const job of Object.values(jobs)) scheduler.add(job);
  return jobs;
}
