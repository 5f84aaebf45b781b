import type { Job, Scheduler } from '../src/scheduler.ts';
import type { JobDeps } from './job-deps.ts';
import { morningDigestJob } from './morning-digest.ts';
import { purchaseTimingJob } from './purchase-timing.ts';
import { speedToLeadJob } from './speed-to-lead.ts';
import { stepDispatchJob } from './step-dispatch.ts';
import { weeklyReportJob } from './weekly-report.ts';

export interface RegisteredJobs {
  morningDigest: Job;
  speedToLead: Job;
  purchaseTiming: Job;
  stepDispatch: Job;
  /** null when WEEKLY_REPORT_CRON is empty. */
  weeklyReport: Job | null;
}

export interface JobSchedules {
  digestCron: string;
  /** '' disables the weekly report. */
  weeklyReportCron: string;
  reportChannelId: string;
}

export function registerJobs(scheduler: Scheduler, deps: JobDeps, schedules: JobSchedules): RegisteredJobs {
  const jobs = {
    morningDigest: morningDigestJob(deps, schedules.digestCron),
    speedToLead: speedToLeadJob(deps),
    purchaseTiming: purchaseTimingJob(deps),
    stepDispatch: stepDispatchJob(deps),
    weeklyReport: schedules.weeklyReportCron
      ? weeklyReportJob(deps, schedules.weeklyReportCron, schedules.reportChannelId)
      : null,
  };
  for (const job of Object.values(jobs)) if (job) scheduler.add(job);
  return jobs;
}
